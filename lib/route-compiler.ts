/**
 * @module route-compiler — turns a FastAPI-style declaration into Fastify route options,
 * once, at registration. Developer mistakes are thrown here as FFA_ERR_* errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteOptions } from 'fastify'
import * as errors from './errors.js'
import type { RouteDecl } from './infer.js'
import { compileValidator, type ArgSpec } from './validation.js'
import { compileResponseSerializer, serializeJson, type ResponseSerializer } from './response-model.js'
import { buildDependentHandler, buildHandler, type DependentPlan } from './handler.js'
import { buildInvalidAnswer, type ErrorSettings } from './exception-handlers.js'
import { compileGraph, type CompiledGraph, type SecurityRequirement } from './dependency-graph.js'
import type { Dependency } from './dependencies.js'
import { isZodSchema } from './zod-internals.js'
import { JSONResponse, Response, FileResponse } from './responses.js'
import { kApiRoute, kFormRoute, kSecretArgs } from './symbols.js'
import { secretArgsOf, type SecretArgs } from './redact-log.js'

const ROUTE_KEYS = new Set([
  'args', 'dependencies', 'statusCode', 'responseClass', 'responseModel', 'responses', 'summary', 'description', 'responseDescription',
  'tags', 'operationId', 'deprecated', 'includeInSchema',
  'responseModelExcludeNone', 'responseModelExcludeUnset', 'responseModelExcludeDefaults',
  'responseModelInclude', 'responseModelExclude',
  // Fastify's own route options, passed through.
  'config', 'bodyLimit', 'logLevel', 'onRequest', 'preParsing', 'preValidation', 'preHandler',
  'preSerialization', 'onSend', 'onResponse', 'onTimeout', 'onError', 'onRequestAbort',
  'constraints', 'exposeHeadRoute', 'prefixTrailingSlash', 'handlerTimeout'
])
const OUR_KEYS = new Set(['args', 'dependencies', 'statusCode', 'responseClass', 'responseModel', 'responses', 'summary', 'description',
  'responseDescription', 'tags', 'operationId', 'deprecated', 'includeInSchema', 'responseModelExcludeNone',
  'responseModelExcludeUnset', 'responseModelExcludeDefaults', 'responseModelInclude', 'responseModelExclude'])
const NO_OVERRIDES: ReadonlyMap<Dependency, Dependency> = new Map()

/** What `compileRoute` needs to know about where the route is declared. */
export interface RouteSite {
  method: HTTPMethods | HTTPMethods[]
  url: string
  /** The encapsulation prefix, so prefix parameters are checked too. */
  prefix: string
  /** App- and plugin-level `dependencies` in force where the route is declared. */
  dependencies: readonly unknown[]
  /** The dependency overrides in force now. */
  overrides: ReadonlyMap<Dependency, Dependency>
}

/** A compiled route: Fastify's options, and the declaration as resolved (for OpenAPI). */
export interface CompiledRoute {
  routeOptions: RouteOptions
  /** Every argument of the route and of its dependencies, once each (overrides not applied, as FastAPI documents). */
  args: ArgSpec[]
  decl: RouteDecl
  /** The methods, upper case. */
  methods: string[]
  /** The full path in OpenAPI's form (`/items/{item_id}`), prefix included. */
  path: string
  /** The handler's name: the operation's default summary and operationId, as FastAPI's. */
  handlerName: string
  /** Security schemes the route's dependencies declare, with their scopes. */
  security: SecurityRequirement[]
  /** Every dependency the route reaches, declared or overriding: which routes an override touches. */
  uses: Set<Dependency>
  /** True when an argument is a form field. */
  readsForm: boolean
  /**
   * For a route with dependencies: compiles the route under other overrides and returns the
   * function that puts the result in force, so several routes can be checked before any changes.
   */
  prepareOverrides?: (overrides: ReadonlyMap<Dependency, Dependency>) => () => void
}

