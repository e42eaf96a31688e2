/**
 * Authentication, every way FastAPI offers: OAuth2 bearer tokens with scopes for people
 * (FastAPI's tutorial "OAuth2 scopes"), HTTP Basic for the admin, an HTTP Bearer token for the
 * virus scanner's webhook, HTTP Digest for an old sync client, share keys sent in a header, the
 * query or a cookie, and the company's identity provider (authorization code, client
 * credentials, OpenID Connect). As in FastAPI's tutorials, the secrets are fake and written in
 * the code, and the token is readable JSON where a real app signs a JWT: never do any of that for real.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import {
  APIKeyCookie, APIKeyHeader, APIKeyQuery, APIRouter, Depends, dependency, getAuthorizationSchemeParam, HTTPBasic, HTTPBearer,
  HTTPDigest, HTTPException, OAuth2, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer, OAuth2PasswordRequestFormStrict,
  OpenIdConnect, Security, SecurityScopes, status,
  type APIKeyOptions, type ArgsDecl, type AuthValue, type DependsMarker, type DependsOptions, type HTTPAuthorizationCredentials,
  type HTTPBasicCredentials, type HTTPBasicOptions, type HTTPBearerOptions, type InferArgs, type OAuth2AuthorizationCodeBearerOptions,
  type OAuth2Options, type OAuth2PasswordBearerOptions, type OAuth2PasswordRequestFormData, type OAuth2PasswordRequestFormStrictData,
  type OpenIdConnectOptions, type SecurityBaseOptions, type SecurityOptions, type SecuritySchemeInfo, type SecurityScopesMarker,
  type ValueOf
} from '../../lib/index.js'
import { getStore } from './helpers.js'

interface StoredUser {
  username: string
  fullName: string
  password: string
  /** The scopes this user may be granted. */
  scopes: string[]
}

const USERS: Record<string, StoredUser> = {
  johndoe: { username: 'johndoe', fullName: 'John Doe', password: 'secret', scopes: ['files:read', 'files:write'] },
  alice: { username: 'alice', fullName: 'Alice Wonderson', password: 'wonderland', scopes: ['files:read'] }
}

const ADMIN = { username: 'stanleyjobson', password: 'swordfish' }
const SCANNER_TOKEN = 'scanner-token'
const SHARE_SECRET = 'share-secret'
/** The realm of the legacy Digest login. */
export const DIGEST_REALM = 'files'

function findUser (username: string): StoredUser | undefined {
  return Object.hasOwn(USERS, username) ? USERS[username] : undefined
}

