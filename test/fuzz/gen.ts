/**
 * Generators for the request fuzzer (test/fuzz.test.ts). Every declared value gets three
 * fast-check arbitraries: values that must be accepted (with what the handler must then
 * receive), values that must be refused, and hostile values whose fate is not predicted.
 * A drawn value carries marks saying where it sits and which of the last two it is, so the
 * oracle (oracle.ts) knows which errors the answer must, may and must not contain.
 */
import fc from 'fast-check'

/** Nothing sent (a missing field, query key, header, …) or nothing given to the handler. */
export const ABSENT: unique symbol = Symbol('absent')

/** What the handler gets is not predicted (the value is marked). */
const UNKNOWN = Symbol('unknown')

export type Loc = Array<string | number>

/** A value the fuzzer does not vouch for: an `invalid` one must be reported, a `hostile` one may be. */
export interface Mark { path: Loc, verdict: 'invalid' | 'hostile' }

/** One drawn value: what is sent, what the handler must get when nothing is marked, marks, secrets sent. */
export interface Drawn { sent: unknown, value: unknown, marks: Mark[], secrets: unknown[] }

/** A declared value: draws a valid value, or (mutating) a value that may be marked. */
export interface Node { draw: (mutate: boolean) => fc.Arbitrary<Drawn> }

/** JSON text written into a body as is: big exponents, lone surrogates, deep nesting. */
export class RawJson {
  constructor (readonly text: string) {}
  [fc.toStringMethod] (): string {
    return `RawJson(${this.text.length > 80 ? `${this.text.slice(0, 40)}…(${this.text.length} chars)` : this.text})`
  }
}

/** A query, path or form value written into the URL or body without percent-encoding. */
export class RawWire {
  constructor (readonly text: string) {}
  [fc.toStringMethod] (): string { return `RawWire(${JSON.stringify(this.text)})` }
}

/** Where a value travels: JSON, or the strings of a URL, header, cookie or form. */
export type Wire = 'json' | 'path' | 'query' | 'header' | 'cookie' | 'form'

/** Presence rules shared by every node: required, optional, defaulted, nullable (JSON only). */
export interface Presence {
  optional?: boolean
  default?: unknown
  nullable?: boolean
  secret?: boolean
  /** An item of a list: always present (an empty form value is then a value). */
  item?: boolean
}

const required = (p: Presence): boolean => p.optional !== true && !('default' in p)
/** What the handler gets when nothing is sent: the default, or nothing. */
const fallback = (p: Presence): unknown => 'default' in p ? p.default : ABSENT

// ---------------------------------------------------------------------------------------------
// Characters and strings

/** Code points, as pydantic counts string lengths. */
const cpLength = (s: string): number => [...s].length

const EDGE_CHARS = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\t', '\u0000', 'é', 'ß', '中', '😀', '\u2028', '\ufeff', '/', '?', '#', '&', '=', '+', '%', ';', ',']
const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i))
// Characters a cookie value keeps as is: no separator, no quote, no percent-escape, no space.
const COOKIE_SAFE = PRINTABLE_ASCII.filter(c => !';%",\\'.includes(c))

function unitFor (wire: Wire): fc.Arbitrary<string> {
  if (wire === 'header') return fc.constantFrom(...PRINTABLE_ASCII)
  if (wire === 'cookie') return fc.constantFrom(...COOKIE_SAFE)
  return fc.oneof({ weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }, fc.constantFrom(...EDGE_CHARS))
}

/** A well-formed string of `min`..`max` code points fit for `wire`. */
function text (wire: Wire, min: number, max: number): fc.Arbitrary<string> {
  return fc.string({ unit: unitFor(wire), minLength: min, maxLength: max })
}

// What no parser can vouch for. Lone surrogates cannot be percent-encoded: JSON only.
const HOSTILE_STRINGS = ['', ' ', '0', '-1', '1.5', 'null', 'None', 'true', 'True', '[]', '{}', '__proto__', 'constructor',
  'toString', 'hasOwnProperty', 'NaN', 'inf', '-Infinity', '1e999', '١٢', '9007199254740993', '0x1F', '1_000', ' 7 ', '\u0000',
  '😀'.repeat(3), 'a'.repeat(300), '9'.repeat(5000)]

