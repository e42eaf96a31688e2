/**
 * @module router — `APIRouter`: FastAPI's routers, as Fastify plugins.
 *
 * A router only records declarations. Registering it (`app.register(router)`) is an ordinary
 * Fastify plugin run: it walks the router and the routers it includes, merges their prefixes,
 * tags, dependencies, responses, `deprecated` and `includeInSchema` into each declaration, and
 * declares every route with `instance.api.route()` on the plugin's own encapsulated instance. So
 * Fastify's register prefix, hooks, decorators and encapsulation apply to router routes exactly as
 * to routes declared by hand inside a plugin, and the route compiler sees nothing new.
 */
import type { FastifyInstance, FastifyPluginCallback, HTTPMethods } from 'fastify'
import type { z } from 'zod'
import type { FastapiRoutes } from './api.js'
import type { ArgsDecl, ExtraResponse, RouteDecl, RouteHandler } from './infer.js'
import { isDependsMarker, type DependsMarker } from './dependencies.js'
import { FFA_ERR_ROUTE_INVALID_OPTION } from './errors.js'

/**
 * Options of `new APIRouter(options)`, FastAPI's `APIRouter(prefix=..., tags=..., ...)`.
 *
 * @example
 * const users = new APIRouter({ prefix: '/users', tags: ['users'], dependencies: [Depends(verifyToken)] })
 */
export interface APIRouterOptions {
  /** Path prefix of every route: starts with `/`, does not end with `/` (`/users`, `/orgs/:orgId`). */
  prefix?: string
  /** Tags added, before the route's own, to every route (OpenAPI `tags`). */
  tags?: string[]
  /** Dependencies run, for their effect, before those of every route. */
  dependencies?: ReadonlyArray<DependsMarker<any>>
  /** Extra documented responses of every route; a route's own entry for the same code wins. */
  responses?: Record<number | string, ExtraResponse>
  /** `true` marks every route deprecated; a route's own `deprecated: false` does not undo it (as FastAPI). */
  deprecated?: boolean
  /** `false` leaves every route out of the OpenAPI document; a route cannot opt back in (as FastAPI). */
  includeInSchema?: boolean
}

/**
 * Options of `router.include(other, options)`, FastAPI's `include_router(other, prefix=..., ...)`:
 * they apply to every route of `other` (and of the routers it includes), between the including
 * router's own settings and `other`'s.
 *
 * @example
 * api.include(items, { prefix: '/items', tags: ['items'], responses: { 404: { description: 'Not found' } } })
 */
export interface APIRouterIncludeOptions extends APIRouterOptions {}

/**
 * Options of `app.register(router, options)`: Fastify's own `prefix` (and `logLevel`,
 * `logSerializers`), plus what FastAPI's `app.include_router(router, ...)` takes. The prefix is
 * applied by Fastify, so it may carry parameters and `instance.prefix` shows it.
 *
 * @example
 * await app.register(users, { prefix: '/v1', tags: ['v1'], dependencies: [Depends(verifyKey)] })
 */
export interface APIRouterRegisterOptions extends Omit<APIRouterOptions, 'prefix'> {}

// Everything that applies to a group of routes: one router's own settings, or one include's.
interface Level {
  prefix: string
  tags: readonly string[]
  dependencies: ReadonlyArray<DependsMarker<any>>
  responses: Readonly<Record<string, ExtraResponse>>
  deprecated: boolean
  includeInSchema: boolean
}

interface RouteEntry {
  method: HTTPMethods | HTTPMethods[]
  path: string
  decl: RouteDecl
  handler: Function
}

interface IncludeEntry {
  router: APIRouter
  level: Level
}

interface RouterState {
  own: Level
  /** Routes and includes in declaration order, which is the order Fastify gets the routes in. */
  entries: Array<RouteEntry | IncludeEntry>
  /** Set when a registration expanded this router: later declarations would be silently lost. */
  registered: boolean
}

