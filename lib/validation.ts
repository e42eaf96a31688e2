/**
 * @module validation — compiles a route's arguments into one function that reads, coerces
 * and validates every argument of a request, and reports the errors of every location
 * together (FastAPI does; Fastify's own validation stops at the first failing part).
 */
import { errorCodes, type FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { ErrorItem, Location } from './exceptions.js'
import { buildCoercer, mayHoldEscape, parseQueryString, type Coercer } from './coerce.js'
import { pushIssueItems, type IssueContext } from './error-items.js'
import { compileAjvErrorItems, type ErrorItemsBuilder } from './ajv-error-items.js'
import { coercionFor, containsSecret, defOf } from './zod-internals.js'
import { parseCookies } from './cookies.js'
import { compileFastParse, FAST_PARSE_FAIL } from './fast-path.js'
import { fileInfoOf, UploadFile } from './upload.js'

/** Where an argument is read: a FastAPI location, or `form` (a form field or file, reported as `body`). */
export type ArgLocation = Location | 'form'

/** One argument, resolved at registration: where to read it and how to check it. */
export interface ArgSpec {
  /** The handler's argument name. */
  name: string
  /** The name on the wire (query key, lower-case header name, …). */
  wire: string
  in: ArgLocation
  schema: z.ZodType
  /** For a body argument: read the whole body (true) or `body[wire]` (false). */
  wholeBody: boolean
  /** The name shown in an error's `loc`, when it differs from `wire` (a header alias as declared). */
  label?: string
  /** `false`: left out of the OpenAPI document. */
  includeInSchema?: boolean
}

/** Validated arguments, or the 422 items. */
export type ValidateResult = { args: Record<string, unknown>, errors: null } | { args: null, errors: ErrorItem[] }

/** Checks one request; built once per route. */
export type RequestValidator = (request: FastifyRequest) => ValidateResult

/**
 * Reads and checks one set of arguments (a route's or a dependency's own) into `target`,
 * appending 422 items to `errors` (created when the first one appears); returns `errors`.
 */
export type ArgsReader = (request: FastifyRequest, target: Record<string, unknown>, errors: ErrorItem[] | null) => ErrorItem[] | null

interface CompiledArg {
  name: string
  read: (request: FastifyRequest, cookies: Record<string, string>) => unknown
  coerce: Coercer | null
  /** ajv's compiled check when JSON Schema says exactly what the zod schema checks. */
  fast: ((value: unknown) => unknown) | null
  /** Builds the 422 items from ajv's errors when `fast` failed (exact schemas only). */
  items: ErrorItemsBuilder | null
  list: boolean
  schema: z.ZodType
  loc: Array<string | number>
  fromString: boolean
  hasSecrets: boolean
}

// FastAPI reports path, query, header and cookie errors before body errors.
const ORDER: ArgLocation[] = ['path', 'query', 'header', 'cookie', 'body', 'form']

/** Builds the request validator for a route's arguments. */
export function compileValidator (specs: readonly ArgSpec[]): RequestValidator {
  const read = compileArgsReader(specs)
  return function validateRequest (request) {
    const args: Record<string, unknown> = {}
    const errors = read(request, args, null)
    return errors === null ? { args, errors: null } : { args: null, errors }
  }
}

/** Builds the reader of one set of arguments, in FastAPI's order of locations. */
export function compileArgsReader (specs: readonly ArgSpec[]): ArgsReader {
  const compiled = ORDER.flatMap(location => specs.filter(s => s.in === location)).map(compileArg)
  const needsCookies = specs.some(s => s.in === 'cookie')
  const noCookies: Record<string, string> = {}
  const count = compiled.length

  return function readArgs (request, args, errors) {
    const cookies = needsCookies ? readCookies(request) : noCookies
    for (let i = 0; i < count; i++) {
      const arg = compiled[i]
      const raw = arg.read(request, cookies)
      const value = arg.coerce === null ? raw : arg.coerce(raw)
      if (arg.fast !== null) {
        const data = arg.fast(value)
        if (data !== FAST_PARSE_FAIL) {
          args[arg.name] = data
          continue
        }
        if (arg.items !== null) {
          errors ??= []
          const before = errors.length
          // Items from ajv's errors: the same bytes as zod's, without a ZodError (~5 µs).
          arg.items(value, contextOf(arg, raw), errors)
          if (errors.length > before) continue
        }
      }
      // zod decides when there is no exact fast check, and builds the items when it failed.
      const result = arg.schema.safeParse(value)
      if (result.success) {
        args[arg.name] = result.data
      } else {
        errors ??= []
        pushIssueItems(result.error.issues, contextOf(arg, raw), errors)
      }
    }
    return errors === null || errors.length === 0 ? null : errors
  }
}

function contextOf (arg: CompiledArg, raw: unknown): IssueContext {
  return {
    loc: arg.loc,
    input: arg.fromString ? asReceived(raw, arg.list) : raw,
    schema: arg.schema,
    fromString: arg.fromString,
    hasSecrets: arg.hasSecrets
  }
}

function compileArg (spec: ArgSpec): CompiledArg {
  const fromString = spec.in !== 'body'
  const where = spec.in === 'form' ? 'body' : spec.in
  const coercion = coercionFor(spec.schema)
  // A model field named like an Object.prototype member (`constructor`, `toString`): zod and ajv
  // read `input[key]`, which finds the inherited function when the client left the field out.
  // Such bodies (rare: decided here, once) are checked by zod on a copy without prototypes.
  const ownKeys = spec.in === 'body' && hasPrototypeKeys(spec.schema)
  const bodyFast = spec.in === 'body' && !ownKeys
  return {
    name: spec.name,
    read: reader(spec, coercion.list),
    coerce: fromString ? buildCoercer(coercion) : ownKeys ? withoutPrototypes : null,
    // zod checks a scalar in ~60 ns, about what the call into ajv saves; bodies gain the most,
    // and compiling only them keeps registration quick.
    fast: bodyFast ? compileFastParse(spec.schema) : null,
    items: bodyFast ? compileAjvErrorItems(spec.schema) : null,
    list: coercion.list,
    schema: spec.schema,
    loc: spec.in === 'body' && spec.wholeBody ? ['body'] : [where, spec.label ?? spec.wire],
    fromString,
    hasSecrets: containsSecret(spec.schema)
  }
}

/**
 * Reads `name` of a parsed object. A name an object inherits (`constructor`, `toString`, …)
 * must be the object's own: a plain object would answer with Object.prototype's function.
 * Decided per argument at registration, so other names cost nothing more.
 */
function field (name: string): (object: Record<string, unknown>) => unknown {
  if (!(name in Object.prototype)) return object => object[name]
  return object => Object.hasOwn(object, name) ? object[name] : undefined
}

function reader (spec: ArgSpec, list: boolean): CompiledArg['read'] {
  const wire = spec.wire
  const get = field(wire)
  switch (spec.in) {
    case 'path': return request => get(request.params as Record<string, unknown>)
    case 'query': return request => {
      const value = get(request.query as Record<string, unknown>)
      // A value that still holds a `%` may read otherwise in Starlette (an escape
      // fast-querystring could not decode is kept raw): read the raw query string again.
      return mayHoldEscape(value) ? rawQueryValue(request, wire) : value
    }
    case 'header':
      // Node joins repeated headers with ", "; a list parameter wants them one by one.
      return list
        ? request => headerValues(request, wire)
        : request => get(request.headers as Record<string, unknown>)
    case 'cookie': return (request, cookies) => get(cookies)
    case 'body':
      // FastAPI treats a JSON `null` body like no body: `missing` when required.
      if (spec.wholeBody) return request => request.body ?? undefined
      return request => {
        const body = request.body
        return body !== null && typeof body === 'object' && !Array.isArray(body)
          ? get(body as Record<string, unknown>)
          : undefined
      }
    case 'form': {
      const maxSize = fileInfoOf(spec.schema)?.maxSize
      return request => {
        // As Starlette's request.form(): a body of another media type has no form fields.
        if (!isFormBody(request)) return undefined
        const value = get(request.body as Record<string, unknown>)
        // FastAPI reads an empty form field as absent: `missing` when required, else the default.
        if (value === '' || (Array.isArray(value) && (value.length === 0 || (!list && value[value.length - 1] === '')))) return undefined
        if (maxSize !== undefined) checkSize(value, maxSize)
        return value
      }
    }
  }
}

/** `wire`'s value(s) in the raw query string, decoded as Starlette decodes them. */
function rawQueryValue (request: FastifyRequest, wire: string): unknown {
  const url = request.raw.url ?? ''
  const start = url.indexOf('?')
  return start === -1 ? undefined : parseQueryString(url.slice(start + 1))[wire]
}

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype))

