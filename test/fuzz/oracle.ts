/**
 * The fuzzer's oracle (test/fuzz.test.ts): what every answer must look like, and what this
 * request's answer must be given the marks its generated values carry (gen.ts).
 * A broken rule throws an Error naming it, with the request and the response.
 */
import { isDeepStrictEqual } from 'node:util'
import type { z } from 'zod'
import type { Loc, Mark } from './gen.js'

const LOCATIONS = new Set(['body', 'query', 'path', 'header', 'cookie'])
const ITEM_KEYS = ['type', 'loc', 'msg', 'input']
const REDACTED = '**********'
/** FastAPI's answer to a body it cannot decode (here: JSON nested deeper than CPython's recursion limit). */
const PARSE_ERROR = { detail: 'There was an error parsing the body' }
/** The deepest JSON body accepted, as CPython's default recursion limit. */
const MAX_DEPTH = 1000
/** Fastify's default `maxParamLength`. */
const MAX_PARAM_LENGTH = 100

/** What the oracle knows of a route. */
export interface RouteInfo {
  /** The status of a successful answer. */
  status: number
  /** Names allowed as `loc[1]`, by location (for `body`: the top-level keys of the body). */
  labels: Record<string, Set<string>>
  /** Whether `["body"]` alone may be reported (a single, non-embedded body). */
  wholeBody: boolean
  /** Per handler argument: the type the handler must get, as an independent zod schema. */
  checks: Record<string, z.ZodType>
}

/** How the request was built, beyond its generated values. */
export type Mode = 'normal' | 'malformed' | 'proto' | 'oversize' | 'media' | 'empty'

/** What the oracle knows of one request. */
export interface Expectation {
  mode: Mode
  /** Marks with their full `loc` prefix (['query', 'limit'], ['body', 'owner', 'password']). */
  marks: Mark[]
  /** What the handler must receive; defined only when nothing is marked. */
  expected?: Record<string, unknown>
  /** Secret values as the server reads them, and how often each was sent in all (secret or not). */
  secrets: unknown[]
  sentCounts: Map<unknown, number>
  /** The `input` a string-sourced argument's error must show, by `loc` (['query', 'q']). */
  inputs: Map<string, unknown>
  /** The JSON text sent, for json_invalid offsets. */
  payload?: string
}

/** The request and response, for the failure message. */
export interface Exchange {
  request: { method: string, url: string, headers?: Record<string, unknown>, payload?: string | Buffer }
  response: { statusCode: number, headers: Record<string, unknown>, body: string }
}

export class OracleError extends Error {}

/**
 * Bugs reported and not fixed yet: an answer they explain is counted, not failed, and the
 * test lists the count as a todo. Remove an entry once the bug is fixed.
 */
export const KNOWN_BUGS: Array<{ id: string, matches: (exchange: Exchange) => boolean, hits: number }> = [
]

function describe (exchange: Exchange): string {
  const { request, response } = exchange
  const payload = request.payload === undefined ? '' : String(request.payload)
  const clip = (s: string): string => s.length > 600 ? `${s.slice(0, 600)}…(${s.length} chars)` : s
  return [
    `request: ${request.method} ${clip(request.url)}`,
    `headers: ${clip(JSON.stringify(request.headers ?? {}))}`,
    payload === '' ? 'payload: (none)' : `payload: ${clip(JSON.stringify(payload))}`,
    `response: ${response.statusCode} ${clip(response.body)}`
  ].join('\n  ')
}

const startsWith = (loc: Loc, prefix: Loc): boolean => prefix.length <= loc.length && prefix.every((k, i) => loc[i] === k)
const locKey = (loc: Loc): string => JSON.stringify(loc)
export { locKey }

/** What an answer was: the handler's success, a well-formed refusal, or one a known bug explains. */
export type Verdict = 'success' | 'refused' | 'known bug'