const ROUTER_KEYS = ['prefix', 'tags', 'dependencies', 'responses', 'deprecated', 'includeInSchema']
// Fastify reads these itself (and passes them on to the plugin); `prefix` is applied by Fastify.
const FASTIFY_REGISTER_KEYS = ['prefix', 'logLevel', 'logSerializers']
const REGISTER_KEYS = [...ROUTER_KEYS.filter(key => key !== 'prefix'), ...FASTIFY_REGISTER_KEYS]
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const

// Kept off the router object: it is also the plugin function Fastify inspects.
const states = new WeakMap<object, RouterState>()

/**
 * A group of FastAPI-style routes with a shared prefix, tags, dependencies and responses —
 * FastAPI's `APIRouter`. Declare routes on it as on `app.api`; nest routers with `include()`;
 * then register it like any Fastify plugin, once or several times under different prefixes.
 *
 * Routes are handed to Fastify when the plugin runs: declare (and include) everything before
 * `await app.register(router)`. Declaring on a router that was already registered throws
 * FFA_ERR_ROUTE_INVALID_OPTION instead of losing the route.
 *
 * The router is itself the plugin: the constructor returns a function object (what
 * `app.register` needs) whose prototype is `APIRouter.prototype` (so `instanceof` and the
 * methods work). A separate `router.plugin` property would have been simpler, but FastAPI
 * users write `include_router(router)`, and `app.register(router)` is the closest translation.
 *
 * @example
 * const items = new APIRouter({ prefix: '/items', tags: ['items'] })
 * items.get('/:itemId', { args: { itemId: Path(z.number().int()) } }, ({ itemId }) => ({ itemId }))
 *
 * const api = new APIRouter({ dependencies: [Depends(verifyToken)] })
 * api.include(items, { responses: { 404: { description: 'Not found' } } })
 *
 * await app.register(fastapi)
 * await app.register(api, { prefix: '/v1' }) // GET /v1/items/:itemId
 */
export interface APIRouter extends FastifyPluginCallback<APIRouterRegisterOptions> {}

// The interface above gives the class its call signature (the plugin); the class adds the methods.
export class APIRouter {
  constructor (options: APIRouterOptions = {}) {
    const own = readLevel('new APIRouter()', options, ROUTER_KEYS)
    // An arrow function: no own `prototype` property to confuse with the class's.
    const router = ((instance: FastifyInstance, opts: APIRouterRegisterOptions, done: (error?: Error) => void) => {
      registerRouter(router, instance, opts, done)
    }) as unknown as APIRouter
    Object.setPrototypeOf(router, new.target.prototype)
    // The name avvio (app.printPlugins()) and Fastify's logs show for the plugin.
    const name = `APIRouter(${own.prefix === '' ? '/' : own.prefix})`
    Object.defineProperty(router, 'name', { value: name })
    Object.defineProperty(router, Symbol.for('fastify.display-name'), { value: name })
    states.set(router, { own, entries: [], registered: false })
    return router
  }

  /** Declares a GET route, as `app.api.get`. Returns the router. */
  get<const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined> (
    url: string, decl: RouteDecl<TArgs, TModel>, handler: RouteHandler<TArgs, TModel>
  ): this { return this.route('GET', url, decl, handler) }

  /** Declares a POST route, as `app.api.post`. Returns the router. */
  post<const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined> (
    url: string, decl: RouteDecl<TArgs, TModel>, handler: RouteHandler<TArgs, TModel>
  ): this { return this.route('POST', url, decl, handler) }

  /** Declares a PUT route, as `app.api.put`. Returns the router. */
  put<const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined> (
    url: string, decl: RouteDecl<TArgs, TModel>, handler: RouteHandler<TArgs, TModel>
  ): this { return this.route('PUT', url, decl, handler) }

  /** Declares a PATCH route, as `app.api.patch`. Returns the router. */
  patch<const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined> (
    url: string, decl: RouteDecl<TArgs, TModel>, handler: RouteHandler<TArgs, TModel>
  ): this { return this.route('PATCH', url, decl, handler) }