function hostileText (wire: Wire): fc.Arbitrary<string> {
  const pool = wire === 'header'
    ? HOSTILE_STRINGS.filter(s => /^[\x20-\x7e]*$/.test(s)).concat(['é', '\u00ff', ' padded '])
    : wire === 'cookie'
      ? HOSTILE_STRINGS.filter(s => !s.includes(';')).concat(['"quoted"', '%41%42', '%E0', 'a=b'])
      : HOSTILE_STRINGS
  const unit = wire === 'header' || wire === 'cookie' ? unitFor(wire) : fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
  return fc.oneof(fc.constantFrom(...pool), fc.string({ unit, maxLength: 20 }), fc.string({ unit, minLength: 100, maxLength: 600 }))
}

const hostileRaw = fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '+', '%00', '%2F', '..', '.').map(s => new RawWire(s))

// ---------------------------------------------------------------------------------------------
// JSON values

function deep (depth: number, kind: 'array' | 'object'): RawJson {
  return new RawJson(kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth))
}

const RAW_SPECIALS = ['1e999', '-1e999', '-0', '0.0', '1E+2', '123456789012345678901234567890', '5e-324', '"\\ud800"', '"\\udfff x"',
  '"\\u0000"', '[1,"a",null,{}]', '{"__proto__x":1}']

/** Any JSON value, including the odd ones. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, '', [], {}, ...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_SPECIALS).map(s => new RawJson(s)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 2500 }), fc.constantFrom('array' as const, 'object' as const)).map(([d, k]) => deep(d, k)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) }
)

type JsonType = 'string' | 'number' | 'boolean' | 'array' | 'object'
const SAMPLES: Record<JsonType, unknown[]> = {
  string: ['', 'x', '5', 'true'],
  number: [0, 5, -1.5],
  boolean: [true, false],
  array: [[], ['x'], [1]],
  object: [{}, { a: 1 }]
}

/** JSON values of every type but `own` (strict bodies: "5" is no number, 1 no boolean). */
function wrongType (own: JsonType, nullable: boolean): fc.Arbitrary<unknown> {
  const pool = (Object.keys(SAMPLES) as JsonType[]).filter(k => k !== own).flatMap(k => SAMPLES[k])
  return fc.constantFrom(...pool, ...(nullable ? [] : [null]))
}

// ---------------------------------------------------------------------------------------------
// Leaves

interface LeafSpec {
  /** A valid present value: what is sent (a string on a string wire) and what the handler gets. */
  valid: fc.Arbitrary<{ sent: unknown, value: unknown }>
  /** Present values that must be refused. */
  invalid: fc.Arbitrary<unknown>
  hostile: fc.Arbitrary<unknown>
}

