/**
 * @module validation — compiles a route's arguments into one function that reads, coerces
 * and validates every argument of a request, and reports the errors of every location
 * together (FastAPI does; Fastify's own validation stops at the first failing part).
 */
import { errorCodes, type FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { ErrorItem, Location } from './exceptions.js'
import { buildCoercer, type Coercer } from './coerce.js'
import { pushIssueItems, type IssueContext } from './error-items.js'
import { compileAjvErrorItems, type ErrorItemsBuilder } from './ajv-error-items.js'
import { coercionFor, containsSecret } from './zod-internals.js'
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
  return {
    name: spec.name,
    read: reader(spec, coercion.list),
    coerce: fromString ? buildCoercer(coercion) : null,
    // zod checks a scalar in ~60 ns, about what the call into ajv saves; bodies gain the most,
    // and compiling only them keeps registration quick.
    fast: spec.in === 'body' ? compileFastParse(spec.schema) : null,
    items: spec.in === 'body' ? compileAjvErrorItems(spec.schema) : null,
    list: coercion.list,
    schema: spec.schema,
    loc: spec.in === 'body' && spec.wholeBody ? ['body'] : [where, spec.label ?? spec.wire],
    fromString,
    hasSecrets: containsSecret(spec.schema)
  }
}

function reader (spec: ArgSpec, list: boolean): CompiledArg['read'] {
  const wire = spec.wire
  switch (spec.in) {
    case 'path': return request => (request.params as Record<string, unknown>)[wire]
    case 'query': return request => (request.query as Record<string, unknown>)[wire]
    case 'header':
      // Node joins repeated headers with ", "; a list parameter wants them one by one.
      return list
        ? request => headerValues(request, wire)
        : request => request.headers[wire]
    case 'cookie': return (request, cookies) => cookies[wire]
    case 'body':
      // FastAPI treats a JSON `null` body like no body: `missing` when required.
      if (spec.wholeBody) return request => request.body ?? undefined
      return request => {
        const body = request.body
        return body !== null && typeof body === 'object' && !Array.isArray(body)
          ? (body as Record<string, unknown>)[wire]
          : undefined
      }
    case 'form': {
      const maxSize = fileInfoOf(spec.schema)?.maxSize
      return request => {
        // As Starlette's request.form(): a body of another media type has no form fields.
        if (!isFormBody(request)) return undefined
        const value = (request.body as Record<string, unknown>)[wire]
        // FastAPI reads an empty form field as absent: `missing` when required, else the default.
        if (value === '' || (Array.isArray(value) && (value.length === 0 || (!list && value[value.length - 1] === '')))) return undefined
        if (maxSize !== undefined) checkSize(value, maxSize)
        return value
      }
    }
  }
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