  /** Declares a DELETE route, as `app.api.delete`. Returns the router. */
  delete<const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined> (
    url: string, decl: RouteDecl<TArgs, TModel>, handler: RouteHandler<TArgs, TModel>
  ): this { return this.route('DELETE', url, decl, handler) }

  /** Declares an OPTIONS route, as `app.api.options`. Returns the router. */
  options<const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined> (
    url: string, decl: RouteDecl<TArgs, TModel>, handler: RouteHandler<TArgs, TModel>
  ): this { return this.route('OPTIONS', url, decl, handler) }

  /** Declares a HEAD route, as `app.api.head`. Returns the router. */
  head<const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined> (
    url: string, decl: RouteDecl<TArgs, TModel>, handler: RouteHandler<TArgs, TModel>
  ): this { return this.route('HEAD', url, decl, handler) }

  /**
   * Declares a route for one or several methods, as `app.api.route`. `url` is relative to the
   * router's prefix: `''` or starting with `/`. Returns the router.
   *
   * @example
   * router.route(['PUT', 'PATCH'], '/:id', { args: { id: Path(z.string()) } }, ({ id }) => ({ id }))
   */
  route<const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined> (
    method: HTTPMethods | HTTPMethods[], url: string, decl: RouteDecl<TArgs, TModel>, handler: RouteHandler<TArgs, TModel>
  ): this {
    const state = stateOf(this)
    const label = `${methodLabel(method)} ${state.own.prefix}${String(url)} (APIRouter prefix "${state.own.prefix}")`
    if (state.registered) throw lateDeclaration(label, 'declare every route')
    checkRoute(label, method, url, decl, handler)
    state.entries.push({ method, path: url, decl: decl as RouteDecl, handler })
    return this
  }

  /**
   * Includes `router`'s routes (and those of the routers it includes) in this one, FastAPI's
   * `include_router`. `options` apply to all of them, after this router's own settings and
   * before `router`'s. Routes declared on `router` later still count, up to the registration.
   *
   * @example
   * api.include(users, { prefix: '/users', tags: ['users'] })
   */
  include (router: APIRouter, options: APIRouterIncludeOptions = {}): this {
    const state = stateOf(this)
    const where = `APIRouter prefix "${state.own.prefix}": include()`
    if (!(router instanceof APIRouter) || !states.has(router)) {
      throw new FFA_ERR_ROUTE_INVALID_OPTION(where, 'the router to include must be made with new APIRouter().')
    }
    if (router === this) throw new FFA_ERR_ROUTE_INVALID_OPTION(where, 'a router cannot include itself.')
    if (contains(router, this)) {
      throw new FFA_ERR_ROUTE_INVALID_OPTION(where, 'the router to include already includes this router, directly or through others; routers cannot form a cycle.')
    }
    if (state.registered) throw lateDeclaration(`${where} of a router with prefix "${stateOf(router).own.prefix}"`, 'include every router')
    const level = readLevel(where, options, ROUTER_KEYS)
    state.entries.push({ router, level })
    return this
  }
}

// Makes the router's functions (call, apply, bind) and `instanceof Function` true to what it is.
Object.setPrototypeOf(APIRouter.prototype, Function.prototype)

function stateOf (router: object): RouterState {
  const state = states.get(router)
  if (state === undefined) throw new TypeError('APIRouter method called on something that is not an APIRouter.')
  return state
}

function lateDeclaration (label: string, what: string): Error {
  return new FFA_ERR_ROUTE_INVALID_OPTION(label,
    'this router was already registered (its plugin has run), so this would never reach Fastify. ' +
    `${what[0].toUpperCase()}${what.slice(1)} before \`await app.register(router)\`.`)
}

function methodLabel (method: unknown): string {
  return (Array.isArray(method) ? method : [method]).map(m => String(m).toUpperCase()).join(',')
}