/** Compares secrets in constant time (FastAPI's tutorials use `secrets.compare_digest`). */
function sameSecret (given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

// ---------------------------------------------------------------------------------------------
// OAuth2 with scopes

export const oauth2 = OAuth2PasswordBearer({
  tokenUrl: 'token',
  scopes: { 'files:read': 'Read files', 'files:write': 'Upload and change files' }
} satisfies OAuth2PasswordBearerOptions)

const TokenData = z.object({ sub: z.string(), scopes: z.array(z.string()) })

function encodeToken (username: string, scopes: string[]): string {
  return Buffer.from(JSON.stringify({ sub: username, scopes })).toString('base64url')
}

function decodeToken (token: string): z.infer<typeof TokenData> | undefined {
  try {
    const parsed = TokenData.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** The arguments of `currentUser`, named so that `checkToken` can be written (and read) on its own. */
export interface TokenArgs extends ArgsDecl {
  securityScopes: SecurityScopesMarker
  token: DependsMarker<string>
}

/**
 * FastAPI's `get_current_user` with scopes: the token must name a user and grant every scope
 * that the `Security()` uses on the way to here require.
 */
export function checkToken ({ securityScopes, token }: InferArgs<TokenArgs>) {
  const challenge = securityScopes.scopes.length === 0 ? 'Bearer' : `Bearer scope="${securityScopes.scopeStr}"`
  const data = decodeToken(token)
  const user = data === undefined ? undefined : findUser(data.sub)
  if (data === undefined || user === undefined) {
    throw new HTTPException(status.HTTP_401_UNAUTHORIZED, 'Could not validate credentials', { 'WWW-Authenticate': challenge })
  }
  for (const scope of securityScopes.scopes) {
    if (!data.scopes.includes(scope)) {
      throw new HTTPException(status.HTTP_401_UNAUTHORIZED, 'Not enough permissions', { 'WWW-Authenticate': challenge })
    }
  }
  return { username: user.username, full_name: user.fullName, scopes: data.scopes }
}

const tokenArgs: TokenArgs = { securityScopes: SecurityScopes(), token: Depends(oauth2) }
export const currentUser = dependency(tokenArgs, checkToken)

/** A signed-in user, as `currentUser` gives it. */
export type User = ValueOf<typeof currentUser>

/** A route argument for a user whose token grants `scopes`: `Security(currentUser, { scopes })`. */
export function userWith (scopes: string[], options: DependsOptions = {}): DependsMarker<User> {
  const security: SecurityOptions = { ...options, scopes }
  return Security(currentUser, security)
}

/** The user the form names, if the password is theirs. Either token form (strict or not) has these fields. */
function authenticate (form: OAuth2PasswordRequestFormData): StoredUser | undefined {
  const user = findUser(form.username)
  return user !== undefined && sameSecret(form.password, user.password) ? user : undefined
}

/** The scopes asked for that the user may have; the strict form has already required `grant_type=password`. */
function grantedScopes (form: OAuth2PasswordRequestFormStrictData, user: StoredUser): string[] {
  return form.scopes.filter(scope => user.scopes.includes(scope))
}

// ---------------------------------------------------------------------------------------------
// HTTP Basic (the admin), HTTP Bearer (the scanner), HTTP Digest (the old sync client)

export const adminAuth = HTTPBasic({ realm: 'admin' } satisfies HTTPBasicOptions)

function isAdmin (credentials: HTTPBasicCredentials): boolean {
  // Both compared, always: stopping at a wrong user name would tell how far a guess got.
  const user = sameSecret(credentials.username, ADMIN.username)
  const password = sameSecret(credentials.password, ADMIN.password)
  return user && password
}

export const admin = dependency({ credentials: Depends(adminAuth) }, function admin ({ credentials }) {
  if (!isAdmin(credentials)) {
    throw new HTTPException(status.HTTP_401_UNAUTHORIZED, 'Incorrect username or password', { 'WWW-Authenticate': 'Basic realm="admin"' })
  }
  return credentials.username
})

export const scannerAuth = HTTPBearer({ bearerFormat: 'opaque', description: "The virus scanner's token" } satisfies HTTPBearerOptions)

function checkScanner (auth: HTTPAuthorizationCredentials): void {
  if (!sameSecret(auth.credentials, SCANNER_TOKEN)) throw new HTTPException(status.HTTP_403_FORBIDDEN, 'Not the scanner')
}

export const scanner = dependency({ auth: Depends(scannerAuth) }, function scanner ({ auth }) {
  checkScanner(auth)
})

export const legacyDigest = HTTPDigest({ schemeName: 'LegacyDigest', description: 'For the old sync client' } satisfies SecurityBaseOptions)

const md5 = (text: string) => createHash('md5').update(text).digest('hex')

/** The `key="value"` (or `key=value`) fields of Digest credentials. */
function digestFields (credentials: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const [, key, quoted, bare] of credentials.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|([^\s,]*))/g)) {
    fields.set(key.toLowerCase(), quoted ?? bare)
  }
  return fields
}

/**
 * The old sync client signs in with HTTP Digest (RFC 2069: no `qop`). `HTTPDigest()` only reads
 * the header, as FastAPI's: checking the digest is the app's job. This check takes any nonce;
 * a real server issues nonces and refuses replayed ones.
 */
export const legacyUser = dependency({ auth: Depends(legacyDigest) }, function legacyUser ({ auth }, request) {
  const fields = digestFields(auth.credentials)
  const user = findUser(fields.get('username') ?? '')
  const nonce = fields.get('nonce') ?? ''
  const valid = user !== undefined && fields.get('realm') === DIGEST_REALM && fields.get('uri') === request.url && nonce !== '' &&
    sameSecret(fields.get('response') ?? '', digestResponse(user.username, user.password, request.method, request.url, nonce))
  if (!valid) {
    throw new HTTPException(status.HTTP_401_UNAUTHORIZED, 'Incorrect digest', { 'WWW-Authenticate': `Digest realm="${DIGEST_REALM}"` })
  }
  return user.username
})

/** The `response` field a client computes (RFC 2069), exported for the tests. */
export function digestResponse (username: string, password: string, method: string, uri: string, nonce: string): string {
  return md5(`${md5(`${username}:${DIGEST_REALM}:${password}`)}:${nonce}:${md5(`${method}:${uri}`)}`)
}

// ---------------------------------------------------------------------------------------------
// Share keys: one key, three places to send it

/** The key of a share link to file `name`: derived from the name, so nothing is stored. */
export function shareKeyFor (name: string): string {
  return createHmac('sha256', SHARE_SECRET).update(name).digest('base64url')
}

export function isShareKey (name: string, key: string): boolean {
  return sameSecret(key, shareKeyFor(name))
}

/** Optional in each place, so the dependency below can look in all three. */
function keyIn (name: string) {
  return { name, autoError: false, description: 'The key of a share link' } as const satisfies APIKeyOptions
}

export const keyHeader = APIKeyHeader(keyIn('X-Share-Key'))
export const keyQuery = APIKeyQuery(keyIn('share_key'))
export const keyCookie = APIKeyCookie(keyIn('share_key'))

function firstKey (...keys: Array<AuthValue<string, { autoError: false }>>): string | undefined {
  return keys.find(key => key !== undefined)
}

