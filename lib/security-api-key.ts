/**
 * @module security-api-key — FastAPI's API key helpers: a key in a header, a query parameter or a cookie.
 */
import type { FastifyRequest } from 'fastify'
import { makeDependency, type Dependency, type DependencyFunction } from './dependencies.js'
import { parseCookies } from './cookies.js'
import {
  BASE_CHECKS, checkOptions, firstHeader, notAuthenticated, schemeObject,
  type APIKeyOptions, type AuthValue
} from './security.js'

function apiKey (helper: string, location: 'header' | 'query' | 'cookie', options: APIKeyOptions,
  read: (request: FastifyRequest) => unknown): Dependency<any, {}> {
  checkOptions(helper, options, { ...BASE_CHECKS, name: 'nonEmpty' }, ['name'])
  const autoError = options.autoError ?? true
  const fn: DependencyFunction = function apiKeyValue (args, request) {
    const key = read(request)
    // FastAPI's `if not api_key`: an empty key is no key.
    if (typeof key !== 'string' || key === '') {
      if (autoError) throw notAuthenticated('APIKey')
      return undefined
    }
    return key
  }
  return makeDependency({}, fn, helper, {
    name: options.schemeName ?? helper,
    scheme: schemeObject('apiKey', options.description, { in: location, name: options.name })
  })
}

/**
 * An API key in a request header (any case): gives the key, or 401 when it is missing or empty.
 *
 * Options: `name` (the header, required), `schemeName`, `description`, `autoError`.
 * @example
 * const apiKeyHeader = APIKeyHeader({ name: 'X-API-Key' })
 * app.api.get('/items', { args: { key: Depends(apiKeyHeader) } }, ({ key }) => ({ key }))
 * @see README "Security"
 */
export function APIKeyHeader<const TOptions extends APIKeyOptions> (options: TOptions): Dependency<AuthValue<string, TOptions>, {}> {
  const wire = typeof options?.name === 'string' ? options.name.toLowerCase() : ''
  return apiKey('APIKeyHeader', 'header', options, request => firstHeader(request, wire))
}

/**
 * An API key in a query parameter: gives the key (the last one when repeated, as Starlette),
 * or 401 when it is missing or empty.
 *
 * Options: `name` (the parameter, required), `schemeName`, `description`, `autoError`.
 * @example
 * const apiKeyQuery = APIKeyQuery({ name: 'api_key' })
 * app.api.get('/items', { args: { key: Depends(apiKeyQuery) } }, ({ key }) => ({ key }))
 * @see README "Security"
 */
export function APIKeyQuery<const TOptions extends APIKeyOptions> (options: TOptions): Dependency<AuthValue<string, TOptions>, {}> {
  const name = options?.name
  return apiKey('APIKeyQuery', 'query', options, request => {
    const query = request.query as Record<string, unknown> | undefined
    const value = query?.[name]
    return Array.isArray(value) ? value[value.length - 1] : value
  })
}

/**
 * An API key in a cookie: gives the key, or 401 when it is missing or empty. Reads
 * `request.cookies` when @fastify/cookie is registered, else the `Cookie` header.
 *
 * Options: `name` (the cookie, required), `schemeName`, `description`, `autoError`.
 * @example
 * const apiKeyCookie = APIKeyCookie({ name: 'session' })
 * app.api.get('/items', { args: { key: Depends(apiKeyCookie) } }, ({ key }) => ({ key }))
 * @see README "Security"
 */
export function APIKeyCookie<const TOptions extends APIKeyOptions> (options: TOptions): Dependency<AuthValue<string, TOptions>, {}> {
  const name = options?.name
  return apiKey('APIKeyCookie', 'cookie', options, request => {
    const parsed = (request as { cookies?: Record<string, string | undefined> }).cookies
    return (parsed ?? parseCookies(request.headers.cookie))[name]
  })
}
