/**
 * @module route-compiler — turns a FastAPI-style declaration into Fastify route options,
 * once, at registration. Developer mistakes are thrown here as FFA_ERR_* errors.
 */
import type { HTTPMethods, RouteOptions } from 'fastify'
import * as errors from './errors.js'
import { applyFieldOptions, FIELD_OPTION_KEYS } from './constraints.js'
import { isParam, type Param } from './params.js'
import type { RouteDecl } from './infer.js'
import { compileValidator, type ArgSpec } from './validation.js'
import { compileResponseSerializer, serializeJson } from './response-model.js'
import { buildHandler } from './handler.js'
import { acceptsUndefined, coercionFor, defOf, isZodSchema, unwrap } from './zod-internals.js'
import { kApiRoute } from './symbols.js'

const ROUTE_KEYS = new Set([
  'args', 'statusCode', 'responseModel', 'responses', 'summary', 'description', 'responseDescription',
  'tags', 'operationId', 'deprecated', 'includeInSchema',
  'responseModelExcludeNone', 'responseModelExcludeUnset', 'responseModelExcludeDefaults',
  'responseModelInclude', 'responseModelExclude',
  // Fastify's own route options, passed through.
  'config', 'bodyLimit', 'logLevel', 'onRequest', 'preParsing', 'preValidation', 'preHandler',
  'preSerialization', 'onSend', 'onResponse', 'onTimeout', 'onError', 'onRequestAbort',
  'constraints', 'exposeHeadRoute', 'prefixTrailingSlash'
])
const OUR_KEYS = new Set(['args', 'statusCode', 'responseModel', 'responses', 'summary', 'description',
  'responseDescription', 'tags', 'operationId', 'deprecated', 'includeInSchema', 'responseModelExcludeNone',
  'responseModelExcludeUnset', 'responseModelExcludeDefaults', 'responseModelInclude', 'responseModelExclude'])
const PARAM_KEYS = new Set([...FIELD_OPTION_KEYS, 'alias', 'includeInSchema'])
const STRING_SHAPES = new Set(['string', 'number', 'boolean', 'bigint', 'date', 'enum', 'literal', 'union', 'pipe', 'array', 'set', 'any', 'unknown', 'template_literal', 'custom'])

/** What `compileRoute` needs to know about where the route is declared. */
export interface RouteSite {
  method: HTTPMethods | HTTPMethods[]
  url: string
  /** The encapsulation prefix, so prefix parameters are checked too. */
  prefix: string
}

/** A compiled route: Fastify's options, and the declaration as resolved (for OpenAPI). */
export interface CompiledRoute {
  routeOptions: RouteOptions
  args: ArgSpec[]
  decl: RouteDecl
}

/** Compiles a declaration; throws FFA_ERR_* for every developer mistake. */
export function compileRoute (site: RouteSite, decl: RouteDecl, handler: Function, errorHandler: RouteOptions['errorHandler']): CompiledRoute {
  const methods = (Array.isArray(site.method) ? site.method : [site.method]).map(m => m.toUpperCase())
  const url = fromFastapiPath(site.url)
  const route = `${methods.join(',')} ${site.prefix}${url}`
  if (decl === null || typeof decl !== 'object') {
    throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, 'the declaration must be an object such as { args: { ... } }.')
  }
  if (typeof handler !== 'function') {
    throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, 'the handler must be a function.')
  }
  for (const key of Object.keys(decl)) {
    if (!ROUTE_KEYS.has(key)) throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, `unknown option "${key}". Check its spelling against the README's route options.`)
  }
  const statusCode = decl.statusCode ?? 200
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, `statusCode must be an integer from 100 to 599, got ${String(decl.statusCode)}.`)
  }
  if (decl.responseModel !== undefined && !isZodSchema(decl.responseModel)) {
    throw new errors.FFA_ERR_RESPONSE_INVALID_MODEL(route, 'responseModel')
  }
  for (const [code, extra] of Object.entries(decl.responses ?? {})) {
    if (extra?.model !== undefined && !isZodSchema(extra.model)) {
      throw new errors.FFA_ERR_RESPONSE_INVALID_MODEL(route, `responses[${code}].model`)
    }
  }

  const args = resolveArgs(route, methods, decl.args ?? {})
  checkPathParams(route, `${site.prefix}${url}`, args, decl.args !== undefined)

  const plan = {
    validate: compileValidator(args),
    statusCode,
    serialize: decl.responseModel === undefined ? serializeJson : compileResponseSerializer(decl.responseModel, decl)
  }
  const passThrough: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(decl)) if (!OUR_KEYS.has(key)) passThrough[key] = value

  const routeOptions = {
    ...passThrough,
    method: methods as HTTPMethods[],
    url,
    config: { ...decl.config, [kApiRoute]: true },
    errorHandler,
    handler: buildHandler(plan, handler as any)
  } as RouteOptions
  return { routeOptions, args, decl }
}

