/**
 * @module dependencies — FastAPI's `Depends`: a function with its own declared arguments,
 * composed into routes, cached per request and torn down after the response.
 *
 * `dependency(args, fn)` only records the declaration; the route compiler
 * (lib/dependency-graph.ts) analyses the whole graph once, at registration.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ArgsDecl, InferArgs } from './infer.js'
import { kDependency, kDepends, kSecurityScopes } from './symbols.js'

/** The function behind a dependency: it gets its validated arguments, then Fastify's request and reply. */
export type DependencyFunction<TArgs = any, TResult = unknown> =
  (this: FastifyInstance, args: TArgs, request: FastifyRequest, reply: FastifyReply) => TResult

/** The value a dependency provides: what it returns, resolves to, or yields (before its teardown). */
export type DependencyValue<TResult> =
  TResult extends Generator<infer TYield, any, any> ? TYield
    : TResult extends AsyncGenerator<infer TYield, any, any> ? TYield
      : Awaited<TResult>

/** How a dependency function runs, read once from the function itself (as FastAPI inspects `def`). */
export type DependencyKind = 'sync' | 'async' | 'generator' | 'asyncGenerator'

/** What a security helper declares for the OpenAPI document. */
export interface SecuritySchemeInfo {
  /** The name under `components.securitySchemes` (FastAPI's `scheme_name`, default the class name). */
  name: string
  /** The OpenAPI Security Scheme Object. */
  scheme: Record<string, unknown>
}

/** Options of `dependency()`. */
export interface DependencyOptions {
  /** The name used in developer errors (default: the function's name). */
  name?: string
}

/**
 * A declared dependency. `TValue` is what it provides to the routes and dependencies that use it.
 */
export interface Dependency<TValue = unknown, TArgs extends ArgsDecl = ArgsDecl> {
  readonly [kDependency]: true
  /** Its own arguments, declared like a route's. */
  readonly args: TArgs
  readonly fn: DependencyFunction
  readonly kind: DependencyKind
  readonly name: string
  /** Set by the security helpers: the scheme they document. */
  readonly security?: SecuritySchemeInfo
  /** Type-level only: the value it provides. */
  readonly __value?: TValue
}

/** The value a dependency provides, read from its type. */
export type ValueOf<TDep> = TDep extends Dependency<infer TValue, any> ? TValue : never

/** Options of `Depends()`. */
export interface DependsOptions {
  /** `false` runs the dependency again even if this request already ran it (default true). */
  useCache?: boolean
}

/** Options of `Security()`. */
export interface SecurityOptions extends DependsOptions {
  /** OAuth2 scopes this use requires; they add up along the graph and reach `SecurityScopes()`. */
  scopes?: readonly string[]
}

/** An argument that receives a dependency's value: `Depends(dep)` or `Security(dep, { scopes })`. */
export interface DependsMarker<TValue = unknown> {
  readonly [kDepends]: true
  readonly dependency: Dependency<TValue, any>
  readonly useCache: boolean
  readonly scopes: readonly string[]
}

/** The scopes a `Security()` chain requires, as FastAPI's `SecurityScopes`. */
export interface SecurityScopes {
  /** Every scope required along the path from the route to this dependency. */
  readonly scopes: string[]
  /** The scopes joined by spaces, for a `WWW-Authenticate: Bearer scope="…"` header. */
  readonly scopeStr: string
}

/** The marker `SecurityScopes()` returns; the argument then receives a `SecurityScopes` value. */
export interface SecurityScopesMarker {
  readonly [kSecurityScopes]: true
}

const KINDS: Record<string, DependencyKind> = {
  AsyncFunction: 'async',
  GeneratorFunction: 'generator',
  AsyncGeneratorFunction: 'asyncGenerator'
}

/** The kind of a function, from how it was written (`async`, `function *`). */
export function kindOf (fn: Function): DependencyKind {
  return KINDS[fn.constructor?.name] ?? 'sync'
}

/**
 * Declares a dependency: its arguments (Path/Query/Header/Cookie/Body/Depends, as a route's)
 * and the function that turns them into a value. A generator function's code after `yield`
 * runs after the response is sent: FastAPI's dependencies with `yield`.
 * @example
 * const pagination = dependency({ skip: Query(z.number().int(), { default: 0 }) }, ({ skip }) => ({ skip }))
 * @see README "Dependencies"
 */
export function dependency<const TArgs extends ArgsDecl, TResult> (
  args: TArgs,
  fn: DependencyFunction<InferArgs<TArgs>, TResult>,
  options: DependencyOptions = {}
): Dependency<DependencyValue<TResult>, TArgs> {
  return makeDependency(args, fn as DependencyFunction, options.name, undefined)
}