/** Compiles a declaration; throws FFA_ERR_* for every developer mistake. */
export function compileRoute (site: RouteSite, decl: RouteDecl, handler: Function, errorHandler: RouteOptions['errorHandler'], errorSettings: ErrorSettings): CompiledRoute {
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
  const responseClass = decl.responseClass
  if (responseClass !== undefined && !(typeof responseClass === 'function' && (responseClass === Response || responseClass.prototype instanceof Response))) {
    throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, 'responseClass must be a response class such as HTMLResponse or a subclass of Response.')
  }
  // As FastAPI: without a status code the response class's own default (307 for a redirect).
  const statusCode = decl.statusCode ?? (responseClass as { defaultStatusCode?: number } | undefined)?.defaultStatusCode ?? 200
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

  if (decl.dependencies !== undefined && !Array.isArray(decl.dependencies)) {
    throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, '`dependencies` must be an array such as [Depends(verifyKey)].')
  }
  const fullUrl = `${site.prefix}${url}`
  const graphOf = (overrides: ReadonlyMap<Dependency, Dependency>): CompiledGraph => {
    const graph = compileGraph({ route, methods, args: decl.args, dependencies: [...site.dependencies, ...decl.dependencies ?? []], overrides })
    checkPathParams(route, fullUrl, graph.specs, decl.args !== undefined)
    return graph
  }
  // The documented graph ignores overrides, as FastAPI's; the running one applies them.
  const documented = graphOf(NO_OVERRIDES)
  const running = site.overrides.size > 0 && [...documented.uses].some(d => site.overrides.has(d)) ? graphOf(site.overrides) : documented
  const serialize: ResponseSerializer = decl.responseModel === undefined ? serializeJson : compileResponseSerializer(decl.responseModel, decl)
  const wrap = wrapperOf(responseClass, statusCode)
  const answerInvalid = buildInvalidAnswer(errorSettings)

  const uses = new Set([...documented.uses, ...running.uses])
  // For the error lines of this route (redact-log.ts): which arguments hold a secret.
  const secrets: SecretArgs = { args: secretArgsOf(running.specs) }
  let fastifyHandler: RouteOptions['handler']
  let prepareOverrides: CompiledRoute['prepareOverrides']
  if (documented.program === null) {
    fastifyHandler = buildHandler({ validate: compileValidator(documented.rootSpecs), statusCode, serialize, wrap, answerInvalid }, handler as any)
  } else {
    const planOf = (graph: CompiledGraph): DependentPlan => ({ program: graph.program as DependentPlan['program'], statusCode, serialize, wrap, answerInvalid })
    let plan = planOf(running)
    fastifyHandler = buildDependentHandler(() => plan, handler as any)
    prepareOverrides = overrides => {
      const graph = graphOf(overrides)
      const next = planOf(graph)
      return () => {
        plan = next
        secrets.args = secretArgsOf(graph.specs)
        for (const dep of graph.uses) uses.add(dep)
      }
    }
  }
  const named = [...namedParams(fullUrl)]
  if (named.length > 0) fastifyHandler = notFoundWhenEmpty(named, fastifyHandler)
  const passThrough: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(decl)) if (!OUR_KEYS.has(key)) passThrough[key] = value

  const routeOptions = {
    ...passThrough,
    method: methods as HTTPMethods[],
    url,
    config: { ...decl.config, [kApiRoute]: true, [kSecretArgs]: secrets, ...(running.readsForm ? { [kFormRoute]: true } : {}) },
    errorHandler,
    handler: fastifyHandler
  } as RouteOptions
  return {
    routeOptions,
    args: documented.specs,
    decl,
    methods,
    path: toOpenapiPath(fullUrl),
    handlerName: handler.name,
    security: documented.security,
    uses,
    readsForm: running.readsForm,
    prepareOverrides
  }
}

/**
 * A route's `responseClass` other than JSON: the return value becomes the content of that class
 * (FastAPI passes it through the response model first only for JSON responses).
 */
function wrapperOf (responseClass: RouteDecl['responseClass'], statusCode: number): ((value: unknown) => Response) | null {
  if (responseClass === undefined || responseClass === JSONResponse || responseClass.prototype instanceof JSONResponse) return null
  if (responseClass === FileResponse || responseClass.prototype instanceof FileResponse) {
    return value => new (responseClass as typeof FileResponse)(value as string, { statusCode })
  }
  return value => new (responseClass as new (content: unknown, status: number) => Response)(value, statusCode)
}

/** Fastify's `/items/:item_id` (a regex or `::` included) in OpenAPI's form, `/items/{item_id}`. */
function toOpenapiPath (url: string): string {
  return url
    .replace(/(^|[^:]):([A-Za-z_$][\w$]*)(\([^)]*\))?/g, '$1{$2}')
    .replace(/::/g, ':')
}

/** FastAPI writes `/items/{item_id}`; Fastify wants `/items/:item_id`. Both are accepted. */
function fromFastapiPath (url: string): string {
  return url.replace(/\{([A-Za-z_$][\w$]*)\}/g, ':$1')
}

/** The names of a Fastify URL's `:name` parameters (`::` is a literal colon). */
function namedParams (fullUrl: string): Set<string> {
  const names = new Set<string>()
  for (const match of fullUrl.matchAll(/(^|[^:]):([A-Za-z_$][\w$]*)/g)) names.add(match[2])
  return names
}

/**
 * Fastify matches `/items/` to `/items/:id` with an empty `id`; Starlette's `{id}` needs one
 * character at least, so FastAPI answers 404 there (or redirects to `/items`). Same here.
 */
function notFoundWhenEmpty (names: string[], handler: RouteOptions['handler']): RouteOptions['handler'] {
  return function fastapiRoute (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const params = request.params as Record<string, string>
    for (let i = 0; i < names.length; i++) {
      if (params[names[i]] === '') return reply.callNotFound()
    }
    return handler.call(this, request, reply)
  }
}

function checkPathParams (route: string, fullUrl: string, args: ArgSpec[], declared: boolean): void {
  const inUrl = namedParams(fullUrl)
  // '*' is Fastify's wildcard.
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