/** FastAPI writes `/items/{item_id}`; Fastify wants `/items/:item_id`. Both are accepted. */
function fromFastapiPath (url: string): string {
  return url.replace(/\{([A-Za-z_$][\w$]*)\}/g, ':$1')
}

function resolveArgs (route: string, methods: string[], declared: Record<string, unknown>): ArgSpec[] {
  if (declared === null || typeof declared !== 'object') {
    throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, '`args` must be an object of parameter declarations.')
  }
  const entries = Object.entries(declared)
  const bodyCount = entries.filter(([, p]) => isParam(p) && p.in === 'body').length
  const seen = new Map<string, string>()
  return entries.map(([name, marker]) => {
    if (!isParam(marker)) throw new errors.FFA_ERR_PARAM_NOT_A_MARKER(route, name, name)
    const spec = resolveArg(route, methods, name, marker, bodyCount)
    const key = `${spec.in}\u0000${spec.wire}`
    const other = seen.get(key)
    if (other !== undefined && !(spec.in === 'body' && spec.wholeBody)) {
      throw new errors.FFA_ERR_PARAM_DUPLICATE_NAME(route, other, name, spec.in, spec.wire)
    }
    seen.set(key, name)
    return spec
  })
}

function resolveArg (route: string, methods: string[], name: string, marker: Param, bodyCount: number): ArgSpec {
  const fail = (message: string): never => { throw new errors.FFA_ERR_PARAM_INVALID_OPTION(route, name, message) }
  if (!isZodSchema(marker.schema)) {
    throw new errors.FFA_ERR_PARAM_INVALID_SCHEMA(route, name, 'the schema must be a zod schema, e.g. Query(z.string()).')
  }
  const options = marker.options
  const allowed = marker.in === 'header' ? 'convertUnderscores' : marker.in === 'body' ? 'embed' : ''
  for (const key of Object.keys(options)) {
    if (!PARAM_KEYS.has(key) && key !== allowed) fail(`unknown option "${key}" for ${marker.in === 'body' ? 'Body' : marker.in}().`)
  }
  if (options.alias !== undefined && (typeof options.alias !== 'string' || options.alias === '')) {
    fail('`alias` must be a non-empty string.')
  }
  const schema = applyFieldOptions(marker.schema, options, fail)
  const inner = defOf(unwrap(schema)).type
  if (marker.in !== 'body' && !STRING_SHAPES.has(inner)) {
    throw new errors.FFA_ERR_PARAM_INVALID_SCHEMA(route, name,
      `a ${marker.in} value is a string, so its schema must be a scalar or a list of scalars, not a ${inner}. Use Body() for structured data.`)
  }
  if (marker.in === 'path' && acceptsUndefined(schema)) throw new errors.FFA_ERR_PATH_PARAM_OPTIONAL(route, name)
  if (marker.in === 'path' && coercionFor(schema).list) {
    throw new errors.FFA_ERR_PARAM_INVALID_SCHEMA(route, name, 'a path parameter is one URL segment and cannot be a list.')
  }
  if (marker.in === 'body' && methods.some(m => m === 'GET' || m === 'HEAD')) {
    throw new errors.FFA_ERR_BODY_NOT_ALLOWED(route, name, methods.join('/'))
  }
  return {
    name,
    wire: wireName(name, marker),
    // FastAPI reports a header alias as declared ("X-Api-Key"), though it matches any case.
    label: marker.in === 'header' ? marker.options.alias : undefined,
    in: marker.in,
    schema,
    wholeBody: marker.in === 'body' && bodyCount === 1 && options.embed !== true
  }
}

function wireName (name: string, marker: Param): string {
  if (marker.in === 'header') {
    if (marker.options.alias !== undefined) return marker.options.alias.toLowerCase()
    if (marker.options.convertUnderscores === false) return name.toLowerCase()
    // xToken and x_token both read the x-token header, as FastAPI's convert_underscores.
    return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase()
  }
  return marker.options.alias ?? name
}

function checkPathParams (route: string, fullUrl: string, args: ArgSpec[], declared: boolean): void {
  const inUrl = new Set<string>()
  // ':name' is a parameter, '::' a literal colon; '*' is Fastify's wildcard.
  for (const match of fullUrl.matchAll(/(^|[^:]):([A-Za-z_$][\w$]*)/g)) inUrl.add(match[2])
  if (fullUrl.includes('*')) inUrl.add('*')
  const read = new Set<string>()
  for (const arg of args) {
    if (arg.in !== 'path') continue
    if (!inUrl.has(arg.wire)) throw new errors.FFA_ERR_PATH_PARAM_NOT_IN_URL(route, arg.name, arg.wire, arg.wire)
    read.add(arg.wire)
  }
  if (!declared) return
  for (const param of inUrl) {
    if (!read.has(param)) throw new errors.FFA_ERR_PATH_PARAM_UNDECLARED(route, param, param)
  }
}
