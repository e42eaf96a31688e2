/**
 * Turns drawn values (gen.ts) into one HTTP request for app.inject(), and into what the
 * oracle (oracle.ts) must know of it: marks with their full `loc`, the handler's expected
 * arguments, the secrets sent, the `input` each string-sourced error must show.
 */
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import { ABSENT, encodeWire, RawJson, RawWire, toJson, type Drawn, type Loc, type Mark, type Node } from './gen.js'
import { locKey, type Expectation, type Mode } from './oracle.js'

/** One declared argument read from a string wire (path, query, header, cookie, form field). */
export interface WireArg {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie' | 'form'
  /** The name on the wire (lower-case for a header). */
  wire: string
  /** `loc[1]` of its errors. */
  label: string
  node: Node
  list?: boolean
  secret?: boolean
}

/** One argument of a JSON body: the whole body (`key` undefined) or one key of it. */
export interface BodyArg { name: string, key?: string, node: Node }

/** What the property draws for one request. */
export interface Drawing {
  wire: Drawn[]
  body: Drawn[]
  noise: { query: Array<[string, string]>, headers: Array<[string, string]>, headerCase: boolean[] }
  mode: Mode
  /** For `malformed`: where the JSON text is cut and what replaces the cut. */
  cut: { at: number, tail: string }
  /** For `proto`: the poisoned key's text. */
  poison: string
  mediaType: string
  multipart: boolean
}

const NOISE_KEYS = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', 'extra', 'q ', 'Q', '😀', '']
const noiseKey = (taken: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom(...NOISE_KEYS), fc.string({ minLength: 1, maxLength: 6 })).filter(k => !taken.includes(k))

/** The drawing of a request to a route with these arguments. */
export function drawing (wire: readonly WireArg[], body: readonly BodyArg[], modes: ReadonlyArray<[Mode, number]>): fc.Arbitrary<Drawing> {
  const taken = wire.map(a => a.wire)
  const args = (mutate: boolean) => fc.tuple(fc.tuple(...wire.map(a => a.node.draw(mutate))), fc.tuple(...body.map(a => a.node.draw(mutate))))
  return fc.record({
    mode: fc.oneof(...modes.map(([mode, weight]) => ({ weight, arbitrary: fc.constant(mode) }))),
    mutate: fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 3, arbitrary: fc.constant(true) }),
    noise: fc.record({
      query: fc.oneof({ weight: 3, arbitrary: fc.constant<Array<[string, string]>>([]) }, fc.array(fc.tuple(noiseKey(taken), fc.string({ maxLength: 5 })), { maxLength: 3 })),
      headers: fc.oneof({ weight: 3, arbitrary: fc.constant<Array<[string, string]>>([]) }, fc.array(fc.tuple(fc.stringMatching(/^x-noise-[a-z]{1,5}$/), fc.stringMatching(/^[ -~]{0,10}$/)), { maxLength: 2 })),
      headerCase: fc.array(fc.boolean(), { minLength: wire.length, maxLength: wire.length })
    }),
    cut: fc.record({ at: fc.nat(), tail: fc.constantFrom('', '}', ',', ',}', '"', 'x', ']', '{', ' ', 'NaN', "'a'", '/*c*/', '\u0000') }),
    poison: fc.constantFrom('"__proto__":{"polluted":1}', '"constructor":{"prototype":{"polluted":1}}', '"__proto__":null'),
    mediaType: fc.constantFrom('text/plain', 'application/xml', 'application/merge-patch+json', 'application/x-www-form-urlencoded', 'application/jsonx', 'NONE'),
    multipart: fc.boolean()
  }).chain(r => args(r.mutate && r.mode === 'normal').map(([w, b]) => ({ ...r, wire: w, body: b })))
}

/** A request, and what the oracle must know of it. */
export interface Built { inject: InjectOptions & { method: string, url: string }, exp: Expectation }

