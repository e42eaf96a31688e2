/**
 * @module response-send — sends a response class instance through Fastify's reply: status,
 * headers, cookies, and the body (bytes, a stream, or a file with Starlette's `Range` support).
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'
import { FileResponse, StreamingResponse, type Response, type StreamChunk, type StreamContent } from './responses.js'

/**
 * Sends `response` through Fastify's reply (status, headers, cookies, body), so Fastify's
 * `onSend` hooks still run; returns the reply. `defaultStatus` applies only to a response whose
 * `statusCode` is unset. 1xx, 204 and 304 send no body. A `FileResponse` is sent
 * asynchronously (after a `stat`): return the reply from an async handler.
 */
export function sendResponse (reply: FastifyReply, response: Response, defaultStatus = 200): FastifyReply {
  const statusCode = response.statusCode ?? defaultStatus
  const hasBody = bodyAllowed(statusCode)
  if (response instanceof FileResponse && hasBody) {
    // The error handler answers a missing file (500, as Starlette's RuntimeError).
    sendFile(reply, response, statusCode).catch(error => {
      if (!reply.sent) reply.send(error)
      else reply.log.error({ err: error }, 'FileResponse failed after the response was sent')
    })
    return reply
  }
  reply.code(statusCode)
  applyHeaders(reply, response.headers, response.cookies, hasBody)
  if (!hasBody) {
    if (response instanceof StreamingResponse) discard(response.bodyIterator)
    return reply.send()
  }
  if (response instanceof StreamingResponse) return reply.send(toReadable(response.bodyIterator))
  // With no body and no type, Fastify sends `content-length: 0` and nothing else, as Starlette.
  if (response.body.length === 0 && !reply.hasHeader('content-type')) return reply.send()
  return reply.send(response.body)
}

function bodyAllowed (statusCode: number): boolean {
  return statusCode >= 200 && statusCode !== 204 && statusCode !== 304
}

function applyHeaders (reply: FastifyReply, headers: Record<string, string>, cookies: string[], hasBody: boolean): void {
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase()
    // RFC 9110 §8.6 / §15.3.5: no content headers on a response that cannot have content.
    if (!hasBody && (key === 'content-type' || key === 'content-length')) continue
    reply.header(key, value)
  }
  // Fastify appends to an existing set-cookie header rather than replacing it.
  for (const line of cookies) reply.header('set-cookie', line)
}

function toReadable (content: StreamContent): Readable {
  if (typeof (content as Readable).pipe === 'function') return content as Readable
  return Readable.from(encodeChunks(content as AsyncIterable<StreamChunk>), { objectMode: false })
}

async function * encodeChunks (content: AsyncIterable<StreamChunk> | Iterable<StreamChunk>): AsyncGenerator<Uint8Array> {
  for await (const chunk of content) {
    if (typeof chunk === 'string') {
      if (chunk !== '') yield Buffer.from(chunk)
    } else if (chunk instanceof Uint8Array) {
      if (chunk.byteLength > 0) yield chunk
    } else {
      throw new TypeError(`StreamingResponse chunks must be strings or bytes, not ${typeof chunk}.`)
    }
  }
}

function discard (content: StreamContent): void {
  if (typeof (content as Readable).destroy === 'function') (content as Readable).destroy()
}