/** The share key from the header (scripts), else the query (links), else the cookie (browsers). */
export const shareKey = dependency({
  header: Depends(keyHeader),
  query: Depends(keyQuery),
  cookie: Depends(keyCookie)
}, function shareKey ({ header, query, cookie }) {
  const key = firstKey(header, query, cookie)
  if (key === undefined) throw new HTTPException(status.HTTP_401_UNAUTHORIZED, 'Not authenticated', { 'WWW-Authenticate': 'APIKey' })
  return key
})

// ---------------------------------------------------------------------------------------------
// The company's identity provider. The helpers document each flow (Swagger UI's Authorize dialog
// can follow the authorization code flow); checking a token is the app's job. The maps below
// stand in for asking the provider about a token (token introspection).

const SSO = 'https://sso.example.com'
const EMPLOYEE_TOKENS: Record<string, string> = { 'sso-jane': 'jane@example.com' }
const PARTNER_TOKENS: Record<string, string> = { 'partner-acme': 'acme' }
const AUDITOR_TOKENS: Record<string, string> = { 'oidc-auditor': 'auditor@example.com' }

function lookUp (tokens: Record<string, string>, token: string | undefined, challenge: string): string {
  if (token !== undefined && Object.hasOwn(tokens, token)) return tokens[token]
  throw new HTTPException(status.HTTP_401_UNAUTHORIZED, 'Could not validate credentials', { 'WWW-Authenticate': challenge })
}

/** Employees sign in with the provider (the authorization code flow); the helper gives the bearer token. */
export const employeeAuth = OAuth2AuthorizationCodeBearer({
  authorizationUrl: `${SSO}/authorize`,
  tokenUrl: `${SSO}/token`,
  scopes: { openid: 'Who you are' }
} satisfies OAuth2AuthorizationCodeBearerOptions)

/** Partner services get tokens with the client credentials flow, which no helper of its own covers: the `OAuth2` base. */
export const partnerAuth = OAuth2({
  flows: { clientCredentials: { tokenUrl: `${SSO}/token`, scopes: { 'files:list': 'List file names' } } },
  schemeName: 'PartnerOAuth2'
} satisfies OAuth2Options)

/** The compliance tool signs in with OpenID Connect; the helper documents the discovery URL. */
export const auditorAuth = OpenIdConnect({
  openIdConnectUrl: `${SSO}/.well-known/openid-configuration`
} satisfies OpenIdConnectOptions)

export const sso = new APIRouter({ tags: ['sso'] })

sso.get('/sso/me', {
  args: { token: Depends(employeeAuth) }
}, function readEmployee ({ token }) {
  return { email: lookUp(EMPLOYEE_TOKENS, token, 'Bearer') }
})

sso.get('/partners/files', {
  args: { authorization: Depends(partnerAuth), store: Depends(getStore) }
}, function listPartnerFiles ({ authorization, store }) {
  // `OAuth2()` and `OpenIdConnect()` give the whole header, as FastAPI's: split it here.
  const [scheme, token] = getAuthorizationSchemeParam(authorization)
  const partner = lookUp(PARTNER_TOKENS, scheme.toLowerCase() === 'bearer' ? token : undefined, 'Bearer')
  return { partner, files: store.list().map(record => record.name) }
})

sso.get('/compliance/audit', {
  args: { authorization: Depends(auditorAuth), store: Depends(getStore) }
}, function readComplianceAudit ({ authorization, store }) {
  const [scheme, token] = getAuthorizationSchemeParam(authorization)
  lookUp(AUDITOR_TOKENS, scheme.toLowerCase() === 'bearer' ? token : undefined, 'Bearer')
  return store.audit
})

// ---------------------------------------------------------------------------------------------
// Routes

/** Signing in: no authentication needed here. */
export const auth = new APIRouter({ tags: ['auth'] })

auth.post('/token', {
  args: { form: Depends(OAuth2PasswordRequestFormStrict) }
}, function login ({ form }) {
  const user = authenticate(form)
  if (user === undefined) throw new HTTPException(status.HTTP_400_BAD_REQUEST, 'Incorrect username or password')
  return { access_token: encodeToken(user.username, grantedScopes(form, user)), token_type: 'bearer' }
})

const SCHEMES = [oauth2, adminAuth, scannerAuth, legacyDigest, keyHeader, keyQuery, keyCookie, employeeAuth, partnerAuth, auditorAuth]

/** The ways a client can authenticate, from what each helper documents. */
auth.get('/auth/schemes', {}, function listSchemes () {
  const infos: SecuritySchemeInfo[] = SCHEMES.flatMap(helper => helper.security ?? [])
  return infos.map(({ name, scheme }) => ({ name, type: scheme.type }))
})

/** The signed-in user. */
export const account = new APIRouter({ tags: ['auth'] })

account.get('/users/me', {
  args: { user: Depends(currentUser) }
}, function readMe ({ user }) {
  return user
})