function leaf (spec: LeafSpec, wire: Wire, p: Presence, canBeInvalid = true): Node {
  const absent = wire === 'form'
    // A form field sent empty counts as absent.
    ? fc.constantFrom<unknown>(ABSENT, '')
    : fc.constant<unknown>(ABSENT)
  const validOnes: Array<fc.WeightedArbitrary<{ sent: unknown, value: unknown }>> = [{ weight: 6, arbitrary: spec.valid }]
  if (!required(p) && p.item !== true) validOnes.push({ weight: 1, arbitrary: absent.map(sent => ({ sent, value: fallback(p) })) })
  if (p.nullable === true) validOnes.push({ weight: 1, arbitrary: fc.constant({ sent: null, value: null }) })
  const valid = fc.oneof(...validOnes)
  const invalidOnes: Array<fc.WeightedArbitrary<unknown>> = canBeInvalid ? [{ weight: 4, arbitrary: spec.invalid }] : []
  if (required(p) && p.item !== true) invalidOnes.push({ weight: 1, arbitrary: absent })
  if (wire === 'json' && p.nullable !== true) invalidOnes.push({ weight: 1, arbitrary: fc.constant(null) })
  // Nothing can be invalid (an optional string without limits): hostile values stand in.
  const invalid = invalidOnes.length === 0 ? null : fc.oneof(...invalidOnes)
  const secrets = (sent: unknown): unknown[] => p.secret === true && sent !== ABSENT && sent !== null && sent !== '' ? [sent] : []

  return {
    draw (mutate) {
      const good = valid.map(({ sent, value }): Drawn => ({ sent, value, marks: [], secrets: secrets(sent) }))
      if (!mutate) return good
      const bad: Array<fc.WeightedArbitrary<Drawn>> = [
        { weight: 1, arbitrary: spec.hostile.map((sent): Drawn => ({ sent, value: UNKNOWN, marks: [{ path: [], verdict: 'hostile' }], secrets: secrets(sent) })) }
      ]
      if (invalid !== null) {
        bad.push({ weight: 1, arbitrary: invalid.map((sent): Drawn => ({ sent, value: UNKNOWN, marks: [{ path: [], verdict: 'invalid' }], secrets: secrets(sent) })) })
      }
      return fc.oneof({ weight: 8, arbitrary: good }, ...bad)
    }
  }
}

function hostileFor (wire: Wire): fc.Arbitrary<unknown> {
  if (wire === 'json') return hostileJson
  if (wire === 'query' || wire === 'path' || wire === 'form') return fc.oneof({ weight: 5, arbitrary: hostileText(wire) }, { weight: 1, arbitrary: hostileRaw })
  return hostileText(wire)
}

/** Number bounds as FastAPI declares them. */
export interface Bounds { gt?: number, ge?: number, lt?: number, le?: number }

/** An integer within `bounds` (unbounded sides kept to ±1e6), sent as JSON or as one of pydantic's spellings. */
export function int (wire: Wire, bounds: Bounds, p: Presence = {}): Node {
  const lo = bounds.ge ?? (bounds.gt !== undefined ? bounds.gt + 1 : -1e6)
  const hi = bounds.le ?? (bounds.lt !== undefined ? bounds.lt - 1 : 1e6)
  const n = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: lo, max: hi }) }, fc.constantFrom(lo, hi))
  const valid = wire === 'json'
    ? n.map(v => ({ sent: v, value: v }))
    : n.chain(v => fc.constantFrom(String(v), String(v), `${v}.0`, ` ${v} `, v >= 0 ? `+${v}` : `${v}`, v >= 0 ? `0${v}` : `${v}`)
      .map(sent => ({ sent, value: v })))
  const outside: number[] = []
  if (bounds.ge !== undefined || bounds.gt !== undefined) outside.push(lo - 1, lo - 1000)
  if (bounds.le !== undefined || bounds.lt !== undefined) outside.push(hi + 1, hi + 1_000_000)
  const notInt = wire === 'json'
    ? fc.oneof(wrongType('number', p.nullable === true), fc.constantFrom(lo + 0.5, 1e-7, -2.25))
    : fc.constantFrom('abc', '1.5', '1e3', '0x10', '--1', '1_', '_1', '1__0', 'NaN', 'Infinity', '1 1', '+', '-', '.', '5.', ...(wire === 'form' ? [] : ['']))
  const invalid = outside.length === 0
    ? notInt
    : fc.oneof(notInt, fc.constantFrom(...outside).map(v => wire === 'json' ? v : String(v)))
  return leaf({ valid, invalid, hostile: hostileFor(wire) }, wire, p)
}

/** The next double above (`dir` 1) or below (-1) `x`: the closest value on the other side of a bound. */
function nextDouble (x: number, dir: 1 | -1): number {
  if (x === 0) return dir * Number.MIN_VALUE
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigInt64(0)
  view.setBigInt64(0, bits + ((x > 0) === (dir > 0) ? 1n : -1n))
  return view.getFloat64(0)
}

