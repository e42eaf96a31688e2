/**
 * @module security-oauth2 — FastAPI's OAuth2 helpers: the password-flow bearer token and the token request form.
 */
import { z } from 'zod'
import { makeDependency, type Dependency, type DependencyFunction } from './dependencies.js'
import { Form } from './params.js'
import {
  BASE_CHECKS, PY_SPACE, PY_STRIP, authorizationOf, checkOptions, getAuthorizationSchemeParam, notAuthenticated, schemeObject,
  type AuthValue, type OAuth2PasswordBearerOptions, type OAuth2PasswordRequestFormData, type OAuth2PasswordRequestFormStrictData
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
  const fn: DependencyFunction = function oauth2PasswordBearer (args, request) {
    const authorization = authorizationOf(request)
    const [scheme, param] = getAuthorizationSchemeParam(authorization)
    if (authorization === undefined || authorization === '' || scheme.toLowerCase() !== 'bearer') {
      if (autoError) throw notAuthenticated('Bearer')
      return undefined
    }
    return param
  }
  return makeDependency({}, fn, 'OAuth2PasswordBearer', {
    name: options.schemeName ?? 'OAuth2PasswordBearer',
    scheme: schemeObject('oauth2', description, { flows: { password: flow } })
  })
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
