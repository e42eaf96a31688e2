/**
 * @module api — `app.api`: FastAPI-style route declarations on any Fastify instance.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify'
import type { z } from 'zod'
import type { ArgsDecl, RouteDecl, RouteHandler } from './infer.js'
import { compileRoute, type CompiledRoute } from './route-compiler.js'
import { buildErrorHandler, type ErrorSettings, type ExceptionHandler } from './exception-handlers.js'
import type { Dependency, DependsMarker } from './dependencies.js'
import { isDependsMarker } from './dependencies.js'
import type { DependencyOverrides } from './overrides.js'
import { installFormParser } from './form-parser.js'
import { FFA_ERR_DEPENDS_INVALID } from './errors.js'
import { kLevelDependencies } from './symbols.js'

/** Declares a route for one method: `app.api.get(url, { args, ... }, handler)`. */
export type RouteMethod = <const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined>(
  url: string,
  decl: RouteDecl<TArgs, TModel>,
  handler: RouteHandler<TArgs, TModel>
) => FastifyInstance

/** The `app.api` object. */
export interface FastapiRoutes {
  get: RouteMethod
  post: RouteMethod
  put: RouteMethod
  patch: RouteMethod
  delete: RouteMethod
  options: RouteMethod
  head: RouteMethod
  /** Declares a route for one or several methods. */
  route: <const TArgs extends ArgsDecl = {}, TModel extends z.ZodType | undefined = undefined>(
    method: HTTPMethods | HTTPMethods[],
    url: string,
    decl: RouteDecl<TArgs, TModel>,
    handler: RouteHandler<TArgs, TModel>
  ) => FastifyInstance
  /**
   * Answers errors of `errorClass` (and its subclasses) on `app.api` routes with `handler`,
   * as FastAPI's `@app.exception_handler`. Registering `RequestValidationError` replaces the 422.
   */
  addExceptionHandler: <TError extends Error>(
    errorClass: abstract new (...args: any[]) => TError,
    handler: ExceptionHandler<TError>
  ) => void
  /**
   * Runs `marker`'s dependency before every route declared after this call on this instance
   * and in the plugins it registers (FastAPI's router-level `dependencies`).
   */
  addDependency: (marker: DependsMarker<any>) => void
  /** Every route compiled so far, in declaration order (read by the OpenAPI builder). */
  readonly routes: readonly CompiledRoute[]
}

/** State shared by every instance below one plugin registration. */
export interface ApiState {
  errors: ErrorSettings
  routes: CompiledRoute[]
  overrides: DependencyOverrides
}

type WithLevelDependencies = FastifyInstance & { [kLevelDependencies]?: readonly unknown[] }

/** Applies a new override map to every route it touches: all are compiled first, then all switched. */
export function applyOverrides (state: ApiState, next: ReadonlyMap<Dependency, Dependency>, changed: readonly Dependency[]): void {
  const commits = state.routes
    .filter(route => route.prepareOverrides !== undefined && changed.some(dep => route.uses.has(dep)))
    .map(route => (route.prepareOverrides as NonNullable<CompiledRoute['prepareOverrides']>)(next))
  for (const commit of commits) commit()
}

const cache = new WeakMap<FastifyInstance, FastapiRoutes>()

/** The `app.api` object of `instance`: built once per encapsulation context. */
export function apiFor (instance: FastifyInstance, state: ApiState): FastapiRoutes {
  let api = cache.get(instance)
  if (api !== undefined) return api
  const errorHandler = buildErrorHandler(state.errors)
  const route: FastapiRoutes['route'] = (method, url, decl, handler) => {
    const site = {
      method,
      url,
      prefix: instance.prefix,
      // Own on the instance that added them, inherited by child contexts (Object.create(parent)).
      dependencies: (instance as WithLevelDependencies)[kLevelDependencies] ?? [],
      overrides: state.overrides.current
    }
    const compiled = compileRoute(site, decl as RouteDecl, handler, errorHandler, state.errors)
    if (compiled.readsForm) installFormParser(instance)
    state.routes.push(compiled)
    return instance.route(compiled.routeOptions)
  }
  const one = (method: HTTPMethods): RouteMethod => (url, decl, handler) => route(method, url, decl, handler)
  api = {
    get: one('GET'),
    post: one('POST'),
    put: one('PUT'),
    patch: one('PATCH'),
    delete: one('DELETE'),
    options: one('OPTIONS'),
    head: one('HEAD'),
    route,
    addExceptionHandler (errorClass, handler) {
      state.errors.handlers.set(errorClass, handler)
    },
    addDependency (marker) {
      if (!isDependsMarker(marker)) {
        throw new FFA_ERR_DEPENDS_INVALID(`${instance.prefix === '' ? '/' : instance.prefix} api.addDependency()`, 'marker', 'pass Depends(dep) or Security(dep, { scopes }).')
      }
      const own = instance as WithLevelDependencies
      own[kLevelDependencies] = [...own[kLevelDependencies] ?? [], marker]
    },
    get routes () { return state.routes }
  }
  cache.set(instance, api)
  return api
}
