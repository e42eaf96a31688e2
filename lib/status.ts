import { STATUS_CODES } from 'node:http'

/**
 * Named HTTP status codes, the same names as FastAPI's `status` module (Starlette's `starlette/status.py`).
 *
 * @remarks
 * Starlette 1.3.1 still accepts four pre-RFC 9110 names but warns when they are used. Here they are
 * real keys marked `@deprecated`, so the warning shows up in the editor instead of at run time.
 * WebSocket close codes (`WS_*`) are left out because this plugin does not handle WebSockets.
 *
 * @example
 * ```ts
 * app.post('/items', { statusCode: status.HTTP_201_CREATED }, createItem)
 * ```
 */
export const status = Object.freeze({
  HTTP_100_CONTINUE: 100,
  HTTP_101_SWITCHING_PROTOCOLS: 101,
  HTTP_102_PROCESSING: 102,
  HTTP_103_EARLY_HINTS: 103,
  HTTP_200_OK: 200,
  HTTP_201_CREATED: 201,
  HTTP_202_ACCEPTED: 202,
  HTTP_203_NON_AUTHORITATIVE_INFORMATION: 203,
  HTTP_204_NO_CONTENT: 204,
  HTTP_205_RESET_CONTENT: 205,
  HTTP_206_PARTIAL_CONTENT: 206,
  HTTP_207_MULTI_STATUS: 207,
  HTTP_208_ALREADY_REPORTED: 208,
  HTTP_226_IM_USED: 226,
  HTTP_300_MULTIPLE_CHOICES: 300,
  HTTP_301_MOVED_PERMANENTLY: 301,
  HTTP_302_FOUND: 302,
  HTTP_303_SEE_OTHER: 303,
  HTTP_304_NOT_MODIFIED: 304,
  HTTP_305_USE_PROXY: 305,
  // No longer used (RFC 9110 §15.4.7) but kept to match Starlette, whose main branch still exports it.
  HTTP_306_RESERVED: 306,
  HTTP_307_TEMPORARY_REDIRECT: 307,
  HTTP_308_PERMANENT_REDIRECT: 308,
  HTTP_400_BAD_REQUEST: 400,
  HTTP_401_UNAUTHORIZED: 401,
  HTTP_402_PAYMENT_REQUIRED: 402,
  HTTP_403_FORBIDDEN: 403,
  HTTP_404_NOT_FOUND: 404,
  HTTP_405_METHOD_NOT_ALLOWED: 405,
  HTTP_406_NOT_ACCEPTABLE: 406,
  HTTP_407_PROXY_AUTHENTICATION_REQUIRED: 407,
  HTTP_408_REQUEST_TIMEOUT: 408,
  HTTP_409_CONFLICT: 409,
  HTTP_410_GONE: 410,
  HTTP_411_LENGTH_REQUIRED: 411,
  HTTP_412_PRECONDITION_FAILED: 412,
  HTTP_413_CONTENT_TOO_LARGE: 413,
  /** @deprecated Renamed by RFC 9110; use `HTTP_413_CONTENT_TOO_LARGE`. */
  HTTP_413_REQUEST_ENTITY_TOO_LARGE: 413,
  HTTP_414_URI_TOO_LONG: 414,
  /** @deprecated Renamed by RFC 9110; use `HTTP_414_URI_TOO_LONG`. */
  HTTP_414_REQUEST_URI_TOO_LONG: 414,
  HTTP_415_UNSUPPORTED_MEDIA_TYPE: 415,
  HTTP_416_RANGE_NOT_SATISFIABLE: 416,
  /** @deprecated Renamed by RFC 9110; use `HTTP_416_RANGE_NOT_SATISFIABLE`. */
  HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE: 416,
  HTTP_417_EXPECTATION_FAILED: 417,
  HTTP_418_IM_A_TEAPOT: 418,
  HTTP_421_MISDIRECTED_REQUEST: 421,
  HTTP_422_UNPROCESSABLE_CONTENT: 422,
  /** @deprecated Renamed by RFC 9110; use `HTTP_422_UNPROCESSABLE_CONTENT`. */
  HTTP_422_UNPROCESSABLE_ENTITY: 422,
  HTTP_423_LOCKED: 423,
  HTTP_424_FAILED_DEPENDENCY: 424,
  HTTP_425_TOO_EARLY: 425,
  HTTP_426_UPGRADE_REQUIRED: 426,
  HTTP_428_PRECONDITION_REQUIRED: 428,
  HTTP_429_TOO_MANY_REQUESTS: 429,
  HTTP_431_REQUEST_HEADER_FIELDS_TOO_LARGE: 431,
  HTTP_451_UNAVAILABLE_FOR_LEGAL_REASONS: 451,
  HTTP_500_INTERNAL_SERVER_ERROR: 500,
  HTTP_501_NOT_IMPLEMENTED: 501,
  HTTP_502_BAD_GATEWAY: 502,
  HTTP_503_SERVICE_UNAVAILABLE: 503,
  HTTP_504_GATEWAY_TIMEOUT: 504,
  HTTP_505_HTTP_VERSION_NOT_SUPPORTED: 505,
  HTTP_506_VARIANT_ALSO_NEGOTIATES: 506,
  HTTP_507_INSUFFICIENT_STORAGE: 507,
  HTTP_508_LOOP_DETECTED: 508,
  HTTP_510_NOT_EXTENDED: 510,
  HTTP_511_NETWORK_AUTHENTICATION_REQUIRED: 511
} as const)

/**
 * Any status code that has a name in {@link status}, as a union of number literals.
 *
 * @example
 * ```ts
 * const code: StatusCode = status.HTTP_404_NOT_FOUND // OK
 * const bad: StatusCode = 999 // type error
 * ```
 */
export type StatusCode = (typeof status)[keyof typeof status]

/**
 * Any key of {@link status}, such as `'HTTP_404_NOT_FOUND'`.
 *
 * @example
 * ```ts
 * const name: StatusName = 'HTTP_201_CREATED'
 * status[name] // 201
 * ```
 */
export type StatusName = keyof typeof status

/**
 * Returns Node's standard reason phrase for an HTTP status code, or `'unknown'` if Node has none.
 *
 * @remarks
 * The phrases come from `node:http`'s `STATUS_CODES`, which is also what Node writes on the status
 * line. The `'unknown'` fallback is what Node itself sends when it has no phrase (for example
 * `HTTP/1.1 306 unknown`), so the result always matches what the client receives. Note that
 * `HTTP_306_RESERVED` is in {@link status} but has no phrase in Node, so it returns `'unknown'`.
 * Node still uses some older phrases (413 is `'Payload Too Large'`, 422 is `'Unprocessable Entity'`).
 *
 * @param code - The HTTP status code to look up.
 * @returns The reason phrase, or `'unknown'`.
 *
 * @example
 * ```ts
 * reasonPhrase(status.HTTP_404_NOT_FOUND) // 'Not Found'
 * reasonPhrase(599) // 'unknown'
 * ```
 */
export function reasonPhrase (code: number): string {
  return STATUS_CODES[code] ?? 'unknown'
}