/** Builds the request: `url` is the route's URL with `:name` placeholders. */
export function buildRequest (method: string, url: string, wire: readonly WireArg[], body: readonly BodyArg[], d: Drawing, bodyLimit: number): Built {
  const marks: Mark[] = []
  const secrets: unknown[] = []
  const sent: unknown[] = []
  const inputs = new Map<string, unknown>()
  const expected: Record<string, unknown> = {}
  const query: string[] = []
  const headers: Record<string, string | string[]> = {}
  const cookies: string[] = []
  const form: Array<[string, unknown]> = []
  let path = url

  wire.forEach((arg, i) => {
    const drawn = d.wire[i]
    const loc: Loc = [arg.in === 'form' ? 'body' : arg.in, arg.label]
    for (const m of drawn.marks) marks.push({ path: [...loc, ...m.path], verdict: m.verdict })
    if (drawn.value !== ABSENT) expected[arg.name] = drawn.value
    const values: unknown[] = drawn.sent === ABSENT ? [] : Array.isArray(drawn.sent) ? drawn.sent : [drawn.sent]
    for (const v of values) sent.push(...readings(arg, v))
    for (const s of drawn.secrets) secrets.push(...readings(arg, s))
    const shown = shownInput(arg, values)
    if (shown !== undefined) inputs.set(locKey(loc), arg.secret === true ? '**********' : shown)
    switch (arg.in) {
      case 'path':
        path = path.replace(`:${arg.wire}`, values.length === 0 ? '' : encodeWire(values[values.length - 1]))
        break
      case 'query':
        for (const v of values) query.push(`${encodeURIComponent(arg.wire)}=${encodeWire(v)}`)
        break
      case 'header':
        if (values.length > 0) {
          const name = d.noise.headerCase[i] ? arg.wire.toUpperCase() : arg.wire
          headers[name] = values.length === 1 ? String(values[0]) : values.map(String)
        }
        break
      case 'cookie':
        for (const v of values) cookies.push(`${arg.wire}=${String(v)}`)
        break
      case 'form':
        for (const v of values) form.push([arg.wire, v])
        break
    }
  })
  for (const [k, v] of d.noise.query) query.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
  for (const [k, v] of d.noise.headers) headers[k] = v
  if (cookies.length > 0) headers.cookie = cookies.join('; ')
  const inject: Built['inject'] = { method, url: query.length === 0 ? path : `${path}?${query.join('&')}`, headers }
  const exp: Expectation = { mode: d.mode, marks, secrets, sentCounts: new Map(), inputs }

  if (body.length > 0) {
    const whole = body.length === 1 && body[0].key === undefined
    const entries: Array<[string, unknown]> = []
    body.forEach((arg, i) => {
      const drawn = d.body[i]
      const prefix: Loc = arg.key === undefined ? ['body'] : ['body', arg.key]
      for (const m of drawn.marks) marks.push({ path: [...prefix, ...m.path], verdict: m.verdict })
      if (drawn.value !== ABSENT) expected[arg.name] = drawn.value
      secrets.push(...drawn.secrets.map(s => s instanceof RawJson ? JSON.parse(s.text) : s))
      if (drawn.sent !== ABSENT) entries.push([arg.key ?? '', drawn.sent])
      leaves(drawn.sent, sent)
    })
    const value = whole ? (entries.length === 0 ? ABSENT : entries[0][1]) : Object.fromEntries(entries)
    const json = value === ABSENT ? '' : toJson(value)
    setJsonPayload(inject, exp, d, json, bodyLimit)
  } else if (form.length > 0 || wire.some(a => a.in === 'form')) {
    setFormPayload(inject, exp, d, form)
  }
  exp.secrets = secrets
  for (const s of sent) exp.sentCounts.set(s, (exp.sentCounts.get(s) ?? 0) + 1)
  if (marks.length === 0 && exp.mode === 'normal') exp.expected = expected
  return { inject, exp }
}