/** A float within `bounds` (finite; unbounded sides kept to ±1e9), often right at a bound. */
export function float (wire: Wire, bounds: Bounds, p: Presence = {}): Node {
  const { gt, ge, lt, le } = bounds
  const min = ge ?? gt ?? -1e9
  const max = le ?? lt ?? 1e9
  const edges = [ge, le, gt === undefined ? undefined : nextDouble(gt, 1), lt === undefined ? undefined : nextDouble(lt, -1)]
    .filter((v): v is number => v !== undefined)
  const x = fc.oneof(
    { weight: 4, arbitrary: fc.double({ min, max, minExcluded: gt !== undefined, maxExcluded: lt !== undefined, noNaN: true, noDefaultInfinity: true }) },
    ...(edges.length === 0 ? [] : [fc.constantFrom(...edges)])
  )
  const valid = wire === 'json'
    ? x.map(v => ({ sent: v, value: v }))
    : x.chain(v => fc.constantFrom(String(v), String(v), v.toExponential(), ` ${v} `).map(sent => ({ sent, value: Number(sent) })))
  // Just past each bound, and far past it.
  const outside: number[] = []
  if (gt !== undefined) outside.push(gt, nextDouble(gt, -1), gt - 1, -1e300)
  if (ge !== undefined) outside.push(nextDouble(ge, -1), ge - 1, -1e300)
  if (lt !== undefined) outside.push(lt, nextDouble(lt, 1), lt + 1, 1e300)
  if (le !== undefined) outside.push(nextDouble(le, 1), le + 1, 1e300)
  const notNumber = wire === 'json'
    ? wrongType('number', p.nullable === true)
    : fc.constantFrom('abc', '1,5', '0x1A', '1e', 'e5', '.', '-', '1..2', 'one', '1.2.3', ...(wire === 'form' ? [] : ['']))
  const invalid = outside.length === 0 ? notNumber : fc.oneof(notNumber, fc.constantFrom(...outside).map(v => wire === 'json' ? v : String(v)))
  return leaf({ valid, invalid, hostile: hostileFor(wire) }, wire, p)
}

const TRUE = ['true', '1', 'on', 'yes', 't', 'y']
const FALSE = ['false', '0', 'off', 'no', 'f', 'n']

/** A boolean: JSON true/false, or one of pydantic's spellings in any ASCII case. */
export function bool (wire: Wire, p: Presence = {}): Node {
  const valid = wire === 'json'
    ? fc.boolean().map(v => ({ sent: v, value: v }))
    : fc.boolean().chain(v => fc.mixedCase(fc.constantFrom(...(v ? TRUE : FALSE))).map(sent => ({ sent, value: v })))
  const invalid = wire === 'json'
    ? wrongType('boolean', p.nullable === true)
    : fc.constantFrom('maybe', '2', 'tru', 'yess', 'nope', '00', 'truee', 'oui', '-1', ...(wire === 'form' ? [] : ['']))
  return leaf({ valid, invalid, hostile: hostileFor(wire) }, wire, p)
}

/** One of `values` (an enum or a union of literals). */
export function choice (wire: Wire, values: readonly string[], p: Presence = {}): Node {
  const valid = fc.constantFrom(...values).map(v => ({ sent: v, value: v }))
  const others = fc.oneof(fc.constantFrom(...values).map(v => v.toUpperCase()), text(wire, 0, 8)).filter(s => !values.includes(s) && (wire !== 'form' || s !== ''))
  const invalid = wire === 'json' ? fc.oneof(others, wrongType('string', p.nullable === true)) : others
  return leaf({ valid, invalid, hostile: hostileFor(wire) }, wire, p)
}

