/**
 * @module security-oauth2 — FastAPI's OAuth2 helpers: the bearer token of the password and
 * authorization-code flows, the token request form, the generic `OAuth2` and `OpenIdConnect`.
 */
import { z } from 'zod'
import { makeDependency, type Dependency, type DependencyFunction } from './dependencies.js'
import { Form } from './params.js'
import {
  BASE_CHECKS, PY_SPACE, PY_STRIP, authorizationOf, checkOptions, getAuthorizationSchemeParam, notAuthenticated, schemeObject,
  type AuthValue, type OAuth2AuthorizationCodeBearerOptions, type OAuth2Options, type OAuth2PasswordBearerOptions,
  type OAuth2PasswordRequestFormData, type OAuth2PasswordRequestFormStrictData, type OpenIdConnectOptions
} from './security.js'

/**
 * OAuth2 with a bearer token obtained by the password flow: gives the token of an
 * `Authorization: Bearer <token>` header. Documents an `oauth2` scheme with a `password` flow.
 *
 * Options: `tokenUrl` (required), `scopes`, `refreshUrl`, `schemeName`, `description`, `autoError`.
 * As FastAPI, a bare `Authorization: Bearer` gives an empty token: checking it is the app's job.
 * @example
 * const oauth2 = OAuth2PasswordBearer({ tokenUrl: 'token' })
 * app.api.get('/items', { args: { token: Depends(oauth2) } }, ({ token }) => ({ token }))
 * @see README "Security"
 */
export function OAuth2PasswordBearer<const TOptions extends OAuth2PasswordBearerOptions> (
  options: TOptions
): Dependency<AuthValue<string, TOptions>, {}> {
  checkOptions('OAuth2PasswordBearer', options, { ...BASE_CHECKS, tokenUrl: 'nonEmpty', scopes: 'scopes', refreshUrl: 'string' }, ['tokenUrl'])
  const { tokenUrl, refreshUrl, description } = options
  const autoError = options.autoError ?? true
  const flow = refreshUrl === undefined
    ? { scopes: { ...options.scopes }, tokenUrl }
    : { refreshUrl, scopes: { ...options.scopes }, tokenUrl }
  return makeDependency({}, bearerToken(autoError, 'oauth2PasswordBearer'), 'OAuth2PasswordBearer', {
    name: options.schemeName ?? 'OAuth2PasswordBearer',
    scheme: schemeObject('oauth2', description, { flows: { password: flow } })
  })
}

/**
 * OAuth2 with a bearer token obtained by the authorization-code flow: gives the token of an
 * `Authorization: Bearer <token>` header. Documents an `oauth2` scheme with an
 * `authorizationCode` flow, which Swagger UI's Authorize dialog can follow.
 *
 * Options: `authorizationUrl`, `tokenUrl` (both required), `refreshUrl`, `scopes`, `schemeName`,
 * `description`, `autoError`.
 * @example
 * const oauth2 = OAuth2AuthorizationCodeBearer({ authorizationUrl: 'https://id.example.com/authorize', tokenUrl: 'https://id.example.com/token' })
 * app.api.get('/items', { args: { token: Depends(oauth2) } }, ({ token }) => ({ token }))
 * @see README "Security"
 */
export function OAuth2AuthorizationCodeBearer<const TOptions extends OAuth2AuthorizationCodeBearerOptions> (
  options: TOptions
): Dependency<AuthValue<string, TOptions>, {}> {
  checkOptions('OAuth2AuthorizationCodeBearer', options,
    { ...BASE_CHECKS, authorizationUrl: 'nonEmpty', tokenUrl: 'nonEmpty', refreshUrl: 'string', scopes: 'scopes' }, ['authorizationUrl', 'tokenUrl'])
  const { authorizationUrl, tokenUrl, refreshUrl } = options
  // FastAPI's flow model: inherited fields first (refreshUrl, scopes), None left out.
  const flow = refreshUrl === undefined
    ? { scopes: { ...options.scopes }, authorizationUrl, tokenUrl }
    : { refreshUrl, scopes: { ...options.scopes }, authorizationUrl, tokenUrl }
  return makeDependency({}, bearerToken(options.autoError ?? true, 'oauth2AuthorizationCodeBearer'), 'OAuth2AuthorizationCodeBearer', {
    name: options.schemeName ?? 'OAuth2AuthorizationCodeBearer',
    scheme: schemeObject('oauth2', options.description, { flows: { authorizationCode: flow } })
  })
}

/**
 * The base of FastAPI's OAuth2 helpers, for the flows they do not cover (implicit, client
 * credentials, several at once): documents an `oauth2` scheme with `flows` as given and gives
 * the whole `Authorization` header, unparsed, as FastAPI's `OAuth2` does.
 * @example
 * const oauth2 = OAuth2({ flows: { clientCredentials: { tokenUrl: 'token', scopes: {} } } })
 * @see README "Security"
 */
