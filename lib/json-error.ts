/**
 * @module json-error — where and why a malformed JSON body fails, as FastAPI says it.
 *
 * FastAPI answers a malformed JSON body with a `json_invalid` error whose `loc` is
 * `["body", pos]` and whose `ctx.error` is `msg`, both taken from the
 * `json.JSONDecodeError` that Python's `json.loads` raised. Node's `JSON.parse`
 * messages differ and often carry no position, so this module re-scans the text
 * with the rules of CPython's C scanner (`Modules/_json.c`, which `json.loads`
 * uses by default; `Lib/json/decoder.py` only adds the top-level checks) and
 * reports the same message at the same position.
 *
 * It runs only on the error path, after `JSON.parse` has already failed, so it is
 * written for clarity rather than speed, but it stays linear in the length of the
 * text and never recurses: nesting is tracked with an explicit stack, so
 * 100,000 nested `[` cost an array of 100,000 entries, not 100,000 stack frames.
 *
 * Behaviour targeted: CPython 3.13 and later (the releases that report
 * "Illegal trailing comma before end of object/array"; 3.12 and earlier said
 * "Expecting value" / "Expecting property name enclosed in double quotes" one
 * step later). Known, deliberate differences from `json.loads`:
 *
 * - `NaN`, `Infinity` and `-Infinity` are accepted by Python but rejected by
 *   `JSON.parse` and by Fastify's parser, so a body containing them must fail
 *   here too; they are reported as "Expecting value" at their first character,
 *   which is what CPython says for any other word it does not know.
 * - CPython raises `RecursionError` (not `JSONDecodeError`) for nesting deeper
 *   than its recursion limit, about 1,000 levels, which FastAPI answers 400
 *   "There was an error parsing the body". The JSON parser (json-parser.ts)
 *   refuses such bodies itself; {@link nestsDeeperThan} tells it which error
 *   CPython would meet first. {@link locateJsonError} reports syntax errors only.
 */

/** Where and why a JSON text fails to parse, in the words of Python's json module. */
export interface JsonErrorLocation {
  /**
   * Index of the failure, counted in Unicode code points (not UTF-16 units), from
   * the start of the text after an optional leading byte order mark. This is
   * Python's `JSONDecodeError.pos`, which FastAPI puts in `loc`.
   */
  offset: number
  /** Python's `JSONDecodeError.msg`, e.g. `Expecting value`; FastAPI's `ctx.error`. */
  message: string
}

/**
 * Finds the first syntax error in `text` as CPython's `json.loads` would report it.
 *
 * The offset is in code points: Starlette hands `json.loads` the body as bytes,
 * which Python decodes to a `str` indexed by code point, so an emoji before the
 * error counts as one character there but as two UTF-16 units in JavaScript.
 * Reporting code points keeps `loc` identical to FastAPI's for any body.
 *
 * A leading U+FEFF byte order mark is skipped and not counted: `json.loads`
 * decodes a bytes body with `utf-8-sig`, which drops it, and Fastify's JSON
 * parser (secure-json-parse) drops it too.
 *
 * @param text - the request body, decoded as UTF-8
 * @returns the position and message of the first error, or `undefined` when the
 *   text is valid JSON (which can happen on the error path when a parser rejected
 *   the body for another reason, such as a forbidden `__proto__` key)
 */
export function locateJsonError (text: string): JsonErrorLocation | undefined {
  const start = text.charCodeAt(0) === BOM ? 1 : 0
  try {
    scanDocument(text, start)
    return undefined
  } catch (err) {
    // Anything else is a bug in this module, not in the body: let it surface.
    /* c8 ignore next */
    if (!(err instanceof ScanFailure)) throw err
    return { offset: codePointsBetween(text, start, err.index), message: err.message }
  }
}

/**
 * Whether `json.loads` would stop on nesting deeper than `maxDepth` before it meets a syntax
 * error: true when the text opens a container at depth `maxDepth + 1` (an empty `[]` counts)
 * before any error, false when it is valid and never that deep, or when an error comes first.
 * Linear, without recursion, like {@link locateJsonError}; run on the error path and for bodies
 * already known to nest that deep, never on the common path.
 *
 * @param text - the request body, decoded as UTF-8
 * @param maxDepth - the deepest nesting allowed (1 allows `[1]` and refuses `[[1]]`)
 */
export function nestsDeeperThan (text: string, maxDepth: number): boolean {
  const start = text.charCodeAt(0) === BOM ? 1 : 0
  try {
    scanDocument(text, start, maxDepth)
    return false
  } catch (err) {
    /* c8 ignore next */
    if (!(err instanceof ScanFailure)) throw err
    return err instanceof TooDeep
  }
}