// What the router must check now, because it merges into or prefixes it; the rest of the
// declaration is checked by the route compiler when the router is registered.
function checkRoute (label: string, method: unknown, url: unknown, decl: unknown, handler: unknown): void {
  const methods = Array.isArray(method) ? method : [method]
  if (methods.length === 0 || !methods.every(m => typeof m === 'string' && m !== '')) {
    throw new FFA_ERR_ROUTE_INVALID_OPTION(label, `the method must be a method name or an array of them, such as ${METHODS.map(m => `'${m}'`).join(', ')}.`)
  }
  if (typeof url !== 'string' || (url !== '' && !url.startsWith('/'))) {
    throw new FFA_ERR_ROUTE_INVALID_OPTION(label, `the path must be '' or start with '/', got ${JSON.stringify(url)}.`)
  }
  if (decl === null || typeof decl !== 'object' || Array.isArray(decl)) {
    throw new FFA_ERR_ROUTE_INVALID_OPTION(label, 'the declaration must be an object such as { args: { ... } }.')
  }
  if (typeof handler !== 'function') throw new FFA_ERR_ROUTE_INVALID_OPTION(label, 'the handler must be a function.')
  const { tags, dependencies, responses } = decl as RouteDecl
  if (tags !== undefined && !isStringArray(tags)) throw new FFA_ERR_ROUTE_INVALID_OPTION(label, '`tags` must be an array of strings.')
  if (dependencies !== undefined && !Array.isArray(dependencies)) {
    throw new FFA_ERR_ROUTE_INVALID_OPTION(label, '`dependencies` must be an array such as [Depends(verifyKey)].')
  }
  if (responses !== undefined && !isPlainObject(responses)) {
    throw new FFA_ERR_ROUTE_INVALID_OPTION(label, '`responses` must be an object such as { 404: { description: \'Not found\' } }.')
  }
}

function isStringArray (value: unknown): value is string[] {
  return Array.isArray(value) && value.every(item => typeof item === 'string')
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Checks one group's options (constructor, include or register) and fills in the defaults. */
function readLevel (where: string, options: unknown, keys: readonly string[], prefixIsFastifys = false): Level {
  if (options === undefined) options = {}
  if (!isPlainObject(options)) throw new FFA_ERR_ROUTE_INVALID_OPTION(where, 'the options must be an object such as { prefix: \'/users\' }.')
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) {
      throw new FFA_ERR_ROUTE_INVALID_OPTION(where, `unknown option "${key}". The options are ${keys.join(', ')}.`)
    }
  }
  const { prefix, tags, dependencies, responses, deprecated, includeInSchema } = options
  const level: Level = { prefix: '', tags: [], dependencies: [], responses: {}, deprecated: false, includeInSchema: true }
  // A register prefix is Fastify's: it is applied (and checked) by Fastify, not here.
  if (!prefixIsFastifys && prefix !== undefined) {
    if (typeof prefix !== 'string') throw new FFA_ERR_ROUTE_INVALID_OPTION(where, `prefix must be a string, got ${JSON.stringify(prefix)}.`)
    // FastAPI's two assertions: the routes' own paths start with '/'.
    if (prefix !== '' && !prefix.startsWith('/')) throw new FFA_ERR_ROUTE_INVALID_OPTION(where, `a path prefix must start with '/', got "${prefix}".`)
    if (prefix.endsWith('/')) {
      throw new FFA_ERR_ROUTE_INVALID_OPTION(where, `a path prefix must not end with '/', as the routes will start with '/'; got "${prefix}".`)
    }
    level.prefix = prefix
  }
  if (tags !== undefined) {
    if (!isStringArray(tags)) throw new FFA_ERR_ROUTE_INVALID_OPTION(where, 'tags must be an array of strings such as [\'users\'].')
    level.tags = [...tags]
  }
  if (dependencies !== undefined) {
    if (!Array.isArray(dependencies) || !dependencies.every(isDependsMarker)) {
      throw new FFA_ERR_ROUTE_INVALID_OPTION(where, 'dependencies must be an array such as [Depends(verifyKey)].')
    }
    level.dependencies = [...dependencies]
  }
  if (responses !== undefined) {
    if (!isPlainObject(responses) || !Object.values(responses).every(isPlainObject)) {
      throw new FFA_ERR_ROUTE_INVALID_OPTION(where, 'responses must be an object such as { 404: { description: \'Not found\' } }.')
    }
    level.responses = { ...responses } as Record<string, ExtraResponse>
  }
  if (deprecated !== undefined) {
    if (typeof deprecated !== 'boolean') throw new FFA_ERR_ROUTE_INVALID_OPTION(where, `deprecated must be true or false, got ${JSON.stringify(deprecated)}.`)
    level.deprecated = deprecated
  }
  if (includeInSchema !== undefined) {
    if (typeof includeInSchema !== 'boolean') {
      throw new FFA_ERR_ROUTE_INVALID_OPTION(where, `includeInSchema must be true or false, got ${JSON.stringify(includeInSchema)}.`)
    }
    level.includeInSchema = includeInSchema
  }
  return level
}

