/**
 * @module responses — FastAPI's response classes (Starlette's, which FastAPI re-exports).
 * A handler that returns one answers with it as it is: the route's response model,
 * `statusCode` and serializer are bypassed, as in FastAPI.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'

/** A chunk of a `StreamingResponse`: text is sent as UTF-8. */
export type StreamChunk = string | Uint8Array

/** What a `StreamingResponse` reads from. */
export type StreamContent = Readable | AsyncIterable<StreamChunk> | Iterable<StreamChunk>

/** The options of `setCookie` (Starlette's `set_cookie` arguments). */
export interface CookieOptions {
  /** Seconds until the cookie expires (`Max-Age`). */
  maxAge?: number
  /** A date, a preformatted string, or a number of seconds from now (`expires`). */
  expires?: Date | string | number
  /** Default `'/'`; `null` leaves `Path` out. */
  path?: string | null
  domain?: string
  secure?: boolean
  httponly?: boolean
  /** Default `'lax'`; `null` leaves `SameSite` out. */
  samesite?: 'lax' | 'strict' | 'none' | null
  partitioned?: boolean
}

/**
 * A response sent as it is. Its body is rendered once, at construction; `headers` (names in
 * lower case) already hold the `content-type` the media type gives, with `; charset=utf-8`
 * for `text/*`. Its status is its own (200 by default): a route's `statusCode` does not apply.
 * @example
 * return new Response('<a/>', 200, undefined, 'application/xml')
 * @see README "Response classes"
 */
export class Response {
  /** The class's media type; `responseClass` reads it for OpenAPI. */
  static mediaType: string | undefined = undefined
  /** The class's default status (FastAPI documents it for a route without `statusCode`). */
  static defaultStatusCode = 200

  statusCode: number
  headers: Record<string, string>
  mediaType: string | undefined
  body: Buffer
  /** The `Set-Cookie` lines `setCookie` and `deleteCookie` wrote, in order. */
  readonly cookies: string[] = []

  constructor (content?: string | Uint8Array | null, statusCode = 200, headers?: Record<string, string>, mediaType?: string) {
    this.statusCode = statusCode
    this.mediaType = mediaType ?? (new.target as typeof Response).mediaType
    this.body = this.render(content)
    this.headers = initHeaders(headers, this.mediaType)
  }

  /** Turns the content into the body's bytes; subclasses override it. */
  render (content: unknown): Buffer {
    if (content === null || content === undefined) return Buffer.alloc(0)
    if (typeof content === 'string') return Buffer.from(content)
    if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength)
    throw new TypeError(`${this.constructor.name} content must be a string or bytes, not ${typeof content}; use JSONResponse for other values.`)
  }

  /**
   * Adds a `Set-Cookie` line, written as Starlette writes it
   * (`key=value; Domain=…; expires=…; HttpOnly; Max-Age=…; Path=/; SameSite=lax; Secure`).
   */
  setCookie (key: string, value = '', options: CookieOptions = {}): void {
    this.cookies.push(formatSetCookie(key, value, options))
  }

  /** Adds a `Set-Cookie` line that expires the cookie now (`Max-Age=0`). */
  deleteCookie (key: string, options: Omit<CookieOptions, 'maxAge' | 'expires' | 'partitioned'> = {}): void {
    this.setCookie(key, '', { ...options, maxAge: 0, expires: 0 })
  }
}

/** `text/html; charset=utf-8`. */
export class HTMLResponse extends Response {
  static override mediaType: string | undefined = 'text/html'
}

/** `text/plain; charset=utf-8`. */
export class PlainTextResponse extends Response {
  static override mediaType: string | undefined = 'text/plain'
}

/**
 * Any JSON value, serialized with `JSON.stringify` (compact, non-ASCII kept), as
 * `application/json`. `undefined` gives `null`; a value JSON cannot hold (a BigInt, a function)
 * throws at construction.
 */
export class JSONResponse extends Response {
  static override mediaType: string | undefined = 'application/json'

  // The signature differs from Response's only in the content's type.
  constructor (content: unknown, statusCode = 200, headers?: Record<string, string>, mediaType?: string) {
    super(content as string, statusCode, headers, mediaType)
  }