export function OAuth2<const TOptions extends OAuth2Options> (options: TOptions): Dependency<AuthValue<string, TOptions>, {}> {
  checkOptions('OAuth2', options, { ...BASE_CHECKS, flows: 'object' }, ['flows'])
  return makeDependency({}, wholeAuthorization(options.autoError ?? true, 'oauth2'), 'OAuth2', {
    name: options.schemeName ?? 'OAuth2',
    scheme: schemeObject('oauth2', options.description, { flows: structuredClone(options.flows) })
  })
}

/**
 * OpenID Connect: documents an `openIdConnect` scheme with its discovery URL and gives the
 * whole `Authorization` header, unparsed, as FastAPI's `OpenIdConnect` does (checking the token
 * is the app's job).
 * @example
 * const oidc = OpenIdConnect({ openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration' })
 * @see README "Security"
 */
export function OpenIdConnect<const TOptions extends OpenIdConnectOptions> (options: TOptions): Dependency<AuthValue<string, TOptions>, {}> {
  checkOptions('OpenIdConnect', options, { ...BASE_CHECKS, openIdConnectUrl: 'nonEmpty' }, ['openIdConnectUrl'])
  return makeDependency({}, wholeAuthorization(options.autoError ?? true, 'openIdConnect'), 'OpenIdConnect', {
    name: options.schemeName ?? 'OpenIdConnect',
    scheme: schemeObject('openIdConnect', options.description, { openIdConnectUrl: options.openIdConnectUrl })
  })
}

/** The token of `Authorization: Bearer <token>`, or FastAPI's 401 with a Bearer challenge. */
function bearerToken (autoError: boolean, name: string): DependencyFunction {
  const read: DependencyFunction = function (args, request) {
    const authorization = authorizationOf(request)
    const [scheme, param] = getAuthorizationSchemeParam(authorization)
    if (authorization === undefined || authorization === '' || scheme.toLowerCase() !== 'bearer') {
      if (autoError) throw notAuthenticated('Bearer')
      return undefined
    }
    return param
  }
  Object.defineProperty(read, 'name', { value: name })
  return read
}

/** The `Authorization` header as sent, or FastAPI's 401 with a Bearer challenge. */
function wholeAuthorization (autoError: boolean, name: string): DependencyFunction {
  const read: DependencyFunction = function (args, request) {
    const authorization = authorizationOf(request)
    if (authorization === undefined || authorization === '') {
      if (autoError) throw notAuthenticated('Bearer')
      return undefined
    }
    return authorization
  }
  Object.defineProperty(read, 'name', { value: name })
  return read
}

function formArgs (strict: boolean) {
  return {
    grantType: strict
      ? Form(z.string(), { alias: 'grant_type', pattern: '^password$' })
      // nullish, not optional: FastAPI documents these `str | None` fields as anyOf [string, null].
      : Form(z.string().nullish(), { alias: 'grant_type', pattern: '^password$' }),
    username: Form(z.string()),
    password: Form(z.string(), { secret: true }),
    scope: Form(z.string(), { default: '' }),
    clientId: Form(z.string().nullish(), { alias: 'client_id' }),
    clientSecret: Form(z.string().nullish(), { alias: 'client_secret', secret: true })
  }
}

const permissiveArgs = formArgs(false)
const strictArgs = formArgs(true)

// `scope.split()` in Python: any run of whitespace separates, and none is kept at the ends.
function readForm (args: Record<string, any>): OAuth2PasswordRequestFormData {
  const scope = (args.scope as string).replace(PY_STRIP, '')
  return {
    grantType: args.grantType,
    username: args.username,
    password: args.password,
    scopes: scope === '' ? [] : scope.split(new RegExp(`[${PY_SPACE}]+`)),
    clientId: args.clientId,
    clientSecret: args.clientSecret
  }
}

/**
 * The OAuth2 password flow's form, read from an `application/x-www-form-urlencoded` body:
 * `username`, `password` (required), `grant_type` (optional, must be `password`), `scope`
 * (space separated, given as `scopes`), `client_id`, `client_secret`. The password is never
 * echoed in a 422.
 * @example
 * app.api.post('/token', { args: { form: Depends(OAuth2PasswordRequestForm) } },
 *   ({ form }) => ({ access_token: login(form.username, form.password), token_type: 'bearer' }))
 * @see README "Security"
 */
export const OAuth2PasswordRequestForm: Dependency<OAuth2PasswordRequestFormData, typeof permissiveArgs> =
  makeDependency(permissiveArgs, function oauth2PasswordRequestForm (args) { return readForm(args) }, 'OAuth2PasswordRequestForm', undefined)

/**
 * Like {@link OAuth2PasswordRequestForm}, but `grant_type=password` is required, as the
 * OAuth2 specification says.
 * @example
 * app.api.post('/token', { args: { form: Depends(OAuth2PasswordRequestFormStrict) } }, ({ form }) => form.username)
 * @see README "Security"
 */
export const OAuth2PasswordRequestFormStrict: Dependency<OAuth2PasswordRequestFormStrictData, typeof strictArgs> =
  makeDependency(strictArgs, function oauth2PasswordRequestFormStrict (args) { return readForm(args) }, 'OAuth2PasswordRequestFormStrict', undefined)
