/**
 * @module exception-handlers — how errors thrown on a FastAPI-style route are answered.
 *
 * Installed as the route-level `errorHandler` of `app.api` routes only, so plain Fastify
 * routes keep whatever error handler the app has.
 */
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { HTTPException, RequestValidationError, ResponseValidationError, isSendableHeader, type ErrorItem } from './exceptions.js'
import { locateJsonError } from './json-error.js'
import { kRawBody } from './symbols.js'
import { markTimedOut } from './dependency-runner.js'
import { loggableError } from './redact-log.js'

/** A user's handler for one error class, as FastAPI's `@app.exception_handler(Cls)`. */
export type ExceptionHandler<TError = any> = (
  this: FastifyInstance, error: TError, request: FastifyRequest, reply: FastifyReply
) => unknown

/** `'fastify'` keeps Fastify's 400/404 shapes for apps whose clients depend on them. */
export type ErrorFormat = 'fastapi' | 'fastify'

/** Error handling settings shared by every route of one plugin registration. */
export interface ErrorSettings {
  format: ErrorFormat
  handlers: Map<Function, ExceptionHandler>
}

/** Builds the route-level error handler for `app.api` routes. */
export function buildErrorHandler (settings: ErrorSettings) {
  return function fastapiErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply): unknown {
    // Fastify's `handlerTimeout` fired while the handler (or a dependency) still runs: mark the
    // request before anything else, so what still runs ends quietly whoever answers.
    const timedOut = error?.code === 'FST_ERR_HANDLER_TIMEOUT'
    if (timedOut) markTimedOut(request, error)
    // Fastify clears the content headers it holds, not those a stream already put on the raw
    // response: a failed StreamingResponse would leave its type, and the JSON error be refused.
    const raw = reply.raw
    if (!raw.headersSent && raw.hasHeader('content-type')) {
      raw.removeHeader('content-type')
      raw.removeHeader('content-length')
    }
    const custom = findHandler(settings.handlers, error)
    // Fastify calls a route-level errorHandler without `this`; the route's own instance is request.server.
    if (custom !== undefined) return custom.call(request.server, error, request, reply)
    if (error instanceof RequestValidationError) {
      return settings.format === 'fastify'
        ? sendFastifyValidation(reply, error.errors())
        : reply.code(422).send({ detail: error.errors() })
    }
    if (error instanceof HTTPException) return sendHTTPException(reply, error)
    if (timedOut) {
      // Logged here, once; a late throw from the handler is dropped or logged by the runner.
      request.log.error({ err: error }, 'Request handler timed out')
      return reply.code(503).send({ detail: 'Service Unavailable' })
    }
    // A handler may throw anything (a string, null): only an object can carry our marks.
    if (error === null || typeof error !== 'object') {
      request.log.error({ err: loggableError(request, error) }, 'Unhandled error in route handler')
      return sendInternalError(reply)
    }
    if (kRawBody in error) return sendJsonError(settings, reply, error)
    if (error instanceof ResponseValidationError) {
      // Where and why only: an item's `input` can be the whole returned object, secrets and all.
      const errors = error.errors().map(({ type, loc, msg, ctx }) => ctx === undefined ? { type, loc, msg } : { type, loc, msg, ctx })
      request.log.error({ errors }, 'Response validation failed: the return value does not fit the response model')
      return sendInternalError(reply)
    }
    // Node refused a header the handler set (reply.header, a response class) when writing it: drop
    // such headers, or the 500 below would fail the same way and Fastify answer in its own shape.
    if (error.code === 'ERR_INVALID_CHAR' || error.code === 'ERR_INVALID_HTTP_TOKEN') {
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (!isSendableHeader(name, value)) reply.removeHeader(name)
      }
    }
    const code = typeof error.statusCode === 'number' ? error.statusCode : 500
    // Fastify's own 4xx (413 body too large, 415 media type, …): FastAPI's shape, reason phrase only.
    if (code >= 400 && code < 500) return reply.code(code).send({ detail: STATUS_CODES[code] ?? 'Bad Request' })
    request.log.error({ err: loggableError(request, error) }, 'Unhandled error in route handler')
    return sendInternalError(reply)
  }
}