// UTF-16 code units the scanner compares against. `charCodeAt` past the end
// returns NaN, which equals none of them, so bounds checks fold into the compares.
const BOM = 0xfeff
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const QUOTE = 0x22
const PLUS = 0x2b
const COMMA = 0x2c
const MINUS = 0x2d
const DOT = 0x2e
const SLASH = 0x2f
const ZERO = 0x30
const ONE = 0x31
const NINE = 0x39
const COLON = 0x3a
const UPPER_E = 0x45
const LBRACKET = 0x5b
const BACKSLASH = 0x5c
const RBRACKET = 0x5d
const LOWER_E = 0x65
const LOWER_U = 0x75
const LBRACE = 0x7b
const RBRACE = 0x7d

/** The characters that may follow a backslash, other than `u`: `" \ / b f n r t`. */
const SIMPLE_ESCAPES = new Set([QUOTE, BACKSLASH, SLASH, 0x62, 0x66, 0x6e, 0x72, 0x74])

/** Kinds of open container on the scanner's stack. */
const OBJECT = 0
const ARRAY = 1

/**
 * A syntax error at a UTF-16 index. Thrown rather than returned so that every
 * helper can stop the scan from wherever it is, like CPython's `goto bail`.
 */
class ScanFailure extends Error {
  readonly index: number
  constructor (message: string, index: number) {
    super(message)
    this.index = index
  }
}

/** Nesting past the limit given to `scanDocument`: where CPython raises `RecursionError`. */
class TooDeep extends ScanFailure {}

/**
 * Scans one JSON document and the whitespace around it, throwing `ScanFailure`
 * at the first error. Mirrors `JSONDecoder.decode`: skip whitespace, scan one
 * value, skip whitespace, and anything left over is "Extra data". Entering a
 * container deeper than `maxDepth` throws `TooDeep`.
 */
function scanDocument (text: string, start: number, maxDepth = Infinity): void {
  // Open containers, innermost last. CPython keeps this on the C stack by
  // recursing; an explicit array lets any depth through without overflowing.
  const open: number[] = []
  let pos = skipWhitespace(text, start)

  for (;;) {
    // A value starts at `pos`. Containers are entered here, not scanned whole.
    const c = text.charCodeAt(pos)
    // CPython enters the recursion for every container, an empty one too.
    if ((c === LBRACE || c === LBRACKET) && open.length >= maxDepth) throw new TooDeep('Maximum nesting depth exceeded', pos)
    if (c === LBRACE) {
      pos = skipWhitespace(text, pos + 1)
      if (text.charCodeAt(pos) === RBRACE) {
        pos++
      } else {
        open.push(OBJECT)
        pos = scanMemberName(text, pos)
        continue
      }
    } else if (c === LBRACKET) {
      pos = skipWhitespace(text, pos + 1)
      if (text.charCodeAt(pos) === RBRACKET) {
        pos++
      } else {
        open.push(ARRAY)
        continue
      }
    } else {
      pos = scanScalar(text, pos)
    }

    // A value ended at `pos`: close every container that ends here, then either
    // finish the document or move to the start of the next value.
    for (;;) {
      pos = skipWhitespace(text, pos)
      if (open.length === 0) {
        if (pos !== text.length) throw new ScanFailure('Extra data', pos)
        return
      }
      const kind = open[open.length - 1]
      const close = kind === OBJECT ? RBRACE : RBRACKET
      const c = text.charCodeAt(pos)
      if (c === close) {
        open.pop()
        pos++
        continue
      }
      if (c !== COMMA) throw new ScanFailure("Expecting ',' delimiter", pos)
      const comma = pos
      pos = skipWhitespace(text, pos + 1)
      if (text.charCodeAt(pos) === close) {
        // CPython 3.13+ points at the comma itself, not at the bracket after it.
        const what = kind === OBJECT ? 'object' : 'array'
        throw new ScanFailure(`Illegal trailing comma before end of ${what}`, comma)
      }
      if (kind === OBJECT) pos = scanMemberName(text, pos)
      break
    }
  }
}

/**
 * Scans `"name" :` and the whitespace after it, returning where the member's
 * value starts. `pos` is at the first non-whitespace character after `{` or `,`.
 */
function scanMemberName (text: string, pos: number): number {
  if (text.charCodeAt(pos) !== QUOTE) {
    throw new ScanFailure('Expecting property name enclosed in double quotes', pos)
  }
  pos = skipWhitespace(text, scanString(text, pos))
  if (text.charCodeAt(pos) !== COLON) throw new ScanFailure("Expecting ':' delimiter", pos)
  return skipWhitespace(text, pos + 1)
}