/**
 * True when an object schema inside `schema` declares a key that plain objects inherit. Walks
 * every schema reachable through the definition (wrappers, items, options, shapes, lazy
 * schemas), each once.
 */
function hasPrototypeKeys (schema: z.ZodType): boolean {
  const seen = new Set<unknown>()
  const stack: unknown[] = [schema]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object' || seen.has(node) || !('_zod' in node)) continue
    seen.add(node)
    const def = defOf(node as z.ZodType)
    if (def.type === 'object') {
      // zod never reads `__proto__` from the input.
      for (const key of Object.keys(def.shape)) if (key !== '__proto__' && PROTOTYPE_NAMES.has(key)) return true
      stack.push(...Object.values(def.shape))
    }
    if (def.type === 'lazy') stack.push(def.getter())
    for (const value of Object.values(def)) {
      if (Array.isArray(value)) stack.push(...value)
      else stack.push(value)
    }
  }
  return false
}

/**
 * A copy of a parsed body whose plain objects have no prototype, so that a key the client left
 * out reads `undefined` whatever its name. Arrays stay arrays; anything else is kept as is.
 * Iterative: a body from another parser may nest deeper than the stack.
 */
function withoutPrototypes (value: unknown): unknown {
  const copy = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.slice()
    if (item === null || typeof item !== 'object') return item
    const proto = Object.getPrototypeOf(item)
    return proto === Object.prototype || proto === null ? Object.assign(Object.create(null), item) : item
  }
  const root = copy(value)
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>
    if (node === null || typeof node !== 'object' || !(Array.isArray(node) || Object.getPrototypeOf(node) === null)) continue
    for (const key of Object.keys(node)) {
      const item = node[key]
      if (item !== null && typeof item === 'object') {
        const next = copy(item)
        node[key] = next
        if (next !== item) stack.push(next)
      }
    }
  }
  return root
}