function setJsonPayload (inject: Built['inject'], exp: Expectation, d: Drawing, json: string, bodyLimit: number): void {
  const headers = inject.headers as Record<string, string | string[]>
  headers['content-type'] = d.noise.headerCase[0] === true ? 'application/json; charset=utf-8' : 'application/json'
  let payload = json
  switch (d.mode) {
    case 'malformed': {
      const cut = json.length === 0 ? 0 : d.cut.at % json.length
      payload = json.slice(0, cut) + d.cut.tail
      if (isJson(payload) || payload.trim() === '') {
        // The cut left valid JSON (or nothing): say so, and let the normal rules judge.
        exp.mode = payload.trim() === '' ? 'empty' : 'media'
      }
      break
    }
    case 'proto':
      payload = json.startsWith('{') && json.length > 2 ? `{${d.poison},${json.slice(1)}` : `{${d.poison}}`
      break
    case 'oversize':
      payload = `{"pad":"${'x'.repeat(bodyLimit)}",${json.startsWith('{') ? json.slice(1) : '"v":1}'}`
      break
    case 'media':
      if (d.mediaType === 'NONE') delete headers['content-type']
      else headers['content-type'] = d.mediaType
      break
    case 'empty':
      payload = ''
      break
  }
  if (d.mode === 'normal' && json === '') exp.mode = 'empty'
  // Fastify refuses these keys anywhere (hostile values can hold them): 400.
  if ((exp.mode === 'normal' || exp.mode === 'empty') && poisoned(payload)) exp.mode = 'proto'
  // Deep or long hostile values can make any body too large (an unsupported media type may still be told first).
  if (Buffer.byteLength(payload) > bodyLimit && exp.mode !== 'media') exp.mode = 'oversize'
  // No body: every required body argument is missing (['body'] alone, or ['body', <name>]).
  if (exp.mode === 'empty') exp.marks.push({ path: ['body'], verdict: 'invalid' })
  if (payload !== '') inject.payload = payload
  exp.payload = payload
}

function setFormPayload (inject: Built['inject'], exp: Expectation, d: Drawing, form: Array<[string, unknown]>): void {
  const headers = inject.headers as Record<string, string | string[]>
  if (d.multipart) {
    const boundary = 'fuzzBoundary7MA4YWxkTrZu0gW'
    const parts = form.map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v instanceof RawWire ? v.text : String(v)}\r\n`)
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`
    inject.payload = Buffer.from(`${parts.join('')}--${boundary}--\r\n`)
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    inject.payload = form.map(([k, v]) => `${encodeURIComponent(k)}=${encodeWire(v)}`).join('&')
  }
  if (d.mode === 'media') {
    if (d.mediaType === 'NONE') delete headers['content-type']
    else headers['content-type'] = d.mediaType
  }
}

/** True when JSON text holds a `__proto__` key, or a `constructor` key whose object has `prototype` (as secure-json-parse checks). */
function poisoned (text: string): boolean {
  let found = false
  try {
    JSON.parse(text, function (key, value) {
      if (key === '__proto__' || (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype'))) found = true
      return value
    })
  } catch {
    return /"(__proto__|prototype)"\s*:/.test(text)
  }
  return found
}

function isJson (text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Every primitive inside a JSON value (for telling secrets from values also sent elsewhere). */
function leaves (value: unknown, out: unknown[]): void {
  if (value instanceof RawJson) {
    if (value.text.length < 200) leaves(JSON.parse(value.text), out)
    return
  }
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) leaves(v, out)
  } else {
    out.push(value)
  }
}

/**
 * The values the server may read from a wire value: as sent, percent-decoded, with "+" as a
 * space (urlencoded); a cookie also unquoted and trimmed. Used to tell secrets from values also
 * sent elsewhere, so all readings count.
 */
function readings (arg: WireArg, value: unknown): unknown[] {
  const raw = value instanceof RawWire ? value.text : String(value)
  const forms = new Set([raw, safeDecode(raw), safeDecode(raw.replaceAll('+', ' '))])
  if (arg.in === 'cookie') {
    const trimmed = raw.trim()
    const unquoted = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed
    forms.add(unquoted).add(safeDecode(unquoted))
  }
  return [...forms]
}

function safeDecode (s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/**
 * The `input` an error of this argument must show (the value as received), or undefined when
 * it depends on parsing this test does not redo (raw escapes, cookies with quotes or escapes,
 * a repeated header, a URL-parsed path).
 */
function shownInput (arg: WireArg, values: unknown[]): unknown {
  if (values.length === 0 || values.some(v => v instanceof RawWire)) return undefined
  const strings = values.map(String)
  if (arg.in === 'cookie' && strings.some(s => /[%"]|^\s|\s$/.test(s))) return undefined
  if (arg.in === 'header' && (arg.list !== true && strings.length > 1)) return undefined
  if (arg.in === 'path') return undefined
  if (arg.in === 'form' && strings.some(s => s === '')) return undefined
  return arg.list === true ? strings : strings[strings.length - 1]
}