/**
 * What a route's handler returns instead of throwing a RequestValidationError: the body, which
 * Fastify then sends as any return value (preSerialization hooks, the reply serializer, onSend
 * hooks all see it, as they see the error handler's); `undefined` means throw.
 */
export type InvalidAnswer = (reply: FastifyReply, items: ErrorItem[]) => object | undefined

/**
 * The 422 of a request whose arguments failed validation, answered by the route's handler itself
 * when nothing could observe the thrown error: no exception handler registered and no `onError`
 * hook on the route. Fastify's error path (the throw, its error handler, a second send) cost about
 * 12 µs of CPU per request here, a third of a whole 422 (bench/README.md); the answer is the
 * same. Otherwise `undefined`, and the handler throws as before.
 */
export function buildInvalidAnswer (settings: ErrorSettings): InvalidAnswer {
  // A route's hooks are fixed once the app is ready, which is before its first request.
  let quiet: boolean | undefined
  return function answerInvalid (reply, items) {
    if (settings.handlers.size !== 0) return undefined
    quiet ??= !hasOnErrorHooks(reply)
    if (!quiet) return undefined
    if (settings.format === 'fastify') {
      reply.code(400)
      return fastifyValidationBody(items)
    }
    reply.code(422)
    return { detail: items }
  }
}

/**
 * Whether `onError` hooks (the app's, a plugin's or the route's own) would run for an error of this
 * reply's route. Fastify keeps them on the route's context object, which it does not export: when
 * that cannot be read, the answer is yes, and errors take Fastify's path.
 */
function hasOnErrorHooks (reply: FastifyReply): boolean {
  try {
    // Its key is defined on Reply's prototype (a getter of the reply's request): found there, read on the reply.
    for (let holder: object | null = reply; holder !== null; holder = Object.getPrototypeOf(holder)) {
      const key = Object.getOwnPropertySymbols(holder).find(symbol => symbol.description === 'fastify.context')
      if (key === undefined) continue
      const context = (reply as unknown as Record<symbol, unknown>)[key]
      return !(context !== null && typeof context === 'object' && 'onError' in context && context.onError === null)
    }
  } catch {}
  return true
}

/** The handler registered for the error's class or its nearest parent class. */
function findHandler (handlers: Map<Function, ExceptionHandler>, error: unknown): ExceptionHandler | undefined {
  if (handlers.size === 0 || error === null || typeof error !== 'object') return undefined
  for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const found = handlers.get(proto.constructor)
    if (found !== undefined) return found
  }
  return undefined
}

function sendHTTPException (reply: FastifyReply, error: HTTPException): FastifyReply {
  if (error.headers !== undefined) reply.headers(error.headers)
  reply.code(error.statusCode)
  // RFC 9110: 204 and 304 carry no content.
  if (error.statusCode === 204 || error.statusCode === 304 || error.statusCode < 200) return reply.send()
  return reply.send({ detail: error.detail })
}

function sendJsonError (settings: ErrorSettings, reply: FastifyReply, error: FastifyError): FastifyReply {
  const raw = (error as unknown as Record<symbol, string>)[kRawBody]
  // Fastify closes the connection after a parser error, as the client may still be sending; this
  // body was read to its end, so the connection can serve the next request, as uvicorn's does.
  reply.removeHeader('connection')
  const found = locateJsonError(raw)
  // Valid JSON that Fastify still refused (a __proto__ key, by default): not a syntax error.
  if (found === undefined) return reply.code(400).send({ detail: 'Bad Request' })
  const item: ErrorItem = { type: 'json_invalid', loc: ['body', found.offset], msg: 'JSON decode error', input: {}, ctx: { error: found.message } }
  if (settings.format === 'fastify') return sendFastifyValidation(reply, [item])
  return reply.code(422).send({ detail: [item] })
}

function sendInternalError (reply: FastifyReply): FastifyReply {
  return reply.code(500).send({ detail: 'Internal Server Error' })
}

/** Fastify's validation error body, `{statusCode, code, error, message}`, for migrating apps. */
function fastifyValidationBody (items: ErrorItem[]) {
  const message = items.map(item => `${item.loc.join('/')} ${item.msg}`).join(', ')
  return { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message }
}

function sendFastifyValidation (reply: FastifyReply, items: ErrorItem[]): FastifyReply {
  return reply.code(400).send(fastifyValidationBody(items))
}