/** Scans a string, literal or number starting at `pos` and returns the index after it. */
function scanScalar (text: string, pos: number): number {
  const c = text.charCodeAt(pos)
  if (c === QUOTE) return scanString(text, pos)
  // Literals must match whole; a prefix such as `nul` falls through to the
  // number scanner and fails there with "Expecting value", as in CPython.
  // `NaN`, `Infinity` and `-Infinity` are deliberately absent: Python accepts
  // them but JSON.parse and Fastify do not, so they fail the same way.
  for (const word of LITERALS) {
    if (text.startsWith(word, pos)) return pos + word.length
  }
  return scanNumber(text, pos)
}

const LITERALS = ['null', 'true', 'false']

/**
 * Scans a number the way `_match_number_unicode` does: `-? (0 | [1-9][0-9]*)`,
 * then a fraction only if `.` is followed by a digit and an exponent only if it
 * has digits; otherwise those characters are left for the caller, which then
 * reports a delimiter or "Extra data" at them (so `1.` fails at the `.`).
 */
function scanNumber (text: string, start: number): number {
  let pos = start
  if (text.charCodeAt(pos) === MINUS) pos++
  const first = text.charCodeAt(pos)
  if (first === ZERO) {
    pos++
  } else if (first >= ONE && first <= NINE) {
    pos = skipDigits(text, pos + 1)
  } else {
    // Not a value at all: CPython reports the start, including a lone `-`.
    throw new ScanFailure('Expecting value', start)
  }
  if (text.charCodeAt(pos) === DOT && isDigit(text.charCodeAt(pos + 1))) {
    pos = skipDigits(text, pos + 2)
  }
  const e = text.charCodeAt(pos)
  if (e === LOWER_E || e === UPPER_E) {
    let exp = pos + 1
    const sign = text.charCodeAt(exp)
    if (sign === PLUS || sign === MINUS) exp++
    if (isDigit(text.charCodeAt(exp))) pos = skipDigits(text, exp + 1)
  }
  return pos
}

/**
 * Scans a string whose opening quote is at `quote`, as `scanstring_unicode`
 * does, and returns the index after the closing quote.
 */
function scanString (text: string, quote: number): number {
  const length = text.length
  let pos = quote + 1
  for (;;) {
    if (pos >= length) throw new ScanFailure('Unterminated string starting at', quote)
    const c = text.charCodeAt(pos)
    if (c === QUOTE) return pos + 1
    if (c === BACKSLASH) {
      const esc = pos + 1
      if (esc >= length) throw new ScanFailure('Unterminated string starting at', quote)
      const e = text.charCodeAt(esc)
      if (e === LOWER_U) {
        // The C scanner insists on at least one character after the four hex
        // digits (`end >= len`), so a body ending in `"\u0041` is reported as an
        // invalid escape, not an unterminated string. CPython's main branch
        // changed that in gh-152052; released versions, which FastAPI runs on,
        // behave as here. Both errors point at the `u`, not the backslash.
        if (esc + 5 >= length) throw new ScanFailure('Invalid \\uXXXX escape', esc)
        for (let i = esc + 1; i <= esc + 4; i++) {
          if (!isHexDigit(text.charCodeAt(i))) throw new ScanFailure('Invalid \\uXXXX escape', esc)
        }
        // Surrogate pairs need no special case: CPython decodes the second
        // `\uXXXX` with the same checks, so any error lands at the same place.
        pos = esc + 5
      } else if (SIMPLE_ESCAPES.has(e)) {
        pos = esc + 1
      } else {
        // Unlike the `\u` case, the C scanner reports the backslash here.
        throw new ScanFailure('Invalid \\escape', pos)
      }
    } else if (c <= 0x1f) {
      // `strict=True` (json.loads's default) forbids raw control characters.
      throw new ScanFailure('Invalid control character at', pos)
    } else {
      pos++
    }
  }
}

/** Skips the four characters CPython counts as whitespace (JSON's own set). */
function skipWhitespace (text: string, pos: number): number {
  for (;;) {
    const c = text.charCodeAt(pos)
    if (c !== SPACE && c !== TAB && c !== LF && c !== CR) return pos
    pos++
  }
}

function skipDigits (text: string, pos: number): number {
  while (isDigit(text.charCodeAt(pos))) pos++
  return pos
}

/** ASCII digits only: the C scanner compares with '0'..'9', not Unicode `\d`. */
function isDigit (c: number): boolean {
  return c >= ZERO && c <= NINE
}

function isHexDigit (c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

/**
 * Counts code points between two UTF-16 indexes: a well-formed surrogate pair
 * is one code point, as in a Python `str`; a lone surrogate is one as well
 * (Python decodes it with `surrogatepass` to a single code point too).
 */
function codePointsBetween (text: string, from: number, to: number): number {
  let count = 0
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) i++
    }
    count++
  }
  return count
}
