/**
 * @module security — FastAPI's security helpers (`fastapi.security`): dependencies that read
 * credentials from the request and document their OpenAPI security scheme.
 *
 * Each helper reads the request directly (its `args` are empty, so it adds no documented
 * parameter) and answers missing or malformed credentials with FastAPI's 401
 * `{"detail":"Not authenticated"}` and a `WWW-Authenticate` challenge, or, with
 * `autoError: false`, gives `undefined` (FastAPI's `None`).
 *
 * This module holds what they share; the helpers are in security-oauth2.ts, security-http.ts
 * and security-api-key.ts, as FastAPI's `fastapi/security/` package splits them.
 */
import type { FastifyRequest } from 'fastify'
import { FFA_ERR_DEPENDS_INVALID } from './errors.js'
import { HTTPException } from './exceptions.js'

// ---------------------------------------------------------------------------------------------
// Types

/** Options every security helper takes. */
export interface SecurityBaseOptions {
  /** Name of the scheme under `components.securitySchemes` (default: the helper's name). */
  schemeName?: string
  /** Description of the scheme in the OpenAPI document. */
  description?: string
  /**
   * `true` (default): missing credentials end the request with 401. `false`: the dependency
   * gives `undefined` instead, for optional authentication or several ways to authenticate.
   */
  autoError?: boolean
}

/** Options of `OAuth2PasswordBearer()`. */
export interface OAuth2PasswordBearerOptions extends SecurityBaseOptions {
  /** The URL the client gets a token from: the route that reads `OAuth2PasswordRequestForm`. */
  tokenUrl: string
  /** The scopes the application knows: scope name → description. */
  scopes?: Record<string, string>
  /** The URL to refresh a token at. */
  refreshUrl?: string
}

/** Options of `OAuth2AuthorizationCodeBearer()`. */
export interface OAuth2AuthorizationCodeBearerOptions extends SecurityBaseOptions {
  /** The URL the user is sent to, to log in and grant access. */
  authorizationUrl: string
  /** The URL the client exchanges the authorization code for a token at. */
  tokenUrl: string
  /** The URL to refresh a token at. */
  refreshUrl?: string
  /** The scopes the application knows: scope name → description. */
  scopes?: Record<string, string>
}

/** Options of `OAuth2()`, the base of the OAuth2 helpers, for flows they do not cover. */
export interface OAuth2Options extends SecurityBaseOptions {
  /** OpenAPI's OAuth Flows Object, as documented: `{ implicit, password, clientCredentials, authorizationCode }`. */
  flows: Record<string, Record<string, unknown>>
}

/** Options of `OpenIdConnect()`. */
export interface OpenIdConnectOptions extends SecurityBaseOptions {
  /** The OpenID Connect discovery URL (`…/.well-known/openid-configuration`). */
  openIdConnectUrl: string
}

/** Options of `HTTPBearer()`. */
export interface HTTPBearerOptions extends SecurityBaseOptions {
  /** A hint of the token's format for the docs, such as `'JWT'`. */
  bearerFormat?: string
}

/** Options of `HTTPBasic()`. */
export interface HTTPBasicOptions extends SecurityBaseOptions {
  /** The realm sent in the challenge: `WWW-Authenticate: Basic realm="…"`. */
  realm?: string
}

/** Options of `APIKeyHeader()`, `APIKeyQuery()` and `APIKeyCookie()`. */
export interface APIKeyOptions extends SecurityBaseOptions {
  /** The header, query parameter or cookie that carries the key. */
  name: string
}

/** The type of the `autoError` option in `TOptions` (`undefined` when left out). */
type AutoErrorOf<TOptions> = 'autoError' extends keyof TOptions ? TOptions['autoError' & keyof TOptions] : undefined

/** `T`, or `T | undefined` unless `autoError` is known to be true (or left out). */
// Read through keyof: `{ tokenUrl }` does not extend the all-optional `{ autoError?: true }` (a weak type).
export type AuthValue<T, TOptions> = [AutoErrorOf<TOptions>] extends [true | undefined] ? T : T | undefined

/** What `HTTPBearer()` and `HTTPDigest()` give: the `Authorization` header split at its first space. */
export interface HTTPAuthorizationCredentials {
  /** The scheme as sent, such as `Bearer`. */
  scheme: string
  /** Everything after the first space, without surrounding whitespace. */
  credentials: string
}

/** What `HTTPBasic()` gives. */
export interface HTTPBasicCredentials {
  username: string
  password: string
}

/** What `OAuth2PasswordRequestForm` gives (the wire names stay OAuth2's snake_case). */
export interface OAuth2PasswordRequestFormData {
  /** The `grant_type` field: `"password"` when sent. */
  grantType: string | undefined
  username: string
  password: string
  /** The `scope` field split on whitespace. */
  scopes: string[]
  /** The `client_id` field. */
  clientId: string | undefined
  /** The `client_secret` field. */
  clientSecret: string | undefined
}