/** Checks one answer; throws OracleError on the first broken rule. */
export function checkAnswer (route: RouteInfo, exp: Expectation, exchange: Exchange): Verdict {
  const fail = (why: string): never => { throw new OracleError(`${why}\n  ${describe(exchange)}`) }
  const known = KNOWN_BUGS.find(bug => bug.matches(exchange))
  if (known !== undefined) {
    known.hits++
    return 'known bug'
  }
  const { statusCode, body, headers } = exchange.response
  if (statusCode >= 500) fail(`server error ${statusCode}`)
  const pathMarked = exp.marks.some(m => m.path[0] === 'path')
  // An empty path value can make the URL another route's with a trailing slash: redirect_slashes.
  if (statusCode === 307 && pathMarked && typeof headers.location === 'string' && body === '') return 'refused'
  if (!String(headers['content-type'] ?? '').startsWith('application/json')) fail(`content-type ${String(headers['content-type'])}, not JSON`)
  let json: any
  try {
    json = JSON.parse(body)
  } catch {
    fail('the body is not valid JSON')
  }
  const marked = exp.marks.length > 0

  // The router refuses a path before anything else is read (the app passes frameworkErrors):
  // 400 for an escape it cannot decode, 414 for a value longer than maxParamLength.
  const segments = exchange.request.url.split('?')[0].split('/')
  if (statusCode === 414 && isDeepStrictEqual(json, { detail: 'URI Too Long' })) {
    if (!pathMarked || !segments.some(s => s.length > MAX_PARAM_LENGTH)) fail('414 without a path value over maxParamLength')
    return 'refused'
  }
  if (statusCode === 400 && pathMarked && isDeepStrictEqual(json, { detail: 'Bad Request' }) && segments.some(s => !decodes(s))) return 'refused'

  // A JSON body nested deeper than CPython's json decoder recurses: 400, whatever else is wrong
  // in it (an error before the deep part is a 422 instead, which malformed mode allows).
  const tooDeep = exp.payload !== undefined && jsonDepth(exp.payload) > MAX_DEPTH
  if (statusCode === 400 && isDeepStrictEqual(json, PARSE_ERROR)) {
    if (!tooDeep) fail(`400 ${JSON.stringify(PARSE_ERROR)} for a body nested at most ${MAX_DEPTH} levels deep`)
    return 'refused'
  }
  // A bad path value is routed first: its 404 comes before the body is read, as in Starlette.
  const routed = !(statusCode === 404 && pathMarked)
  if (tooDeep && routed && (exp.mode === 'normal' || exp.mode === 'proto')) fail(`a JSON body nested deeper than ${MAX_DEPTH} levels must be 400 ${JSON.stringify(PARSE_ERROR)}`)

  switch (exp.mode) {
    case 'proto':
      if (statusCode !== 400 || !isDeepStrictEqual(json, { detail: 'Bad Request' })) fail('a __proto__/constructor key must be 400 {"detail":"Bad Request"}')
      return 'refused'
    case 'oversize':
      if (statusCode !== 413 || !isDeepStrictEqual(json, { detail: 'Payload Too Large' })) fail('a body over the limit must be 413 {"detail":"Payload Too Large"}')
      return 'refused'
    case 'malformed': {
      if (statusCode !== 422) fail('malformed JSON must be 422')
      const items = checkItems(route, json, fail)
      const item = items[0]
      const offset = item?.loc?.[1]
      if (items.length !== 1 || item.type !== 'json_invalid' || item.msg !== 'JSON decode error' || !isDeepStrictEqual(item.input, {}) ||
        typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > (exp.payload ?? '').length ||
        typeof item.ctx?.error !== 'string') {
        fail('malformed JSON must give one json_invalid item at ["body", <offset>] with ctx.error')
      }
      return 'refused'
    }
    default:
      break
  }

  if (statusCode === route.status) {
    if (exp.mode !== 'normal' && exp.mode !== 'media') fail(`success for a request in mode ${exp.mode}`)
    if (exp.marks.some(m => m.verdict === 'invalid')) fail(`success although ${locKey(exp.marks.find(m => m.verdict === 'invalid')!.path)} is invalid`)
    checkEcho(route, exp, json, fail)
    return 'success'
  }
  if (exp.mode === 'normal' && !marked) fail(`every value is valid, yet the answer is ${statusCode} (success is ${route.status})`)

  if (statusCode === 422) {
    const items = checkItems(route, json, fail)
    checkSecrets(exp, items, fail)
    if (exp.mode === 'normal' || exp.mode === 'empty') {
      for (const item of items) {
        if (!exp.marks.some(m => startsWith(item.loc, m.path))) fail(`error at ${locKey(item.loc)}, where every value is valid`)
        const input = exp.inputs.get(locKey(item.loc))
        if (input !== undefined && item.type !== 'missing' && !isDeepStrictEqual(item.input, input)) {
          fail(`error at ${locKey(item.loc)} shows input ${JSON.stringify(item.input)}, not the value received ${JSON.stringify(input)}`)
        }
      }
      // A 404 for a bad path value can hide the others; a 422 must report every invalid value.
      for (const mark of exp.marks) {
        if (mark.verdict === 'invalid' && !items.some(item => startsWith(item.loc, mark.path))) fail(`no error for the invalid value at ${locKey(mark.path)}`)
      }
    }
    return 'refused'
  }

  // The other 4xx: {"detail": "<reason>"} and nothing else.
  if (![400, 404, 413, 415].includes(statusCode)) fail(`unexpected status ${statusCode}`)
  if (json === null || typeof json !== 'object' || Object.keys(json).length !== 1 || typeof json.detail !== 'string') {
    fail(`a ${statusCode} must be {"detail": "<string>"}`)
  }
  if (statusCode === 404 && !(pathMarked && json.detail === 'Not Found')) fail('404 although the path values are valid')
  if (statusCode === 415 && exp.mode !== 'media') fail('415 for a request of the right media type')
  if (statusCode === 413 && !(exp.mode === 'media' && Buffer.byteLength(exp.payload ?? '') > 1024)) fail('413 for a body under the limit')
  if (statusCode === 400 && !pathMarked && exp.mode !== 'media') fail('400 for a request without a bad path or media type')
  return 'refused'
}