function contains (router: APIRouter, target: APIRouter): boolean {
  for (const entry of stateOf(router).entries) {
    if ('router' in entry && (entry.router === target || contains(entry.router, target))) return true
  }
  return false
}

/** Every route of `router` and of the routers it includes, with the levels above it, outermost first. */
function * expand (router: APIRouter, outer: readonly Level[]): Generator<{ route: RouteEntry, levels: readonly Level[] }> {
  const state = stateOf(router)
  const levels = [...outer, state.own]
  for (const entry of state.entries) {
    if ('router' in entry) yield * expand(entry.router, [...levels, entry.level])
    else yield { route: entry, levels }
  }
}

function seal (router: APIRouter): void {
  const state = stateOf(router)
  state.registered = true
  for (const entry of state.entries) if ('router' in entry) seal(entry.router)
}

/**
 * The declaration as `app.api` gets it: FastAPI's merge, outermost level first, the route last
 * (`include_router` + `add_api_route`). The user's object is copied, never changed, because the
 * same router may be registered again under other settings.
 */
function mergeDeclaration (levels: readonly Level[], decl: RouteDecl): RouteDecl {
  const merged: RouteDecl = { ...decl }
  const tags = [...levels.flatMap(level => level.tags), ...decl.tags ?? []]
  if (tags.length > 0) merged.tags = tags
  const dependencies = [...levels.flatMap(level => level.dependencies), ...decl.dependencies ?? []]
  if (dependencies.length > 0) merged.dependencies = dependencies
  const responses = Object.assign({}, ...levels.map(level => level.responses), decl.responses)
  if (Object.keys(responses).length > 0) merged.responses = responses
  // FastAPI: `route.deprecated or router.deprecated`, `route.include_in_schema and router.include_in_schema`.
  if (levels.some(level => level.deprecated)) merged.deprecated = true
  if (levels.some(level => !level.includeInSchema)) merged.includeInSchema = false
  return merged
}

function registerRouter (router: APIRouter, instance: FastifyInstance, options: unknown, done: (error?: Error) => void): void {
  const own = stateOf(router).own
  const name = `APIRouter prefix "${own.prefix}"`
  try {
    const level = readLevel(`app.register(${name})`, options, REGISTER_KEYS, true)
    if (!instance.hasDecorator('api')) {
      throw new FFA_ERR_ROUTE_INVALID_OPTION(`app.register(${name})`, 'fastify-fastapi is not registered on this instance or a parent. Call `await app.register(fastapi)` first.')
    }
    const api = (instance as unknown as { api: FastapiRoutes }).api
    seal(router)
    for (const { route, levels } of expand(router, [level])) {
      const url = levels.map(l => l.prefix).join('') + route.path
      if (url === '' && instance.prefix === '') {
        throw new FFA_ERR_ROUTE_INVALID_OPTION(`${methodLabel(route.method)} (${name})`,
          'the prefix and the path cannot both be empty. Give the route the path \'/\', or the router a prefix.')
      }
      api.route(route.method, url, mergeDeclaration(levels, route.decl), route.handler as RouteHandler<ArgsDecl, undefined>)
    }
  } catch (error) {
    done(error as Error)
    return
  }
  done()
}
