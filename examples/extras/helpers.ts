/**
 * Small reusable pieces of the example, written against the package's types: a clock, the
 * store dependency, a query-arguments shorthand, a timing wrapper and a fixed-page route.
 */
import type { z } from 'zod'
import {
  Depends, dependency, isDependency, isParam, isResponse, Query,
  type ArgsDecl, type Dependency, type DependencyFunction, type DependencyOptions, type DependsMarker,
  type Param, type ResponseClass, type RouteHandler, type RouteMethod
} from '../../lib/index.js'
import type { FileStore } from './store.js'

/**
 * The current time, as a dependency (`Depends(now)`) rather than `new Date()` in handlers, so
 * tests can freeze it with `app.dependencyOverrides` (see testing.ts).
 */
export const now: DependencyFunction<{}, Date> = function now () {
  return new Date()
}

/** An arrow function has no name of its own: `name` is what developer errors call it. */
const storeOptions: DependencyOptions = { name: 'getStore' }

/** The store the app's `lifespan` opened (`request.state.store`), typed. */
export const getStore = dependency({}, (_args, request): FileStore => request.state.store, storeOptions)

/** What `queryArgs` accepts for one argument: a zod schema, a marker as it is, or a dependency. */
type QuerySpec = Record<string, z.ZodType | Param<any, any, any> | Dependency<any, any>>

/** The `args` that `queryArgs(spec)` returns, typed entry by entry. */
export type QueryArgs<TSpec extends QuerySpec> = {
  [K in keyof TSpec]: TSpec[K] extends Dependency<infer TValue, any> ? DependsMarker<TValue>
    : TSpec[K] extends z.ZodType ? Param<'query', TSpec[K], false>
      : TSpec[K]
}

/**
 * Shorthand for search routes: a bare zod schema becomes `Query(schema)`, a dependency
 * becomes `Depends(dependency)`, and a marker (`Query(schema, options)`, …) stays as it is.
 */
export function queryArgs<const TSpec extends QuerySpec> (spec: TSpec): QueryArgs<TSpec> {
  const args: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(spec)) {
    args[name] = isParam(value) ? value : isDependency(value) ? Depends(value) : Query(value as z.ZodType)
  }
  return args as QueryArgs<TSpec>
}

/**
 * Adds a `Server-Timing` header with the handler's duration. A returned response object
 * (`FileResponse`, …) is sent as it is, so the header goes on it; anything else goes through
 * the reply. The wrapper keeps the handler's name: the OpenAPI summary and operationId use it.
 */
export function timed<const TArgs extends ArgsDecl> (handler: RouteHandler<TArgs, undefined>): RouteHandler<TArgs, undefined> {
  const wrapper: RouteHandler<TArgs, undefined> = async function (args, request, reply) {
    const start = performance.now()
    const result = await handler.call(this, args, request, reply)
    const timing = `app;dur=${(performance.now() - start).toFixed(1)}`
    if (isResponse(result)) result.headers['server-timing'] = timing
    else reply.header('server-timing', timing)
    return result
  }
  Object.defineProperty(wrapper, 'name', { value: handler.name })
  return wrapper
}

/**
 * Declares a route that always answers `body` as `responseClass` (`PlainTextResponse`,
 * `HTMLResponse`, …). Such pages are not API: they are left out of the OpenAPI document.
 */
export function staticPage (get: RouteMethod, url: string, body: string, responseClass: ResponseClass): void {
  get(url, { responseClass, includeInSchema: false }, function staticPage () {
    return body
  })
}
