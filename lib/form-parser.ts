/**
 * @module form-parser — parses `application/x-www-form-urlencoded` and `multipart/form-data`
 * bodies for the routes that read form fields or files (`Form()`, `File()`,
 * OAuth2PasswordRequestForm).
 *
 * Installed on the instance that declares such a route, and only when that instance has no
 * parser for the type yet (an app that registered @fastify/formbody keeps its own). Any other
 * route of the instance keeps Fastify's 415 for the type, as if the parser were not there.
 */
import type { IncomingMessage } from 'node:http'
import { Busboy, type BusboyFileStream, type BusboyInstance } from '@fastify/busboy'
import { parse } from 'fast-querystring'
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify'
import { kFormRoute } from './symbols.js'
import { UploadFile } from './upload.js'

const FORM_TYPE = 'application/x-www-form-urlencoded'
const MULTIPART_TYPE = 'multipart/form-data'

type Done = (err: Error | null, body?: unknown) => void

/** Makes `instance` parse form bodies for routes flagged with `config[kFormRoute]`. */
export function installFormParser (instance: FastifyInstance): void {
  if (!instance.hasContentTypeParser(FORM_TYPE)) {
    instance.addContentTypeParser(FORM_TYPE, { parseAs: 'string' }, function parseForm (request: FastifyRequest, body: string | Buffer, done: Done) {
      if (!isFormRoute(request)) {
        done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(FORM_TYPE))
        return
      }
      done(null, parse(body.toString()))
    })
  }
  if (!instance.hasContentTypeParser(MULTIPART_TYPE)) {
    instance.addContentTypeParser(MULTIPART_TYPE, function parseMultipart (request: FastifyRequest, payload: IncomingMessage, done: Done) {
      if (!isFormRoute(request)) {
        done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(MULTIPART_TYPE))
        return
      }
      readMultipart(request, payload, done)
    })
  }
}

function isFormRoute (request: FastifyRequest): boolean {
  return (request.routeOptions.config as unknown as Record<symbol, unknown>)[kFormRoute] === true
}

/**
 * Collects the fields (strings) and files (`UploadFile`, content in memory) of a multipart body
 * into the shape fast-querystring gives an urlencoded one: a value, or an array when repeated.
 * The route's body limit bounds the whole body, as Fastify's own parsers do.
 */
function readMultipart (request: FastifyRequest, payload: IncomingMessage, done: Done): void {
  const limit = request.routeOptions.bodyLimit ?? Infinity
  const body: Record<string, unknown> = Object.create(null)
  let pending = 0
  let finished = false
  let settled = false
  let received = 0

  const settle = (err: Error | null): void => {
    if (settled) return
    settled = true
    if (err !== null) {
      payload.unpipe(parser)
      payload.resume()
      done(err)
    } else {
      done(null, body)
    }
  }
  const maybeDone = (): void => {
    if (finished && pending === 0) settle(null)
  }

  let parser: BusboyInstance
  try {
    parser = Busboy({ headers: request.headers as any, limits: { fieldSize: limit, fileSize: limit } })
  } catch (err) {
    // No boundary, or not a multipart type busboy knows: the body cannot be read.
    done(badRequest(err))
    return
  }
  parser.on('field', (name: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
    if (valueTruncated) settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
    else add(body, name, value)
  })
  parser.on('file', (name: string, stream: BusboyFileStream, filename: string, _encoding: string, mimeType: string) => {
    pending++
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => { chunks.push(chunk) })
    stream.on('limit', () => settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()))
    stream.on('error', (err: Error) => settle(badRequest(err)))
    stream.on('end', () => {
      pending--
      if (!stream.truncated) add(body, name, new UploadFile(filename, mimeType, Buffer.concat(chunks), { 'content-type': mimeType }))
      maybeDone()
    })
  })
  parser.on('error', (err: unknown) => settle(badRequest(err)))
  parser.on('finish', () => {
    finished = true
    maybeDone()
  })
  payload.on('data', (chunk: Buffer) => {
    received += chunk.length
    if (received > limit) settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
  })
  payload.on('error', (err: Error) => settle(badRequest(err)))
  payload.pipe(parser)
}

function add (body: Record<string, unknown>, name: string, value: unknown): void {
  const current = body[name]
  if (current === undefined) body[name] = value
  else if (Array.isArray(current)) current.push(value)
  else body[name] = [current, value]
}

/** A malformed multipart body: 400, as Starlette's "There was an error parsing the body". */
function badRequest (err: unknown): Error {
  const error = new Error(`Invalid multipart body: ${err instanceof Error ? err.message : String(err)}`) as Error & { statusCode: number }
  error.statusCode = 400
  return error
}
