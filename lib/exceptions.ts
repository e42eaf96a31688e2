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

// RFC 9110's token (a header name) and field-value characters, as Node's own checks: no CR, LF,
// NUL or other control character, nothing above U+00FF (a header is Latin-1 on the wire).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BAD_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/

/**
 * Throws a TypeError naming the first header that could not be sent as given. Headers often carry
 * request data (`{ 'X-Echo': q }`): a CR/LF there would be a response-splitting attempt, which Node
 * refuses only when the response is written, and then in Fastify's shape with the client's text.
 * Refused here, the mistake surfaces where it was made and is answered as any other bug: a logged
 * 500. The value itself is not in the message: it may be the client's, or a secret.
 */
/** True when Node would write this header as given (a token name; no CR, LF or control character). */
export function isSendableHeader (name: string, value: unknown): boolean {
  if (!HEADER_NAME.test(name)) return false
  for (const one of Array.isArray(value) ? value : [value]) {
    if ((typeof one !== 'string' && typeof one !== 'number') || BAD_HEADER_VALUE.test(String(one))) return false
  }
  return true
}

function checkHeaders (headers: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      throw new TypeError(`HTTPException header name ${JSON.stringify(name)} is not a valid HTTP header name (a token: letters, digits and !#$%&'*+-.^_\`|~).`)
    }
    for (const one of Array.isArray(value) ? value : [value]) {
      if (typeof one !== 'string' && typeof one !== 'number') {
        throw new TypeError(`HTTPException header ${JSON.stringify(name)} must be a string, got ${one === null ? 'null' : typeof one}.`)
      }
      if (BAD_HEADER_VALUE.test(String(one))) {
        throw new TypeError(`HTTPException header ${JSON.stringify(name)} has a value with a character not allowed in a header (CR, LF, NUL, another control character, or a character above U+00FF).`)
      }
    }
  }
}

/**
 * Ends the request with `statusCode` and the JSON body `{"detail": detail}`.
 *
 * `detail` may be any JSON value and defaults to the status's reason phrase;
 * `headers` are added to the response. A header name that is not an HTTP token, or a value with
 * CR, LF or another control character, throws a TypeError here (answered as a bug: a logged 500),
 * so request data put into a header can never split the response.
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
    if (headers !== undefined && headers !== null) checkHeaders(headers)
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
  /**
   * The request body as received (already parsed), as FastAPI's `exc.body`. A getter, not an own
   * property: a logger serializes an error's enumerable own properties (pino's `{ err }` does),
   * and the body holds whatever the client sent, secrets included.
   */
  get body (): unknown {
    return this.#body
  }

  readonly #body: unknown

  constructor (errors: ErrorItem[], body?: unknown) {
    // Bad input is the client's, not a bug here: a stack trace would say nothing, and
    // capturing one is a large part of the cost of a 422.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(`${errors.length} validation error${errors.length === 1 ? '' : 's'}`)
    Error.stackTraceLimit = limit
    this.name = 'RequestValidationError'
    this.#errors = errors
    this.#body = body
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
