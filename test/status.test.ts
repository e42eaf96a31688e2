import t from 'tap'
import { STATUS_CODES } from 'node:http'
import { status, reasonPhrase } from '../lib/status.js'

// Taken from Starlette 1.3.1 starlette/status.py (the names in __all__ plus the
// __deprecated__ names, minus WS_*). Checking names here catches typos that the
// digits check and the count would both let through.
const STARLETTE_NAMES = [
  'HTTP_100_CONTINUE', 'HTTP_101_SWITCHING_PROTOCOLS', 'HTTP_102_PROCESSING',
  'HTTP_103_EARLY_HINTS', 'HTTP_200_OK', 'HTTP_201_CREATED', 'HTTP_202_ACCEPTED',
  'HTTP_203_NON_AUTHORITATIVE_INFORMATION', 'HTTP_204_NO_CONTENT',
  'HTTP_205_RESET_CONTENT', 'HTTP_206_PARTIAL_CONTENT', 'HTTP_207_MULTI_STATUS',
  'HTTP_208_ALREADY_REPORTED', 'HTTP_226_IM_USED', 'HTTP_300_MULTIPLE_CHOICES',
  'HTTP_301_MOVED_PERMANENTLY', 'HTTP_302_FOUND', 'HTTP_303_SEE_OTHER',
  'HTTP_304_NOT_MODIFIED', 'HTTP_305_USE_PROXY', 'HTTP_306_RESERVED',
  'HTTP_307_TEMPORARY_REDIRECT', 'HTTP_308_PERMANENT_REDIRECT',
  'HTTP_400_BAD_REQUEST', 'HTTP_401_UNAUTHORIZED', 'HTTP_402_PAYMENT_REQUIRED',
  'HTTP_403_FORBIDDEN', 'HTTP_404_NOT_FOUND', 'HTTP_405_METHOD_NOT_ALLOWED',
  'HTTP_406_NOT_ACCEPTABLE', 'HTTP_407_PROXY_AUTHENTICATION_REQUIRED',
  'HTTP_408_REQUEST_TIMEOUT', 'HTTP_409_CONFLICT', 'HTTP_410_GONE',
  'HTTP_411_LENGTH_REQUIRED', 'HTTP_412_PRECONDITION_FAILED',
  'HTTP_413_CONTENT_TOO_LARGE', 'HTTP_413_REQUEST_ENTITY_TOO_LARGE',
  'HTTP_414_URI_TOO_LONG', 'HTTP_414_REQUEST_URI_TOO_LONG',
  'HTTP_415_UNSUPPORTED_MEDIA_TYPE', 'HTTP_416_RANGE_NOT_SATISFIABLE',
  'HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE', 'HTTP_417_EXPECTATION_FAILED',
  'HTTP_418_IM_A_TEAPOT', 'HTTP_421_MISDIRECTED_REQUEST',
  'HTTP_422_UNPROCESSABLE_CONTENT', 'HTTP_422_UNPROCESSABLE_ENTITY',
  'HTTP_423_LOCKED', 'HTTP_424_FAILED_DEPENDENCY', 'HTTP_425_TOO_EARLY',
  'HTTP_426_UPGRADE_REQUIRED', 'HTTP_428_PRECONDITION_REQUIRED',
  'HTTP_429_TOO_MANY_REQUESTS', 'HTTP_431_REQUEST_HEADER_FIELDS_TOO_LARGE',
  'HTTP_451_UNAVAILABLE_FOR_LEGAL_REASONS', 'HTTP_500_INTERNAL_SERVER_ERROR',
  'HTTP_501_NOT_IMPLEMENTED', 'HTTP_502_BAD_GATEWAY',
  'HTTP_503_SERVICE_UNAVAILABLE', 'HTTP_504_GATEWAY_TIMEOUT',
  'HTTP_505_HTTP_VERSION_NOT_SUPPORTED', 'HTTP_506_VARIANT_ALSO_NEGOTIATES',
  'HTTP_507_INSUFFICIENT_STORAGE', 'HTTP_508_LOOP_DETECTED',
  'HTTP_510_NOT_EXTENDED', 'HTTP_511_NETWORK_AUTHENTICATION_REQUIRED'
]

t.test('every value equals the code spelled in its name', async t => {
  for (const [name, value] of Object.entries(status)) {
    const match = /^HTTP_(\d{3})_[A-Z0-9_]+$/.exec(name)
    t.ok(match, `${name} is shaped HTTP_<3 digits>_<WORDS>`)
    t.equal(value, Number(match?.[1]), `${name} === ${match?.[1]}`)
  }
})

t.test('has exactly the constants Starlette defines', async t => {
  t.equal(Object.keys(status).length, 67)
  t.same(Object.keys(status).sort(), [...STARLETTE_NAMES].sort())
  t.notOk(Object.keys(status).some(name => name.startsWith('WS_')), 'no WebSocket codes')
})

t.test('current and deprecated RFC 9110 names both exist', async t => {
  const pairs = [
    ['HTTP_413_CONTENT_TOO_LARGE', 'HTTP_413_REQUEST_ENTITY_TOO_LARGE', 413],
    ['HTTP_414_URI_TOO_LONG', 'HTTP_414_REQUEST_URI_TOO_LONG', 414],
    ['HTTP_416_RANGE_NOT_SATISFIABLE', 'HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE', 416],
    ['HTTP_422_UNPROCESSABLE_CONTENT', 'HTTP_422_UNPROCESSABLE_ENTITY', 422]
  ] as const
  for (const [current, old, code] of pairs) {
    t.equal(status[current], code, current)
    t.equal(status[old], code, old)
  }
  t.equal(status.HTTP_306_RESERVED, 306)
  t.equal(status.HTTP_418_IM_A_TEAPOT, 418)
})

t.test('status cannot be changed at run time', async t => {
  t.ok(Object.isFrozen(status))
  t.throws(() => { (status as Record<string, number>).HTTP_200_OK = 201 }, TypeError)
  t.equal(status.HTTP_200_OK, 200)
})

t.test('reasonPhrase returns node:http phrases', async t => {
  t.equal(reasonPhrase(status.HTTP_200_OK), 'OK')
  t.equal(reasonPhrase(status.HTTP_404_NOT_FOUND), 'Not Found')
  t.equal(reasonPhrase(status.HTTP_418_IM_A_TEAPOT), "I'm a Teapot")
  // Node 20 still uses the old phrases even where the constant name follows RFC 9110.
  t.equal(reasonPhrase(status.HTTP_413_CONTENT_TOO_LARGE), 'Payload Too Large')
  t.equal(reasonPhrase(status.HTTP_422_UNPROCESSABLE_CONTENT), 'Unprocessable Entity')
  for (const code of new Set(Object.values(status))) {
    t.equal(reasonPhrase(code), STATUS_CODES[code] ?? 'unknown', `phrase for ${code}`)
  }
})

t.test('reasonPhrase falls back to what node sends on the wire', async t => {
  t.equal(reasonPhrase(status.HTTP_306_RESERVED), 'unknown', '306 has no node phrase')
  t.equal(reasonPhrase(599), 'unknown')
  t.equal(reasonPhrase(999), 'unknown')
  t.equal(reasonPhrase(NaN), 'unknown')
  t.equal(reasonPhrase(-1), 'unknown')
})