/** A file over its `File({ maxSize })` is refused whole, as a body over the limit is: 413. */
function checkSize (value: unknown, maxSize: number): void {
  const files = Array.isArray(value) ? value : [value]
  for (const file of files) {
    if (file instanceof UploadFile && file.size > maxSize) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()
  }
}

const FORM_TYPE = /^(?:application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i

function isFormBody (request: FastifyRequest): boolean {
  const type = request.headers['content-type']
  return type !== undefined && FORM_TYPE.test(type) && request.body !== null && typeof request.body === 'object'
}

/**
 * Every value of a repeated header, from the raw pairs. `headersDistinct` would do, but
 * light-my-request (app.inject) does not provide it.
 */
function headerValues (request: FastifyRequest, wire: string): string[] | undefined {
  const raw = request.raw.rawHeaders
  let values: string[] | undefined
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === wire.length && raw[i].toLowerCase() === wire) (values ??= []).push(raw[i + 1])
  }
  return values
}

function readCookies (request: FastifyRequest): Record<string, string> {
  // @fastify/cookie, when the app registered it, has already parsed them.
  const parsed = (request as { cookies?: Record<string, string> }).cookies
  return parsed ?? parseCookies(request.headers.cookie)
}

/** The value as the client sent it, in the shape the schema saw (for `input`). */
function asReceived (raw: unknown, list: boolean): unknown {
  if (list) return raw === undefined || Array.isArray(raw) ? raw : [raw]
  return Array.isArray(raw) ? raw[raw.length - 1] : raw
}