  override render (content: unknown): Buffer {
    const text = JSON.stringify(content === undefined ? null : content)
    if (text === undefined) throw new TypeError(`JSONResponse content is not JSON-serializable (${typeof content}).`)
    return Buffer.from(text)
  }
}

/**
 * A redirect to `url` (307 by default; 301, 302, 303 and 308 are the other usual codes), with
 * no body. The URL is percent-encoded as Starlette does, keeping its reserved characters.
 */
export class RedirectResponse extends Response {
  static override defaultStatusCode = 307

  constructor (url: string | URL, statusCode = 307, headers?: Record<string, string>) {
    super(null, statusCode, headers)
    this.headers.location = percentEncode(String(url), ":/%#?=@[]!$&'()*+,;")
  }
}

/**
 * A body read from a stream or an iterable as it is sent (no `content-length`). Text chunks are
 * sent as UTF-8. With no media type, no `content-type` is set by the class.
 */
export class StreamingResponse extends Response {
  bodyIterator: StreamContent

  constructor (content: StreamContent, statusCode = 200, headers?: Record<string, string>, mediaType?: string) {
    super(null, statusCode, headers, mediaType)
    this.bodyIterator = content
  }
}

/** The options of `FileResponse`. */
export interface FileResponseOptions {
  statusCode?: number
  headers?: Record<string, string>
  /** Default: guessed from the extension of `filename`, else of the path. */
  mediaType?: string
  /** Sets `content-disposition` (`filename*=utf-8''…` for a name that needs encoding). */
  filename?: string
  /** Default `'attachment'`; `'inline'` lets a browser show the file. */
  contentDispositionType?: string
}

/**
 * A file streamed from disk, with `content-length`, `last-modified`, `etag` and
 * `accept-ranges: bytes`; `Range` requests get 206 (one or several ranges), as in Starlette.
 * The file is read when the response is sent: a missing path is an error there (a 500),
 * as Starlette's `RuntimeError`.
 */
export class FileResponse extends Response {
  path: string | URL
  filename: string | undefined

  constructor (path: string | URL, options: FileResponseOptions = {}) {
    const { filename } = options
    super(null, options.statusCode ?? 200, options.headers, options.mediaType ?? guessMediaType(filename ?? String(path)))
    this.path = path
    this.filename = filename
    this.headers['accept-ranges'] ??= 'bytes'
    if (filename !== undefined) {
      const type = options.contentDispositionType ?? 'attachment'
      const quoted = percentEncode(filename, '/')
      this.headers['content-disposition'] ??= quoted === filename
        ? `${type}; filename="${filename}"`
        : `${type}; filename*=utf-8''${quoted}`
    }
  }
}

/** True for an instance of `Response` or one of its subclasses. */
export function isResponse (value: unknown): value is Response {
  return value instanceof Response
}

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

