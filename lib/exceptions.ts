/**
 * @module exceptions — the errors users throw and catch, as in FastAPI's `fastapi.exceptions`.
 */
import { STATUS_CODES } from 'node:http'

/** Where a request value came from, as the first element of an error's `loc`. */
export type Location = 'path' | 'query' | 'header' | 'cookie' | 'body'

/**
 * One item of a 422 `detail` array, shaped like pydantic v2's errors as FastAPI sends them.
 * Keys keep FastAPI's order: type, loc, msg, input, ctx (ctx only when the rule has parameters).
 */
export interface ErrorItem {
  type: string
  loc: Array<string | number>
  msg: string
  input: unknown
  ctx?: Record<string, unknown>
}

/**
 * Ends the request with `statusCode` and the JSON body `{"detail": detail}`.
 *
 * `detail` may be any JSON value and defaults to the status's reason phrase;
 * `headers` are added to the response.
 *
 * @example
 * throw new HTTPException(404, 'Item not found', { 'X-Error': 'yes' })
 * @see README "Errors"
 */
export class HTTPException extends Error {
  readonly statusCode: number
  readonly detail: unknown
  readonly headers: Record<string, string> | undefined

  constructor (statusCode: number, detail?: unknown, headers?: Record<string, string>) {
    const phrase = STATUS_CODES[statusCode] ?? 'Unknown Status'
    super(typeof detail === 'string' ? detail : phrase)
    this.name = 'HTTPException'
    this.statusCode = statusCode
    this.detail = detail === undefined ? phrase : detail
    this.headers = headers
  }
}

/**
 * Thrown when request arguments fail validation; answered with 422 `{"detail": errors}`.
 * Register a handler for this class to change the answer.
 *
 * @example
 * app.api.addExceptionHandler(RequestValidationError, (err, request, reply) =>
 *   reply.code(400).send({ problems: err.errors() }))
 */
export class RequestValidationError extends Error {
  readonly statusCode = 422 as const
  readonly #errors: ErrorItem[]
  /** The request body as received (already parsed), as FastAPI's `exc.body`. */
  readonly body: unknown

  constructor (errors: ErrorItem[], body?: unknown) {
    // Bad input is the client's, not a bug here: a stack trace would say nothing, and
    // capturing one is a large part of the cost of a 422.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(`${errors.length} validation error${errors.length === 1 ? '' : 's'}`)
    Error.stackTraceLimit = limit
    this.name = 'RequestValidationError'
    this.#errors = errors
    this.body = body
  }

  /** The 422 detail items. */
  errors (): ErrorItem[] {
    return this.#errors
  }
}

/**
 * Thrown when a handler's return value does not fit its `responseModel`.
 * Answered with 500 and logged: the raw value is never sent.
 */
export class ResponseValidationError extends Error {
  readonly statusCode = 500 as const
  readonly #errors: ErrorItem[]

  constructor (errors: ErrorItem[]) {
    super(`${errors.length} response validation error${errors.length === 1 ? '' : 's'}`)
    this.name = 'ResponseValidationError'
    this.#errors = errors
  }

  /** The items describing how the return value broke the model (loc starts with "response"). */
  errors (): ErrorItem[] {
    return this.#errors
  }
}

/** True when `value` is an {@link HTTPException}. */
export function isHTTPException (value: unknown): value is HTTPException {
  return value instanceof HTTPException
}

/** True when `value` is a {@link RequestValidationError}. */
export function isRequestValidationError (value: unknown): value is RequestValidationError {
  return value instanceof RequestValidationError
}

/** True when `value` is a {@link ResponseValidationError}. */
export function isResponseValidationError (value: unknown): value is ResponseValidationError {
  return value instanceof ResponseValidationError
}