/** Whether a path segment's %-escapes decode (find-my-way refuses the URL otherwise). */
function decodes (segment: string): boolean {
  try {
    decodeURIComponent(segment)
    return true
  } catch {
    return false
  }
}

/** The deepest nesting of `[` and `{` in JSON text, outside strings (an empty container counts). */
function jsonDepth (text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
    } else if (c === '[' || c === '{') {
      max = Math.max(max, ++depth)
    } else if (c === ']' || c === '}') {
      depth--
    }
  }
  return max
}

interface Item { type: string, loc: Loc, msg: string, input: unknown, ctx?: Record<string, unknown> }

/** A 422 body: {"detail": [items]}, each item FastAPI's shape, `loc` naming a declared argument. */
function checkItems (route: RouteInfo, json: any, fail: (why: string) => never): Item[] {
  if (json === null || typeof json !== 'object' || !isDeepStrictEqual(Object.keys(json), ['detail']) || !Array.isArray(json.detail) || json.detail.length === 0) {
    fail('a 422 must be {"detail": [items]}')
  }
  for (const item of json.detail) {
    const keys = Object.keys(item ?? {})
    if (!isDeepStrictEqual(keys, 'ctx' in item ? [...ITEM_KEYS, 'ctx'] : ITEM_KEYS)) fail(`item keys ${keys.join(',')}: want type, loc, msg, input (, ctx)`)
    if (typeof item.type !== 'string' || item.type === '' || typeof item.msg !== 'string' || item.msg === '') fail('item type and msg must be non-empty strings')
    if ('ctx' in item && (item.ctx === null || typeof item.ctx !== 'object' || Array.isArray(item.ctx))) fail('item ctx must be an object')
    const loc = item.loc
    if (!Array.isArray(loc) || loc.length === 0 || !loc.every((k: unknown) => typeof k === 'string' || (typeof k === 'number' && Number.isInteger(k)))) {
      fail('item loc must be a non-empty list of strings and integers')
    }
    if (!LOCATIONS.has(loc[0])) fail(`loc[0] ${JSON.stringify(loc[0])} is no location`)
    if (loc.length === 1) {
      if (!(loc[0] === 'body' && route.wholeBody)) fail(`loc ${locKey(loc)} names no argument`)
    } else if (!(item.type === 'json_invalid' && typeof loc[1] === 'number') && !route.labels[loc[0]]?.has(loc[1])) {
      fail(`loc[1] ${JSON.stringify(loc[1])} is not a declared ${loc[0]} name`)
    }
  }
  return json.detail
}

/** No secret sent appears in an item's `input`, unless the same value was also sent elsewhere. */
function checkSecrets (exp: Expectation, items: Item[], fail: (why: string) => never): void {
  const secrets = exp.secrets.filter(s => s !== REDACTED && exp.secrets.filter(x => x === s).length === (exp.sentCounts.get(s) ?? 0))
  if (secrets.length === 0) return
  const visit = (value: unknown, loc: Loc): void => {
    if (secrets.includes(value)) fail(`secret ${JSON.stringify(value)} echoed in the input of the error at ${locKey(loc)}`)
    if (value !== null && typeof value === 'object') for (const v of Object.values(value)) visit(v, loc)
  }
  for (const item of items) visit(item.input, item.loc)
}

/** A success: the handler got each argument with its declared type and constraints (and the predicted values). */
function checkEcho (route: RouteInfo, exp: Expectation, json: any, fail: (why: string) => never): void {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('the echo must be an object')
  for (const key of Object.keys(json)) if (!(key in route.checks)) fail(`the handler got an undeclared argument ${key}`)
  for (const [name, schema] of Object.entries(route.checks)) {
    const result = schema.safeParse(json[name])
    if (!result.success) fail(`the handler got ${name} = ${JSON.stringify(json[name])}, which breaks its declaration: ${result.error.issues.map(i => `${i.path.join('.')} ${i.message}`).join('; ')}`)
    if (!isDeepStrictEqual(result.data, json[name])) fail(`the handler got ${name} = ${JSON.stringify(json[name])}, not its declared shape ${JSON.stringify(result.data)}`)
  }
  if (exp.expected !== undefined) {
    const want = JSON.parse(JSON.stringify(exp.expected))
    if (!isDeepStrictEqual(json, want)) fail(`the handler got ${JSON.stringify(json)}, want ${JSON.stringify(want)}`)
  }
}
