import t from 'tap'
import { locateJsonError } from '../lib/json-error.js'

/**
 * An assertion name for a body: JSON-quoted, with every non-ASCII character
 * escaped, because a raw U+2028 or control character would break TAP's lines.
 */
const show = (text: string): string =>
  JSON.stringify(text).replace(/[^\x20-\x7e]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

// Each expectation is what CPython 3.13's `json.loads(body_bytes)` raises (the
// call Starlette makes for FastAPI): `JSONDecodeError.pos` and `.msg`. They were
// derived from Modules/_json.c and checked against a real CPython 3.13 run.
// Offsets count code points; see the emoji cases.
const malformed: Array<[body: string, offset: number, message: string]> = [
  // Nothing, or nothing but whitespace: the value is expected after the whitespace.
  ['', 0, 'Expecting value'],
  ['   \n\t', 5, 'Expecting value'],
  // The example from FastAPI's docs: `{"a": }`.
  ['{"a": }', 6, 'Expecting value'],
  ['[', 1, 'Expecting value'],
  ['[1, ', 4, 'Expecting value'],
  [']', 0, 'Expecting value'],
  ['[,1]', 1, 'Expecting value'],
  ['[1,,2]', 3, 'Expecting value'],
  // Bare words and unknown literals fail where the word starts.
  ['hello', 0, 'Expecting value'],
  ['[nul]', 1, 'Expecting value'],
  ['{"a": tru}', 6, 'Expecting value'],
  ["{'a': 1}", 1, 'Expecting property name enclosed in double quotes'],
  // Python accepts NaN and +/-Infinity; JSON.parse and Fastify do not, so they are
  // reported as CPython reports any other unknown word.
  ['NaN', 0, 'Expecting value'],
  ['[1, Infinity]', 4, 'Expecting value'],
  ['{"x": -Infinity}', 6, 'Expecting value'],
  // Numbers: the scanner stops before a malformed part and the caller complains.
  ['-', 0, 'Expecting value'],
  ['[-a]', 1, 'Expecting value'],
  ['.5', 0, 'Expecting value'],
  ['+1', 0, 'Expecting value'],
  ['01', 1, 'Extra data'],
  ['[1.]', 2, "Expecting ',' delimiter"],
  ['[1e]', 2, "Expecting ',' delimiter"],
  ['[1e+]', 2, "Expecting ',' delimiter"],
  ['[0x10]', 2, "Expecting ',' delimiter"],
  // Objects.
  ['{', 1, 'Expecting property name enclosed in double quotes'],
  ['{ 1: 2}', 2, 'Expecting property name enclosed in double quotes'],
  ['{"a" 1}', 5, "Expecting ':' delimiter"],
  ['{"a"', 4, "Expecting ':' delimiter"],
  ['{"a": 1 "b": 2}', 8, "Expecting ',' delimiter"],
  ['{"a": 1', 7, "Expecting ',' delimiter"],
  ['{"a": 1,', 8, 'Expecting property name enclosed in double quotes'],
  ['{"a": 1, 2: 3}', 9, 'Expecting property name enclosed in double quotes'],
  ['{"a": 1]', 7, "Expecting ',' delimiter"],
  // Trailing commas (CPython 3.13+) point at the comma, whitespace or not.
  ['{"a": 1,}', 7, 'Illegal trailing comma before end of object'],
  ['{"a": 1 ,\n }', 8, 'Illegal trailing comma before end of object'],
  ['[1,]', 2, 'Illegal trailing comma before end of array'],
  ['[[1, 2] , ]', 8, 'Illegal trailing comma before end of array'],
  // Arrays.
  ['[1 2]', 3, "Expecting ',' delimiter"],
  ['[1}', 2, "Expecting ',' delimiter"],
  ['[1', 2, "Expecting ',' delimiter"],
  // Strings.
  ['"abc', 0, 'Unterminated string starting at'],
  ['{"a": "b}', 6, 'Unterminated string starting at'],
  ['"ab\\', 0, 'Unterminated string starting at'],
  ['["a\nb"]', 3, 'Invalid control character at'],
  ['"tab\there"', 4, 'Invalid control character at'],
  ['"\u0000"', 1, 'Invalid control character at'],
  // `\x` is reported at the backslash, `\u` errors at the `u`.
  ['["\\x"]', 2, 'Invalid \\escape'],
  ['"a\\\'"', 2, 'Invalid \\escape'],
  ['["\\u12"]', 3, 'Invalid \\uXXXX escape'],
  ['"\\uZZZZ"', 2, 'Invalid \\uXXXX escape'],
  ['"\\ud83d\\u12"', 8, 'Invalid \\uXXXX escape'],
  // Released CPython needs a character after the four digits (see the module).
  ['"\\u0041', 2, 'Invalid \\uXXXX escape'],
  ['"\\u0041 ', 0, 'Unterminated string starting at'],
  // Extra data after a complete document is reported after the whitespace.
  ['{} {}', 3, 'Extra data'],
  ['[1]]', 3, 'Extra data'],
  ['"a" "b"', 4, 'Extra data'],
  ['true false', 5, 'Extra data'],
  ['nulls', 4, 'Extra data'],
  // A byte order mark is dropped (utf-8-sig) and not counted; a second one is not.
  ['\uFEFF[1,]', 2, 'Illegal trailing comma before end of array'],
  ['\uFEFF\uFEFF[]', 0, 'Expecting value'],
  // Unicode whitespace is not JSON whitespace.
  ['[1,\u00a02]', 3, 'Expecting value']
]

t.test('malformed JSON is located as CPython locates it', async t => {
  for (const [body, offset, message] of malformed) {
    t.strictSame(locateJsonError(body), { offset, message }, show(body))
  }
})

t.test('every table entry is rejected by JSON.parse too', async t => {
  // Otherwise the entry could never reach the locator in production.
  for (const [body] of malformed) {
    const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body
    t.throws(() => JSON.parse(text), show(body))
  }
})

t.test('offsets count code points, as Python does, not UTF-16 units', async t => {
  // '😀' is one code point (Python) but two UTF-16 units (JavaScript).
  const body = '["😀", }'
  t.equal(body.indexOf('}'), 7, 'JavaScript sees the brace at 7')
  t.strictSame(locateJsonError(body), { offset: 6, message: 'Expecting value' })
  t.strictSame(locateJsonError('{"😀😀": 1 "b": 2}'), { offset: 9, message: "Expecting ',' delimiter" })
  // Characters of the Basic Multilingual Plane are one unit in both.
  t.strictSame(locateJsonError('{"ключ": }'), { offset: 9, message: 'Expecting value' })
  // A lone surrogate is one code point in both languages.
  t.strictSame(locateJsonError('["\ud800", }'), { offset: 6, message: 'Expecting value' })
  // An error inside a string after the emoji.
  t.strictSame(locateJsonError('"😀\\q"'), { offset: 2, message: 'Invalid \\escape' })
})

t.test('valid JSON gives undefined', async t => {
  const valid = [
    '{}', '[]', '""', '0', '-0', '1.5e-3', '-12.25E+4', '1E400', 'true', 'false', 'null',
    ' \t\r\n{"a" : [1, 2.0, {"b": null}] , "c": "\\u00e9\\ud83d\\ude00\\n\\"\\\\\\/"} \n',
    '"\\ud800"', // a lone escaped surrogate is fine for both parsers
    '["😀", "é", "ключ", "\u2028"]',
    '[[[[[]]]]]', '{"a":{"b":{"c":{}}}}',
    '123456789012345678901234567890',
    '\uFEFF{"bom": true}'
  ]
  for (const text of valid) t.equal(locateJsonError(text), undefined, show(text))
})

t.test('deep nesting neither overflows the stack nor loses the position', async t => {
  const depth = 100_000
  const open = '['.repeat(depth)
  t.strictSame(locateJsonError(open), { offset: depth, message: 'Expecting value' })
  t.equal(locateJsonError(open + ']'.repeat(depth)), undefined)
  t.strictSame(
    locateJsonError(open + ']'.repeat(depth - 1) + '}'),
    { offset: 2 * depth - 1, message: "Expecting ',' delimiter" }
  )
  const objects = '{"a":'.repeat(depth)
  t.strictSame(
    locateJsonError(objects + '1' + '}'.repeat(depth - 1) + ',}'),
    { offset: objects.length + depth, message: 'Illegal trailing comma before end of object' }
  )
  t.equal(locateJsonError(objects + '1' + '}'.repeat(depth)), undefined)
})

t.test('JSON.stringify output of generated values is always valid', async t => {
  // A small seeded generator (mulberry32) so that a failure can be replayed.
  let seed = 0x5eed
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]
  const randomString = (): string => {
    let s = ''
    const n = Math.floor(random() * 8)
    for (let i = 0; i < n; i++) {
      s += pick([
        'a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f',
        'é', 'ключ', '😀', '\u2028', '\ud800', '\udfff', '{', ']', ':', ','
      ])
    }
    return s
  }
  const randomValue = (depth: number): unknown => {
    const r = random()
    if (depth > 4 || r < 0.4) {
      return pick([
        () => null,
        () => random() < 0.5,
        () => Math.floor(random() * 2000) - 1000,
        () => (random() - 0.5) * 10 ** Math.floor(random() * 60 - 30),
        () => -0,
        () => Number.MAX_VALUE,
        randomString
      ])()
    }
    const n = Math.floor(random() * 5)
    if (r < 0.7) return Array.from({ length: n }, () => randomValue(depth + 1))
    const object: Record<string, unknown> = {}
    for (let i = 0; i < n; i++) object[randomString()] = randomValue(depth + 1)
    return object
  }

  let failures = 0
  for (let i = 0; i < 2000; i++) {
    const value = randomValue(0)
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
      const found = locateJsonError(text)
      if (found !== undefined) {
        failures++
        t.fail(`reported ${JSON.stringify(found)} for valid ${text}`)
      }
    }
  }
  t.equal(failures, 0)
})
