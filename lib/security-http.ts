/**
 * @module security-http — FastAPI's HTTP authentication helpers: Bearer, Basic and Digest.
 */
import { makeDependency, type Dependency, type DependencyFunction } from './dependencies.js'
import { decodeBase64Ascii } from './base64.js'
import {
  BASE_CHECKS, authorizationOf, checkOptions, getAuthorizationSchemeParam, notAuthenticated, schemeObject,
  type AuthValue, type HTTPAuthorizationCredentials, type HTTPBasicCredentials, type HTTPBasicOptions,
  type HTTPBearerOptions, type SecurityBaseOptions
} from './security.js'

function httpAuthorization (helper: string, httpScheme: string, options: SecurityBaseOptions, extra: Record<string, unknown>): Dependency<any, {}> {
  const autoError = options.autoError ?? true
  // FastAPI's challenge is the scheme in title case.
  const challenge = httpScheme[0].toUpperCase() + httpScheme.slice(1)
  const fn: DependencyFunction = function httpAuthorizationCredentials (args, request) {
    const authorization = authorizationOf(request)
    const [scheme, credentials] = getAuthorizationSchemeParam(authorization)
    if (scheme === '' || credentials === '' || scheme.toLowerCase() !== httpScheme) {
      if (autoError) throw notAuthenticated(challenge)
      return undefined
    }
    return { scheme, credentials }
  }
  return makeDependency({}, fn, helper, {
    name: options.schemeName ?? helper,
    scheme: schemeObject('http', options.description, { scheme: httpScheme, ...extra })
  })
}

/**
 * HTTP Bearer authentication: gives `{ scheme, credentials }` of an
 * `Authorization: Bearer <token>` header; a missing token is a 401.
 *
 * Options: `bearerFormat`, `schemeName`, `description`, `autoError`.
 * @example
 * const bearer = HTTPBearer({ bearerFormat: 'JWT' })
 * app.api.get('/me', { args: { auth: Depends(bearer) } }, ({ auth }) => auth.credentials)
 * @see README "Security"
 */
export function HTTPBearer<const TOptions extends HTTPBearerOptions = {}> (
  options: TOptions = {} as TOptions
): Dependency<AuthValue<HTTPAuthorizationCredentials, TOptions>, {}> {
  checkOptions('HTTPBearer', options, { ...BASE_CHECKS, bearerFormat: 'string' }, [])
  return httpAuthorization('HTTPBearer', 'bearer', options, options.bearerFormat === undefined ? {} : { bearerFormat: options.bearerFormat })
}

/**
 * HTTP Digest authentication, as FastAPI's stub: documents the scheme and gives
 * `{ scheme, credentials }` of an `Authorization: Digest …` header; checking them is the app's job.
 *
 * Options: `schemeName`, `description`, `autoError`.
 * @example
 * const digest = HTTPDigest()
 * app.api.get('/me', { args: { auth: Depends(digest) } }, ({ auth }) => auth.credentials)
 * @see README "Security"
 */
export function HTTPDigest<const TOptions extends SecurityBaseOptions = {}> (
  options: TOptions = {} as TOptions
): Dependency<AuthValue<HTTPAuthorizationCredentials, TOptions>, {}> {
  checkOptions('HTTPDigest', options, BASE_CHECKS, [])
  return httpAuthorization('HTTPDigest', 'digest', options, {})
}

/**
 * HTTP Basic authentication: gives `{ username, password }` decoded from
 * `Authorization: Basic <base64(username:password)>`. Credentials that do not decode, or lack
 * the `:`, are a 401 even with `autoError: false`, as in FastAPI.
 *
 * Options: `realm` (sent in the challenge), `schemeName`, `description`, `autoError`.
 * @example
 * const basic = HTTPBasic({ realm: 'admin' })
 * app.api.get('/me', { args: { user: Depends(basic) } }, ({ user }) => user.username)
 * @see README "Security"
 */
export function HTTPBasic<const TOptions extends HTTPBasicOptions = {}> (
  options: TOptions = {} as TOptions
): Dependency<AuthValue<HTTPBasicCredentials, TOptions>, {}> {
  checkOptions('HTTPBasic', options, { ...BASE_CHECKS, realm: 'string' }, [])
  const autoError = options.autoError ?? true
  // An empty realm sends no realm, as FastAPI's `if self.realm`.
  const challenge = options.realm === undefined || options.realm === '' ? 'Basic' : `Basic realm="${options.realm}"`
  const fn: DependencyFunction = function httpBasicCredentials (args, request) {
    const authorization = authorizationOf(request)
    const [scheme, param] = getAuthorizationSchemeParam(authorization)
    if (authorization === undefined || authorization === '' || scheme.toLowerCase() !== 'basic') {
      if (autoError) throw notAuthenticated(challenge)
      return undefined
    }
    const data = decodeBase64Ascii(param)
    if (data === undefined) throw notAuthenticated(challenge)
    const colon = data.indexOf(':')
    if (colon === -1) throw notAuthenticated(challenge)
    return { username: data.slice(0, colon), password: data.slice(colon + 1) }
  }
  return makeDependency({}, fn, 'HTTPBasic', {
    name: options.schemeName ?? 'HTTPBasic',
    scheme: schemeObject('http', options.description, { scheme: 'basic' })
  })
}