/** A string with the declared `min`/`max` code points and `pattern`; `cap` bounds undeclared lengths. */
export function str (wire: Wire, options: { min?: number, max?: number, pattern?: RegExp, cap?: number }, p: Presence = {}): Node {
  const { min = 0, max, pattern, cap = 20 } = options
  const top = max ?? cap
  const fits = (s: string): boolean => cpLength(s) >= min && (max === undefined || cpLength(s) <= max) && (pattern === undefined || pattern.test(s))
  const raw = pattern === undefined ? text(wire, min, top) : fc.stringMatching(pattern, { maxLength: top }).filter(fits)
  // An empty form field is no value: a valid one is never empty.
  const valid = raw.filter(s => wire !== 'form' || s !== '').map(s => ({ sent: s, value: s }))
  const bad: Array<fc.Arbitrary<unknown>> = []
  if (max !== undefined) bad.push(text(wire, max + 1, max + 40))
  if (min > 0) bad.push(text(wire, wire === 'form' ? 1 : 0, min - 1))
  if (pattern !== undefined) bad.push(text(wire, Math.max(min, 1), top).filter(s => !pattern.test(s)))
  if (wire === 'json') bad.push(wrongType('string', p.nullable === true))
  const invalid = bad.length === 0 ? fc.constant(ABSENT) : fc.oneof(...bad).filter(s => typeof s !== 'string' || !fits(s))
  return leaf({ valid, invalid, hostile: hostileFor(wire) }, wire, p, bad.length > 0)
}

/**
 * A scalar query value, cookie or form field sent several times, valid last: the last one counts
 * (as Starlette's QueryParams, FormData and cookie parser).
 */
export function repeated (wire: Wire, node: Node): Node {
  const junk = fc.array(hostileText(wire), { minLength: 1, maxLength: 2 })
  return {
    draw: mutate => fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, junk), node.draw(mutate))
      .map(([before, d]) => before.length === 0 || d.sent === ABSENT ? d : { ...d, sent: [...before, d.sent] })
  }
}

// ---------------------------------------------------------------------------------------------
// Lists and objects

/** Combines drawn children; `key` prefixes their marks. */
function gather (entries: Array<[string | number, Drawn]>): { marks: Mark[], secrets: unknown[] } {
  const marks: Mark[] = []
  const secrets: unknown[] = []
  for (const [key, d] of entries) {
    for (const m of d.marks) marks.push({ path: [key, ...m.path], verdict: m.verdict })
    secrets.push(...d.secrets)
  }
  return { marks, secrets }
}

/**
 * A JSON list, or the repeated values of a query key, header or form field; `min`/`max` are the
 * declared item counts, `cap` bounds the count when no maximum is declared.
 */
export function list (wire: Wire, item: Node, options: { min?: number, max?: number, cap?: number }, p: Presence = {}): Node {
  const { min = 0, max, cap = 4 } = options
  const top = max ?? cap
  // An absent list and an empty list look alike on a string wire: present lists are non-empty there.
  const floor = wire === 'json' ? min : Math.max(min, 1)
  const items = (mutate: boolean, lo: number, hi: number): fc.Arbitrary<Drawn> =>
    fc.array(item.draw(mutate).filter(d => d.sent !== ABSENT), { minLength: lo, maxLength: hi }).map(ds => {
      const { marks, secrets } = gather(ds.map((d, i) => [i, d]))
      return { sent: ds.map(d => d.sent), value: ds.map(d => d.value), marks, secrets }
    })
  const absent = fc.constant<Drawn>({ sent: ABSENT, value: fallback(p), marks: [], secrets: [] })
  const valid = required(p) ? items(false, floor, top) : fc.oneof({ weight: 4, arbitrary: items(false, floor, top) }, absent)
  const whole = (verdict: Mark['verdict']) => (sent: unknown): Drawn => ({ sent, value: UNKNOWN, marks: [{ path: [], verdict }], secrets: [] })
  const invalid: Array<fc.Arbitrary<Drawn>> = []
  if (max !== undefined) invalid.push(items(false, max + 1, max + 3).map(d => ({ ...d, marks: [{ path: [], verdict: 'invalid' }] })))
  if (wire === 'json') invalid.push(wrongType('array', p.nullable === true).map(whole('invalid')))
  if (required(p)) invalid.push(fc.constant(ABSENT).map(whole('invalid')))
  const hostile = wire === 'json' ? hostileJson : fc.array(hostileFor(wire), { maxLength: 4 }).map(xs => xs.length === 0 ? ABSENT : xs)
  return {
    draw (mutate) {
      if (!mutate) return valid
      return fc.oneof(
        { weight: 6, arbitrary: valid },
        // Items drawn one by one: a bad one is marked at its index.
        { weight: 3, arbitrary: items(true, floor, top) },
        ...(invalid.length === 0 ? [] : [{ weight: 1, arbitrary: fc.oneof(...invalid) }]),
        { weight: 1, arbitrary: hostile.map(whole('hostile')) }
      )
    }
  }
}