async function sendFile (reply: FastifyReply, response: FileResponse, statusCode: number): Promise<void> {
  const { path } = response
  let info
  try {
    info = await stat(path, { bigint: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`File at path ${String(path)} does not exist.`, { cause: error })
    throw error
  }
  if (!info.isFile()) throw new Error(`File at path ${String(path)} is not a file.`)
  const size = Number(info.size)
  const headers = { ...response.headers }
  // Starlette's st_mtime: seconds as a double, from the nanosecond timestamp.
  const mtime = Number(info.mtimeNs / 1_000_000_000n) + Number(info.mtimeNs % 1_000_000_000n) * 1e-9
  headers['content-length'] ??= String(size)
  headers['last-modified'] ??= new Date(mtime * 1000).toUTCString()
  headers.etag ??= `"${createHash('md5').update(`${pythonFloat(mtime)}-${size}`).digest('hex')}"`

  const request = reply.request
  const isHead = request.method === 'HEAD'
  const range = request.headers.range
  const ifRange = request.headers['if-range']
  if (range === undefined || (ifRange !== undefined && ifRange !== headers['last-modified'] && ifRange !== headers.etag)) {
    reply.code(statusCode)
    applyHeaders(reply, headers, response.cookies, true)
    reply.send(isHead ? emptyStream() : createReadStream(path))
    return
  }

  let ranges: Array<[number, number]>
  try {
    ranges = parseRangeHeader(range, size)
  } catch (error) {
    // Starlette answers these with a fresh PlainTextResponse: the file's headers are not sent.
    if (error instanceof RangeNotSatisfiable) {
      reply.code(416).header('content-range', `bytes */${size}`).header('content-type', 'text/plain; charset=utf-8').send(Buffer.alloc(0))
    } else {
      reply.code(400).header('content-type', 'text/plain; charset=utf-8').send(Buffer.from((error as Error).message))
    }
    return
  }

  reply.code(206)
  if (ranges.length === 1) {
    const [start, end] = ranges[0]
    headers['content-range'] = `bytes ${start}-${end - 1}/${size}`
    headers['content-length'] = String(end - start)
    applyHeaders(reply, headers, response.cookies, true)
    reply.send(isHead ? emptyStream() : createReadStream(path, { start, end: end - 1 }))
    return
  }
  // RFC 9110 §14.6: several ranges travel as multipart/byteranges.
  const boundary = randomBytes(13).toString('hex')
  const partType = headers['content-type'] ?? 'application/octet-stream'
  const partHeader = (start: number, end: number) =>
    `--${boundary}\r\nContent-Type: ${partType}\r\nContent-Range: bytes ${start}-${end - 1}/${size}\r\n\r\n`
  let length = 4 + boundary.length
  for (const [start, end] of ranges) length += Buffer.byteLength(partHeader(start, end)) + (end - start) + 2
  headers['content-type'] = `multipart/byteranges; boundary=${boundary}`
  headers['content-length'] = String(length)
  applyHeaders(reply, headers, response.cookies, true)
  async function * parts () {
    for (const [start, end] of ranges) {
      yield Buffer.from(partHeader(start, end))
      yield * createReadStream(path, { start, end: end - 1 })
      yield Buffer.from('\r\n')
    }
    yield Buffer.from(`--${boundary}--`)
  }
  reply.send(isHead ? emptyStream() : Readable.from(parts(), { objectMode: false }))
}

// For HEAD, an empty stream keeps our content-length: Fastify's HEAD route sets it to 0 for an
// empty body, and reads a real stream to the end before dropping it.
function emptyStream (): Readable {
  return Readable.from([], { objectMode: false })
}

class RangeNotSatisfiable extends Error {}

/** Starlette's `_parse_range_header`: sorted, merged `[start, end)` pairs, or an error. */
function parseRangeHeader (header: string, size: number): Array<[number, number]> {
  const eq = header.indexOf('=')
  if (eq === -1) throw new Error('Malformed range header.')
  if (header.slice(0, eq).trim().toLowerCase() !== 'bytes') throw new Error('Only support bytes range')
  const ranges: Array<[number, number]> = []
  for (let part of header.slice(eq + 1).split(',')) {
    part = part.trim()
    const dash = part.indexOf('-')
    if (part === '' || part === '-' || dash === -1) continue
    const startText = part.slice(0, dash).trim()
    const endText = part.slice(dash + 1).trim()
    const start = startText !== '' ? pythonInt(startText) : Math.max(size - pythonInt(endText), 0)
    const end = startText !== '' && endText !== '' && pythonInt(endText) < size ? pythonInt(endText) + 1 : size
    // Starlette skips a part whose numbers do not parse.
    if (Number.isNaN(start) || Number.isNaN(end)) continue
    ranges.push([start, end])
  }
  if (ranges.length === 0) throw new Error('Range header: range must be requested')
  if (ranges.some(([start]) => !(start >= 0 && start < size))) throw new RangeNotSatisfiable()
  if (ranges.some(([start, end]) => start > end)) throw new Error('Range header: start must be less than end')
  if (ranges.length === 1) return ranges
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const merged: Array<[number, number]> = [ranges[0]]
  for (const [start, end] of ranges.slice(1)) {
    const last = merged[merged.length - 1]
    if (start <= last[1]) last[1] = Math.max(last[1], end)
    else merged.push([start, end])
  }
  return merged
}

/** Python's `int(text)` for decimal text: NaN where Python raises ValueError. */
function pythonInt (text: string): number {
  return /^[+-]?\d+(?:_\d+)*$/.test(text) ? Number(text.replace(/_/g, '')) : NaN
}

/** Python's `str(float)`: JavaScript's shortest form, with `.0` on whole numbers. */
function pythonFloat (value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value)
}
