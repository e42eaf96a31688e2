/**
 * @module coerce — strings from the URL, query, headers and cookies, turned into the
 * numbers, booleans and lists the schema asks for (FastAPI does this without z.coerce).
 *
 * A coercer is chosen once per argument. A string that cannot be converted is passed on
 * unchanged, so the schema rejects it and the 422 item shows the string as received.
 */
import type { Coercion, ScalarKind } from './zod-internals.js'

/** Converts one raw value (a string, or an array of strings for repeated keys). */
export type Coercer = (raw: unknown) => unknown

// pydantic's boolean spellings, compared without trimming and ignoring ASCII case.
const TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes'])
const FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no'])
// Rust's f64 grammar (what pydantic parses floats with) without inf/nan, which we refuse:
// they have no JSON form to echo back or return. JS's Number() would also take 0x10, 0b1, 0o7.
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const DIGITS = /^\d+$/

/**
 * The decimal digits (with sign) pydantic reads from a string for an int, or undefined.
 * As pydantic-core's str_as_int: surrounding whitespace, one sign, leading zeros, a zero
 * fraction ("7.0", not "7.") and single underscores between digits ("1_000") are accepted;
 * exponents ("1e3") and other fractions are not.
 */
function integerText (raw: string): string | undefined {
  let text = raw.trim()
  let sign = ''
  if (text.startsWith('+') || text.startsWith('-')) {
    sign = text[0] === '-' ? '-' : ''
    text = text.slice(1)
  }
  const zeros = /^0[0_]*/.exec(text)
  if (zeros !== null) {
    const rest = text.slice(zeros[0].length)
    // All zeros keep the last character (a trailing "_" fails below); "00.0" keeps one zero.
    if (rest === '') text = text.slice(-1)
    else if (rest.startsWith('.')) text = text.slice(zeros[0].length - 1)
    else if (/^[1-9]/.test(rest)) text = rest
    else return undefined
  }
  const dot = text.indexOf('.')
  if (dot !== -1 && /^0+$/.test(text.slice(dot + 1))) text = text.slice(0, dot)
  if (/^\d+(?:_\d+)+$/.test(text)) text = text.replaceAll('_', '')
  return DIGITS.test(text) ? sign + text : undefined
}

/** pydantic-core's str_as_float: the trimmed text, or the untrimmed text with single underscores. */
function floatText (raw: string): string | undefined {
  const trimmed = raw.trim()
  if (FLOAT.test(trimmed)) return trimmed
  if (raw.startsWith('_') || raw.endsWith('_') || !raw.includes('_') || raw.includes('__')) return undefined
  const stripped = raw.replaceAll('_', '')
  return FLOAT.test(stripped) ? stripped : undefined
}

const scalars: Record<ScalarKind, (raw: string) => unknown> = {
  string: raw => raw,
  integer: raw => {
    const text = integerText(raw)
    return text === undefined ? raw : Number(text)
  },
  number: raw => {
    const text = floatText(raw)
    if (text === undefined) return raw
    const value = Number(text)
    // "1e999" parses to Infinity: refused like "inf".
    return Number.isFinite(value) ? value : raw
  },
  boolean: raw => {
    const lower = raw.toLowerCase()
    return TRUE.has(lower) ? true : FALSE.has(lower) ? false : raw
  },
  bigint: raw => {
    const text = integerText(raw)
    return text === undefined ? raw : BigInt(text)
  },
  date: raw => {
    const value = new Date(raw)
    return Number.isNaN(value.getTime()) ? raw : value
  }
}

/**
 * Builds the coercer for an argument. Scalars take the last of repeated values
 * (as FastAPI does); lists take every value, and a single value becomes a one-item list.
 */
export function buildCoercer ({ kind, list }: Coercion): Coercer {
  const scalar = scalars[kind]
  const one = (value: unknown): unknown => typeof value === 'string' ? scalar(value) : value
  if (list) {
    return raw => raw === undefined ? raw : Array.isArray(raw) ? raw.map(one) : [one(raw)]
  }
  if (kind === 'string') return raw => Array.isArray(raw) ? raw[raw.length - 1] : raw
  return raw => one(Array.isArray(raw) ? raw[raw.length - 1] : raw)
}

/**
 * Python's `urllib.parse.unquote_plus` (UTF-8, `errors='replace'`), which Starlette applies to
 * query strings and urlencoded forms: `+` is a space, each run of `%XX` escapes is decoded as
 * UTF-8 with U+FFFD for every bad sequence (`%FF%FE` → two U+FFFD, as Python's decoder and
 * Node's agree), and a `%` not followed by two hex digits stays as it is (`100%`, `%zz`).
 * fast-querystring (Fastify's parser) instead keeps a value with any bad escape undecoded.
 */
export function unquotePlus (text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text
  if (!spaced.includes('%')) return spaced
  try {
    // Where decodeURIComponent succeeds it agrees with Python; it throws on what Python replaces.
    return decodeURIComponent(spaced)
  } catch {
    return unquoteReplacing(spaced)
  }
}

function unquoteReplacing (text: string): string {
  let out = ''
  let bytes: number[] = []
  const flush = (): void => {
    if (bytes.length === 0) return
    out += Buffer.from(bytes).toString('utf8')
    bytes = []
  }
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x25 && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      flush()
      out += text[i]
    }
  }
  flush()
  return out
}

function isHex (c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

/**
 * A query string or urlencoded body read as Starlette reads it (`parse_qsl(keep_blank_values=True)`):
 * pairs split on `&`, the name and value each unquoted with {@link unquotePlus}, a pair without
 * `=` read as an empty value. In fast-querystring's shape: a null-prototype object, one string
 * per name, or an array for a repeated name.
 */
export function parseQueryString (text: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null)
  for (const pair of text.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const name = unquotePlus(eq === -1 ? pair : pair.slice(0, eq))
    const value = eq === -1 ? '' : unquotePlus(pair.slice(eq + 1))
    const current = result[name]
    if (current === undefined) result[name] = value
    else if (Array.isArray(current)) current.push(value)
    else result[name] = [current, value]
  }
  return result
}

/**
 * True when a value fast-querystring produced may read otherwise in Starlette: it still holds a
 * `%`, either an escape fast-querystring could not decode (kept raw) or a decoded `%25`. Cheap
 * (one `includes` per string); the caller then re-reads the raw text with {@link parseQueryString}.
 */
export function mayHoldEscape (value: unknown): boolean {
  if (typeof value === 'string') return value.includes('%')
  if (!Array.isArray(value)) return false
  for (const item of value) if (typeof item === 'string' && item.includes('%')) return true
  return false
}