/** Keys no model here declares, for the extra fields a strip-mode object ignores. */
const extraKey = fc.oneof(fc.constantFrom('extra', 'id', 'NAME', ' name', 'name ', '', '😀', 'toString', 'hasOwnProperty', '__proto__x'),
  fc.string({ minLength: 1, maxLength: 8 }))

/** A JSON object with `fields`; `strict` refuses extra keys (z.strictObject). */
export function object (fields: Record<string, Node>, options: { strict?: boolean } = {}, p: Presence = {}): Node {
  const names = Object.keys(fields)
  const extras = fc.uniqueArray(fc.tuple(extraKey.filter(k => !names.includes(k)), hostileJson), { maxLength: 3, selector: ([k]) => k })
  const build = (mutate: boolean): fc.Arbitrary<Drawn> => fc.tuple(
    fc.tuple(...names.map(name => fields[name].draw(mutate))),
    mutate || options.strict !== true ? fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, extras) : fc.constant([])
  ).map(([drawn, extra]) => {
    const { marks, secrets } = gather(drawn.map((d, i) => [names[i], d]))
    const sent: Array<[string, unknown]> = []
    const value: Array<[string, unknown]> = []
    drawn.forEach((d, i) => {
      if (d.sent !== ABSENT) sent.push([names[i], d.sent])
      if (d.value !== ABSENT) value.push([names[i], d.value])
    })
    for (const [key, v] of extra) {
      sent.push([key, v])
      if (options.strict === true) marks.push({ path: [key], verdict: 'invalid' })
    }
    // fromEntries defines own keys: a key such as "__proto__x" never reaches a prototype.
    return { sent: Object.fromEntries(sent), value: Object.fromEntries(value), marks, secrets }
  })
  const absentOk: Array<fc.Arbitrary<Drawn>> = []
  if (!required(p)) absentOk.push(fc.constant({ sent: ABSENT, value: fallback(p), marks: [], secrets: [] }))
  if (p.nullable === true) absentOk.push(fc.constant({ sent: null, value: null, marks: [], secrets: [] }))
  const whole = (verdict: Mark['verdict']) => (sent: unknown): Drawn => ({ sent, value: UNKNOWN, marks: [{ path: [], verdict }], secrets: [] })
  const invalid = fc.oneof(wrongType('object', p.nullable === true), ...(required(p) ? [fc.constant(ABSENT)] : []))
  return {
    draw (mutate) {
      const valid = absentOk.length === 0 ? build(false) : fc.oneof({ weight: 5, arbitrary: build(false) }, ...absentOk)
      if (!mutate) return valid
      return fc.oneof(
        { weight: 2, arbitrary: valid },
        { weight: 6, arbitrary: build(true) },
        { weight: 1, arbitrary: invalid.map(whole('invalid')) },
        { weight: 1, arbitrary: hostileJson.map(whole('hostile')) }
      )
    }
  }
}

/** A union whose members are given as nodes: a valid value of any member is valid. */
export function union (members: Node[], invalid: fc.Arbitrary<unknown>, p: Presence = {}): Node {
  const valid = fc.oneof(...members.map(m => m.draw(false))).filter(d => d.sent !== ABSENT)
  return leaf({ valid: valid.map(d => ({ sent: d.sent, value: d.value })), invalid, hostile: hostileJson }, 'json', p)
}

/** Writes a drawn value as JSON text, RawJson pieces as they are. */
export function toJson (value: unknown): string {
  if (value instanceof RawJson) return value.text
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** Encodes one string-wire value for a URL or urlencoded body. */
export function encodeWire (value: unknown): string {
  return value instanceof RawWire ? value.text : encodeURIComponent(String(value))
}