/** Builds a dependency; `security` is set by the security helpers only. */
export function makeDependency (args: any, fn: DependencyFunction, name: string | undefined, security: SecuritySchemeInfo | undefined): Dependency<any, any> {
  return {
    [kDependency]: true,
    args,
    fn,
    kind: typeof fn === 'function' ? kindOf(fn) : 'sync',
    name: name ?? (typeof fn === 'function' && fn.name !== '' ? fn.name : 'anonymous dependency'),
    security
  }
}

// `Depends(fn)` on a plain function: one dependency per function, so the per-request cache
// and overrides recognise it wherever it is used.
const wrapped = new WeakMap<Function, Dependency<any, any>>()

/** `dep` itself, or the dependency standing for the plain function `dep`. */
export function toDependency (dep: unknown): Dependency<any, any> | undefined {
  if (isDependency(dep)) return dep
  if (typeof dep !== 'function') return undefined
  let found = wrapped.get(dep)
  if (found === undefined) {
    found = makeDependency({}, dep as DependencyFunction, undefined, undefined)
    wrapped.set(dep, found)
  }
  return found
}

/**
 * Uses a dependency: as an argument (`user: Depends(currentUser)`) the handler receives its
 * value; in `dependencies: [...]` it only runs. A plain function without arguments works too.
 * @example { page: Depends(pagination), fresh: Depends(getDb, { useCache: false }) }
 * @see README "Dependencies"
 */
export function Depends<TDep extends Dependency<any, any>> (dep: TDep, options?: DependsOptions): DependsMarker<ValueOf<TDep>>
export function Depends<TResult> (fn: DependencyFunction<{}, TResult>, options?: DependsOptions): DependsMarker<DependencyValue<TResult>>
export function Depends (dep: unknown, options?: DependsOptions): DependsMarker<any> {
  return dependsMarker(dep, options, undefined)
}

/**
 * Like `Depends`, and adds OAuth2 `scopes` that the dependency (and those below it) can read
 * with `SecurityScopes()`; the scopes also go into the route's OpenAPI `security`.
 * @example { user: Security(currentUser, { scopes: ['items'] }) }
 * @see README "Security"
 */
export function Security<TDep extends Dependency<any, any>> (dep: TDep, options?: SecurityOptions): DependsMarker<ValueOf<TDep>>
export function Security<TResult> (fn: DependencyFunction<{}, TResult>, options?: SecurityOptions): DependsMarker<DependencyValue<TResult>>
export function Security (dep: unknown, options?: SecurityOptions): DependsMarker<any> {
  return dependsMarker(dep, options, options?.scopes)
}

function dependsMarker (dep: unknown, options: DependsOptions | undefined, scopes: readonly string[] | undefined): DependsMarker<any> {
  // Checked by the route compiler, which can name the route and argument in its error.
  const marker = {
    [kDepends]: true as const,
    dependency: (toDependency(dep) ?? dep) as Dependency,
    useCache: options?.useCache ?? true,
    scopes: scopes ?? [],
    options
  }
  return marker
}

/**
 * An argument of a dependency that receives the scopes required by every `Security()` on the
 * way from the route down to it, as FastAPI's `security_scopes: SecurityScopes`.
 * @example dependency({ securityScopes: SecurityScopes(), token: Depends(oauth2) }, ...)
 * @see README "Security"
 */
// eslint-disable-next-line @typescript-eslint/no-redeclare -- the marker and the value's type share FastAPI's name, as a class would.
export function SecurityScopes (): SecurityScopesMarker {
  return { [kSecurityScopes]: true }
}

/** The value a `SecurityScopes()` argument receives. */
export function securityScopesValue (scopes: string[]): SecurityScopes {
  return { scopes, scopeStr: scopes.join(' ') }
}

/** True when `value` was made by `dependency()` or a security helper. */
export function isDependency (value: unknown): value is Dependency<any, any> {
  return typeof value === 'object' && value !== null && (value as any)[kDependency] === true
}

/** True when `value` was made by `Depends()` or `Security()`. */
export function isDependsMarker (value: unknown): value is DependsMarker {
  return typeof value === 'object' && value !== null && (value as any)[kDepends] === true
}

/** True when `value` was made by `SecurityScopes()`. */
export function isSecurityScopesMarker (value: unknown): value is SecurityScopesMarker {
  return typeof value === 'object' && value !== null && (value as any)[kSecurityScopes] === true
}