function initHeaders (headers: Record<string, string> | undefined, mediaType: string | undefined): Record<string, string> {
  const result: Record<string, string> = {}
  if (headers !== undefined) {
    for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value
  }
  if (mediaType !== undefined && result['content-type'] === undefined) {
    result['content-type'] = mediaType.startsWith('text/') && !mediaType.toLowerCase().includes('charset=')
      ? `${mediaType}; charset=utf-8`
      : mediaType
  }
  return result
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

// --- files ---

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

// Python's mimetypes defaults for common extensions (what Starlette's guess_type finds),
// as media type → extensions.
const MEDIA_TYPES = new Map<string, string>()
for (const line of [
  'text/html html htm', 'text/css css', 'text/javascript js mjs', 'text/plain txt', 'text/csv csv',
  'text/markdown md', 'text/calendar ics', 'application/json json', 'application/ld+json jsonld',
  'application/manifest+json webmanifest', 'application/xml xml', 'application/pdf pdf', 'application/zip zip',
  'application/gzip gz', 'application/x-tar tar', 'application/x-7z-compressed 7z', 'application/wasm wasm',
  'application/rtf rtf', 'application/epub+zip epub', 'application/msword doc', 'application/vnd.ms-excel xls',
  'application/vnd.ms-powerpoint ppt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation pptx',
  'image/png png', 'image/jpeg jpg jpeg', 'image/gif gif', 'image/webp webp', 'image/svg+xml svg',
  'image/vnd.microsoft.icon ico', 'image/bmp bmp', 'image/tiff tif tiff', 'image/avif avif', 'image/apng apng',
  'image/heic heic', 'audio/mpeg mp3', 'audio/ogg ogg oga opus', 'audio/x-wav wav', 'audio/flac flac',
  'audio/aac aac', 'audio/mp4 m4a', 'video/mp4 mp4', 'video/webm webm', 'video/ogg ogv', 'video/quicktime mov',
  'video/mpeg mpeg mpg', 'video/x-msvideo avi', 'font/woff woff', 'font/woff2 woff2', 'font/ttf ttf', 'font/otf otf'
]) {
  const [type, ...extensions] = line.split(' ')
  for (const extension of extensions) MEDIA_TYPES.set(`.${extension}`, type)
}

/** The media type of a file name's extension, `application/octet-stream` when unknown. */
export function guessMediaType (name: string): string {
  return MEDIA_TYPES.get(extname(name).toLowerCase()) ?? 'application/octet-stream'
}

// --- encoding ---

const ALWAYS_SAFE = /^[A-Za-z0-9_.~-]$/

/** Python's `urllib.parse.quote(text, safe)`: UTF-8 bytes, percent-encoded unless safe. */
function percentEncode (text: string, safe: string): string {
  let out = ''
  for (const byte of Buffer.from(text)) {
    const char = String.fromCharCode(byte)
    out += byte < 0x80 && (ALWAYS_SAFE.test(char) || safe.includes(char))
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

// http.cookies: a value made only of these characters is written bare, others are quoted.
const COOKIE_LEGAL = /^[A-Za-z0-9!#$%&'*+\-.^_`|~:]+$/
const COOKIE_UNESCAPED = /[A-Za-z0-9!#$%&'*+\-.^_`|~: ()/<=>?@[\]{}]/
const COOKIE_ATTRIBUTES = new Set(['expires', 'path', 'comment', 'domain', 'max-age', 'secure', 'httponly', 'version', 'samesite', 'partitioned'])

/** Python's `http.cookies._quote`. */
function quoteCookieValue (value: string): string {
  if (COOKIE_LEGAL.test(value)) return value
  let out = '"'
  for (const char of value) {
    const code = char.codePointAt(0) as number
    if (char === '"' || char === '\\') out += `\\${char}`
    else if (code < 256 && !COOKIE_UNESCAPED.test(char)) out += `\\${code.toString(8).padStart(3, '0')}`
    else out += char
  }
  return `${out}"`
}

/**
 * One `Set-Cookie` value, as Starlette's `set_cookie` writes it (Python's `SimpleCookie`:
 * attributes in alphabetical order, a value outside the cookie alphabet quoted and escaped).
 */
export function formatSetCookie (key: string, value: string, options: CookieOptions = {}): string {
  if (!COOKIE_LEGAL.test(key)) throw new TypeError(`Illegal cookie key ${JSON.stringify(key)}.`)
  if (COOKIE_ATTRIBUTES.has(key.toLowerCase())) throw new TypeError(`Cookie key ${JSON.stringify(key)} is a reserved attribute name.`)
  const { maxAge, expires, path = '/', domain, secure = false, httponly = false, samesite = 'lax', partitioned = false } = options
  const parts = [`${key}=${quoteCookieValue(value)}`]
  if (domain !== undefined && domain !== '') parts.push(`Domain=${domain}`)
  if (expires !== undefined && expires !== '') {
    const date = typeof expires === 'number' ? new Date(Date.now() + expires * 1000) : expires
    parts.push(`expires=${typeof date === 'string' ? date : date.toUTCString()}`)
  }
  if (httponly) parts.push('HttpOnly')
  if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`)
  if (partitioned) parts.push('Partitioned')
  if (path !== null && path !== '') parts.push(`Path=${path}`)
  if (samesite !== null) {
    if (!['strict', 'lax', 'none'].includes(samesite.toLowerCase())) throw new TypeError("samesite must be either 'strict', 'lax' or 'none'")
    parts.push(`SameSite=${samesite}`)
  }
  if (secure) parts.push('Secure')
  return parts.join('; ')
}