/** What `OAuth2PasswordRequestFormStrict` gives: `grant_type` is always `"password"`. */
export interface OAuth2PasswordRequestFormStrictData extends OAuth2PasswordRequestFormData {
  grantType: string
}

// ---------------------------------------------------------------------------------------------
// Option checks (at declaration, so a typo fails when the module loads)

type Check = 'string' | 'nonEmpty' | 'boolean' | 'scopes' | 'object'

/** @internal Shared by the security helpers. */
export function checkOptions (helper: string, options: unknown, checks: Record<string, Check>, required: string[]): void {
  const where = `${helper}()`
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new FFA_ERR_DEPENDS_INVALID(where, 'options', `${helper} takes an options object.`)
  }
  const given = options as Record<string, unknown>
  for (const key of Object.keys(given)) {
    if (!(key in checks)) throw new FFA_ERR_DEPENDS_INVALID(where, key, `unknown option. ${helper} takes ${Object.keys(checks).join(', ')}.`)
  }
  for (const key of required) {
    if (given[key] === undefined) throw new FFA_ERR_DEPENDS_INVALID(where, key, 'this option is required.')
  }
  for (const [key, check] of Object.entries(checks)) {
    const value = given[key]
    if (value === undefined) continue
    if (check === 'boolean' && typeof value !== 'boolean') {
      throw new FFA_ERR_DEPENDS_INVALID(where, key, 'must be true or false.')
    }
    if ((check === 'string' || check === 'nonEmpty') && typeof value !== 'string') {
      throw new FFA_ERR_DEPENDS_INVALID(where, key, 'must be a string.')
    }
    if (check === 'nonEmpty' && value === '') {
      throw new FFA_ERR_DEPENDS_INVALID(where, key, 'must not be empty.')
    }
    if (check === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new FFA_ERR_DEPENDS_INVALID(where, key, 'must be an object.')
    }
    if (check === 'scopes' && (value === null || typeof value !== 'object' || Array.isArray(value) ||
      Object.values(value).some(v => typeof v !== 'string'))) {
      throw new FFA_ERR_DEPENDS_INVALID(where, key, 'must be an object of scope name → description, such as { me: \'Read your profile\' }.')
    }
  }
}

/** @internal Shared by the security helpers. */
export const BASE_CHECKS: Record<string, Check> = { schemeName: 'nonEmpty', description: 'string', autoError: 'boolean' }

/** The scheme object with FastAPI's key order; `description` only when given (FastAPI drops None). */
/** @internal Shared by the security helpers. */
export function schemeObject (type: string, description: string | undefined, rest: Record<string, unknown>): Record<string, unknown> {
  return description === undefined ? { type, ...rest } : { type, description, ...rest }
}

/** @internal Shared by the security helpers. */
export function notAuthenticated (challenge: string): HTTPException {
  return new HTTPException(401, 'Not authenticated', { 'WWW-Authenticate': challenge })
}

// ---------------------------------------------------------------------------------------------
// Reading the request

// Python's str.isspace() characters: Starlette strips these, a few more than String#trim
// (\x1c-\x1f and \x85, which a latin-1 header can carry) and not \ufeff.
/** @internal */
export const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
/** @internal */
export const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g')

/**
 * FastAPI's `get_authorization_scheme_param`: the header split at its first space, the
 * parameter stripped of surrounding whitespace; `['', '']` without a header.
 * @example getAuthorizationSchemeParam('Bearer  abc ') // ['Bearer', 'abc']
 */
export function getAuthorizationSchemeParam (value: string | undefined): [scheme: string, param: string] {
  if (value === undefined || value === '') return ['', '']
  const space = value.indexOf(' ')
  if (space === -1) return [value, '']
  return [value.slice(0, space), value.slice(space + 1).replace(PY_STRIP, '')]
}

/** @internal Shared by the security helpers. */
export function authorizationOf (request: FastifyRequest): string | undefined {
  // Node keeps the first of repeated Authorization headers, as Starlette's headers.get().
  return request.headers.authorization
}

/** The first value of header `wire` (lower case), as Starlette's `headers.get()`. */
/** @internal Shared by the security helpers. */
export function firstHeader (request: FastifyRequest, wire: string): string | undefined {
  const value = request.headers[wire]
  if (value === undefined) return undefined
  if (typeof value !== 'string') return value[0]
  // Node joins repeated headers with ", "; only then are the raw pairs worth a scan.
  if (!value.includes(',')) return value
  const raw = request.raw.rawHeaders
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === wire.length && raw[i].toLowerCase() === wire) return raw[i + 1]
  }
  return value
}
