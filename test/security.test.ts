/**
 * Security helpers, after FastAPI's tests/test_security_*.py: the value each gives, every
 * missing or malformed credential (401 `Not authenticated` with its challenge), `autoError:
 * false`, the scheme recorded on the route, scopes through `Security()`, and the OAuth2
 * password form end to end.
 */
import t from 'tap'
import { expectTypeOf } from 'expect-type'
import type { FastifyInstance } from 'fastify'
import {
  APIKeyCookie, APIKeyHeader, APIKeyQuery, Depends, HTTPBasic, HTTPBearer, HTTPDigest,
  OAuth2, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer, OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict,
  OpenIdConnect, Security, SecurityScopes,
  dependency, getAuthorizationSchemeParam,
  type Dependency, type HTTPAuthorizationCredentials, type HTTPBasicCredentials
} from '../lib/index.js'
import { decodeBase64Ascii } from '../lib/base64.js'
import { build, checkResponse, missing } from './helper.js'

const NOT_AUTHENTICATED = { detail: 'Not authenticated' }
const basic = (credentials: string): string => `Basic ${Buffer.from(credentials, 'latin1').toString('base64')}`

/** A GET /me route whose handler returns `{ value }` (`null` standing for undefined). */
async function appWith (t: any, dep: Dependency<any, any>): Promise<FastifyInstance> {
  const app = await build(t)
  app.api.get('/me', { args: { value: Depends(dep) } }, ({ value }) => ({ value: value ?? null }))
  return app
}

interface AuthCase {
  name: string
  headers?: Record<string, string>
  url?: string
  /** The handler's value on success; absent for a 401. */
  value?: unknown
}

/** Every case answers 200 `{ value }`, or 401 with `challenge` when `value` is absent. */
function runAuthCases (t: any, makeDep: () => Dependency<any, any>, challenge: string, cases: AuthCase[]): void {
  for (const c of cases) {
    t.test(c.name, async (t: any) => {
      const app = await appWith(t, makeDep())
      const res = await app.inject({ url: c.url ?? '/me', headers: c.headers })
      if (c.value === undefined) {
        checkResponse(t, res, 401, NOT_AUTHENTICATED)
        t.equal(res.headers['www-authenticate'], challenge, 'challenge')
      } else {
        checkResponse(t, res, 200, { value: c.value })
        t.notOk(res.headers['www-authenticate'], 'no challenge on success')
      }
    })
  }
}

// -------------------------------------------------------------------------------------------
// get_authorization_scheme_param and the Basic decoding

t.test('getAuthorizationSchemeParam partitions at the first space and strips the parameter', async t => {
  const cases: Array<[string | undefined, [string, string]]> = [
    [undefined, ['', '']],
    ['', ['', '']],
    ['Bearer', ['Bearer', '']],
    ['Bearer ', ['Bearer', '']],
    ['Bearer abc', ['Bearer', 'abc']],
    ['Bearer   abc  ', ['Bearer', 'abc']],
    ['Bearer a b c', ['Bearer', 'a b c']],
    [' Bearer abc', ['', 'Bearer abc']],
    ['Bearer\tabc', ['Bearer\tabc', '']],
    // Python's str.strip() also drops \x1c-\x1f and \x85, which String#trim keeps.
    ['Bearer \x1fabc\x85', ['Bearer', 'abc']],
    ['Bearer abc\ufeff', ['Bearer', 'abc\ufeff']]
  ]
  for (const [value, expected] of cases) t.strictSame(getAuthorizationSchemeParam(value), expected, JSON.stringify(value))
})

t.test('decodeBase64Ascii gives what Python\'s b64decode(param).decode("ascii") gives', async t => {
  // Expected values computed with CPython 3.11; undefined where Python raises.
  const cases: Array<[string, string | undefined]> = [
    ['am9objpzZWNyZXQ=', 'john:secret'],
    ['am9objpzZWNyZXQ', undefined], // incorrect padding
    ['am9o bjpz-ZWNy.ZXQ=', 'john:secret'], // characters outside the alphabet are skipped
    ['am9objpzZWNyZXQ=trailing', 'john:secret'], // a complete padding ends the input
    ['Og==', ':'],
    ['YWJj=', 'abc'],
    ['YTpi=====', 'a:b'],
    ['==YTpi', 'a:b'], // padding before two data characters is ignored
    ['dXNlcjp=', 'user:'],
    ['Y', undefined], // one data character more than a multiple of four
    ['YQ', undefined],
    ['YQ=ab', undefined], // decodes to a byte above 0x7f
    ['gA==', undefined], // 0x80: not ASCII
    ['am9objpzZWNyZXQ=\u00e9', undefined], // a non-ASCII character anywhere, even after the padding
    ['', ''],
    ['notabase64token', undefined]
  ]
  for (const [input, expected] of cases) t.equal(decodeBase64Ascii(input), expected, JSON.stringify(input))
})

// -------------------------------------------------------------------------------------------
// OAuth2PasswordBearer

t.test('OAuth2PasswordBearer', async t => {
  runAuthCases(t, () => OAuth2PasswordBearer({ tokenUrl: 'token' }), 'Bearer', [
    { name: 'a bearer token', headers: { authorization: 'Bearer footokenbar' }, value: 'footokenbar' },
    { name: 'the scheme in any case', headers: { authorization: 'bEARER tok' }, value: 'tok' },
    { name: 'spaces around the token are stripped', headers: { authorization: 'Bearer   tok  ' }, value: 'tok' },
    // FastAPI returns the empty token here (HTTPBearer does not): the app's check rejects it.
    { name: '"Bearer" without a token gives an empty token, as FastAPI', headers: { authorization: 'Bearer' }, value: '' },
    { name: 'no header', value: undefined },
    { name: 'an empty header', headers: { authorization: '' }, value: undefined },
    { name: 'another scheme', headers: { authorization: 'Other footokenbar' }, value: undefined },
    { name: 'a token without a scheme', headers: { authorization: 'footokenbar' }, value: undefined }
  ])

  t.test('autoError: false gives undefined instead of a 401', async t => {
    const app = await appWith(t, OAuth2PasswordBearer({ tokenUrl: 'token', autoError: false }))
    for (const headers of [{}, { authorization: 'Basic abc' }]) {
      checkResponse(t, await app.inject({ url: '/me', headers }), 200, { value: null })
    }
    checkResponse(t, await app.inject({ url: '/me', headers: { authorization: 'Bearer tok' } }), 200, { value: 'tok' })
  })

  t.test('the scheme is recorded on the route, as FastAPI documents it', async t => {
    const app = await build(t)
    app.api.get('/plain', { args: { token: Depends(OAuth2PasswordBearer({ tokenUrl: '/token' })) } }, () => 1)
    app.api.get('/full', {
      args: {
        token: Depends(OAuth2PasswordBearer({
          tokenUrl: '/token',
          refreshUrl: '/refresh',
          scopes: { me: 'Read me' },
          schemeName: 'Login',
          description: 'OAuth2PasswordBearer security scheme'
        }))
      }
    }, () => 1)
    t.strictSame(app.api.routes[0].security, [{
      scheme: { name: 'OAuth2PasswordBearer', scheme: { type: 'oauth2', flows: { password: { scopes: {}, tokenUrl: '/token' } } } },
      scopes: []
    }], 'refreshUrl and description left out when not given (FastAPI drops None)')
    t.strictSame(app.api.routes[1].security, [{
      scheme: {
        name: 'Login',
        scheme: {
          type: 'oauth2',
          description: 'OAuth2PasswordBearer security scheme',
          flows: { password: { refreshUrl: '/refresh', scopes: { me: 'Read me' }, tokenUrl: '/token' } }
        }
      },
      scopes: []
    }])
  })
})

// -------------------------------------------------------------------------------------------
// OAuth2AuthorizationCodeBearer, OAuth2, OpenIdConnect
// (FastAPI's test_security_oauth2_authorization_code_bearer*.py, test_security_oauth2.py's
// base class, test_security_openid_connect*.py)

t.test('OAuth2AuthorizationCodeBearer', async t => {
  runAuthCases(t, () => OAuth2AuthorizationCodeBearer({ authorizationUrl: 'authorize', tokenUrl: 'token' }), 'Bearer', [
    { name: 'a bearer token', headers: { authorization: 'Bearer testtoken' }, value: 'testtoken' },
    { name: 'no header', value: undefined },
    { name: 'another scheme', headers: { authorization: 'Basic notreally' }, value: undefined },
    { name: 'a token without a scheme', headers: { authorization: 'testtoken' }, value: undefined }
  ])

  t.test('autoError: false gives undefined; the flow is documented as FastAPI does', async t => {
    const app = await appWith(t, OAuth2AuthorizationCodeBearer({ authorizationUrl: 'authorize', tokenUrl: 'token', autoError: false }))
    app.api.get('/full', {
      args: {
        token: Depends(OAuth2AuthorizationCodeBearer({
          authorizationUrl: 'authorize', tokenUrl: 'token', refreshUrl: 'refresh', scopes: { read: 'Read' }, schemeName: 'Code', description: 'Code flow'
        }))
      }
    }, () => 1)
    checkResponse(t, await app.inject({ url: '/me' }), 200, { value: null })
    t.strictSame(app.api.routes[0].security[0].scheme, {
      name: 'OAuth2AuthorizationCodeBearer',
      scheme: { type: 'oauth2', flows: { authorizationCode: { scopes: {}, authorizationUrl: 'authorize', tokenUrl: 'token' } } }
    })
    t.strictSame(app.api.routes[1].security[0].scheme, {
      name: 'Code',
      scheme: {
        type: 'oauth2',
        description: 'Code flow',
        flows: { authorizationCode: { refreshUrl: 'refresh', scopes: { read: 'Read' }, authorizationUrl: 'authorize', tokenUrl: 'token' } }
      }
    })
  })

  t.test('a missing or bad option fails at declaration', async t => {
    t.throws(() => OAuth2AuthorizationCodeBearer({ tokenUrl: 'token' } as any), { code: 'FFA_ERR_DEPENDS_INVALID', message: /argument "authorizationUrl": this option is required/ })
    t.throws(() => OAuth2AuthorizationCodeBearer({ authorizationUrl: '', tokenUrl: 'token' }), { code: 'FFA_ERR_DEPENDS_INVALID', message: /argument "authorizationUrl": must not be empty/ })
  })
})

t.test('OAuth2 (the base class) gives the whole Authorization header', async t => {
  const flows = { clientCredentials: { tokenUrl: 'token', scopes: { admin: 'Admin' } }, implicit: { authorizationUrl: 'auth', scopes: {} } }
  runAuthCases(t, () => OAuth2({ flows }), 'Bearer', [
    { name: 'any scheme, unparsed', headers: { authorization: 'Bearer abc' }, value: 'Bearer abc' },
    { name: 'even no scheme', headers: { authorization: 'abc' }, value: 'abc' },
    { name: 'no header', value: undefined },
    { name: 'an empty header', headers: { authorization: '' }, value: undefined }
  ])
  t.test('the flows as given, copied', async t => {
    const given = structuredClone(flows)
    const app = await appWith(t, OAuth2({ flows: given, autoError: false }))
    given.clientCredentials.tokenUrl = 'changed later'
    t.strictSame(app.api.routes[0].security[0].scheme, { name: 'OAuth2', scheme: { type: 'oauth2', flows } })
    checkResponse(t, await app.inject({ url: '/me' }), 200, { value: null })
    t.throws(() => OAuth2({ flows: 'password' } as any), { code: 'FFA_ERR_DEPENDS_INVALID', message: /argument "flows": must be an object/ })
  })
})

t.test('OpenIdConnect gives the whole Authorization header', async t => {
  runAuthCases(t, () => OpenIdConnect({ openIdConnectUrl: '/openid' }), 'Bearer', [
    { name: 'a bearer token, scheme kept', headers: { authorization: 'Bearer footokenbar' }, value: 'Bearer footokenbar' },
    { name: 'another scheme', headers: { authorization: 'Other footokenbar' }, value: 'Other footokenbar' },
    { name: 'no header', value: undefined }
  ])
  t.test('autoError: false, and the scheme as FastAPI documents it', async t => {
    const app = await appWith(t, OpenIdConnect({ openIdConnectUrl: '/openid', autoError: false, description: 'OIDC' }))
    checkResponse(t, await app.inject({ url: '/me' }), 200, { value: null })
    t.strictSame(app.api.routes[0].security[0].scheme, {
      name: 'OpenIdConnect', scheme: { type: 'openIdConnect', description: 'OIDC', openIdConnectUrl: '/openid' }
    })
    t.throws(() => OpenIdConnect({} as any), { code: 'FFA_ERR_DEPENDS_INVALID', message: /argument "openIdConnectUrl": this option is required/ })
  })
})

// -------------------------------------------------------------------------------------------
// HTTPBearer, HTTPDigest

t.test('HTTPBearer', async t => {
  runAuthCases(t, () => HTTPBearer(), 'Bearer', [
    { name: 'a bearer token', headers: { authorization: 'Bearer foobar' }, value: { scheme: 'Bearer', credentials: 'foobar' } },
    { name: 'the scheme as sent, any case', headers: { authorization: 'bearer foobar' }, value: { scheme: 'bearer', credentials: 'foobar' } },
    { name: 'credentials with spaces', headers: { authorization: 'Bearer a b ' }, value: { scheme: 'Bearer', credentials: 'a b' } },
    { name: 'no header', value: undefined },
    { name: '"Bearer" without a token', headers: { authorization: 'Bearer' }, value: undefined },
    { name: '"Bearer " and spaces only', headers: { authorization: 'Bearer    ' }, value: undefined },
    { name: 'another scheme', headers: { authorization: 'Basic notreally' }, value: undefined },
    { name: 'no scheme', headers: { authorization: ' foobar' }, value: undefined }
  ])

  t.test('autoError: false gives undefined for every missing or malformed header', async t => {
    const app = await appWith(t, HTTPBearer({ autoError: false }))
    for (const headers of [{}, { authorization: 'Bearer' }, { authorization: 'Basic x' }]) {
      checkResponse(t, await app.inject({ url: '/me', headers }), 200, { value: null })
    }
  })

  t.test('the scheme, with bearerFormat and description when given', async t => {
    const app = await build(t)
    app.api.get('/a', { args: { c: Depends(HTTPBearer()) } }, () => 1)
    app.api.get('/b', { args: { c: Depends(HTTPBearer({ bearerFormat: 'JWT', description: 'Tokens', schemeName: 'jwt' })) } }, () => 1)
    t.strictSame(app.api.routes.map(r => r.security), [
      [{ scheme: { name: 'HTTPBearer', scheme: { type: 'http', scheme: 'bearer' } }, scopes: [] }],
      [{ scheme: { name: 'jwt', scheme: { type: 'http', description: 'Tokens', scheme: 'bearer', bearerFormat: 'JWT' } }, scopes: [] }]
    ])
  })
})

t.test('HTTPDigest', async t => {
  runAuthCases(t, () => HTTPDigest(), 'Digest', [
    { name: 'digest credentials', headers: { authorization: 'Digest foobar' }, value: { scheme: 'Digest', credentials: 'foobar' } },
    { name: 'no header', value: undefined },
    { name: '"Digest" alone', headers: { authorization: 'Digest' }, value: undefined },
    { name: 'another scheme', headers: { authorization: 'Other foobar' }, value: undefined }
  ])
  t.test('autoError: false, and the scheme', async t => {
    const app = await appWith(t, HTTPDigest({ autoError: false, description: 'HTTPDigest scheme' }))
    checkResponse(t, await app.inject({ url: '/me', headers: { authorization: 'Other foobar' } }), 200, { value: null })
    t.strictSame(app.api.routes[0].security, [{
      scheme: { name: 'HTTPDigest', scheme: { type: 'http', description: 'HTTPDigest scheme', scheme: 'digest' } }, scopes: []
    }])
  })
})

// -------------------------------------------------------------------------------------------
// HTTPBasic

t.test('HTTPBasic', async t => {
  runAuthCases(t, () => HTTPBasic(), 'Basic', [
    { name: 'user and password', headers: { authorization: basic('john:secret') }, value: { username: 'john', password: 'secret' } },
    { name: 'the scheme in any case', headers: { authorization: basic('john:secret').replace('Basic', 'bASIC') }, value: { username: 'john', password: 'secret' } },
    { name: 'the password keeps later colons', headers: { authorization: basic('john:se:cr:et') }, value: { username: 'john', password: 'se:cr:et' } },
    { name: 'empty user and password', headers: { authorization: basic(':') }, value: { username: '', password: '' } },
    { name: 'junk characters inside the base64 are skipped', headers: { authorization: 'Basic am9o bjpz-ZWNy.ZXQ=' }, value: { username: 'john', password: 'secret' } },
    { name: 'data after the padding is ignored', headers: { authorization: 'Basic am9objpzZWNyZXQ=trailing' }, value: { username: 'john', password: 'secret' } },
    { name: 'no header', value: undefined },
    { name: '"Basic" alone', headers: { authorization: 'Basic' }, value: undefined },
    { name: 'another scheme', headers: { authorization: 'Bearer am9objpzZWNyZXQ=' }, value: undefined },
    { name: 'not base64', headers: { authorization: 'Basic notabase64token' }, value: undefined },
    { name: 'bad padding', headers: { authorization: 'Basic am9objpzZWNyZXQ' }, value: undefined },
    { name: 'no colon', headers: { authorization: basic('johnsecret') }, value: undefined },
    { name: 'non-ASCII decoded bytes', headers: { authorization: basic('jöhn:secret') }, value: undefined },
    { name: 'a non-ASCII character in the header', headers: { authorization: 'Basic am9objpzZWNyZXQ=\u00e9' }, value: undefined }
  ])

  runAuthCases(t, () => HTTPBasic({ realm: 'simple' }), 'Basic realm="simple"', [
    { name: 'realm: no credentials', value: undefined },
    { name: 'realm: invalid credentials', headers: { authorization: 'Basic notabase64token' }, value: undefined },
    { name: 'realm: success', headers: { authorization: basic('john:secret') }, value: { username: 'john', password: 'secret' } }
  ])
  runAuthCases(t, () => HTTPBasic({ realm: '' }), 'Basic', [{ name: 'an empty realm is left out', value: undefined }])

  t.test('autoError: false gives undefined without Basic credentials, but bad ones are still a 401', async t => {
    const app = await appWith(t, HTTPBasic({ autoError: false, realm: 'r' }))
    checkResponse(t, await app.inject({ url: '/me' }), 200, { value: null })
    checkResponse(t, await app.inject({ url: '/me', headers: { authorization: 'Other x' } }), 200, { value: null })
    for (const authorization of ['Basic notabase64token', basic('nocolon')]) {
      const res = await app.inject({ url: '/me', headers: { authorization } })
      checkResponse(t, res, 401, NOT_AUTHENTICATED)
      t.equal(res.headers['www-authenticate'], 'Basic realm="r"')
    }
  })

  t.test('the scheme', async t => {
    const app = await appWith(t, HTTPBasic({ realm: 'simple', description: 'HTTPBasic scheme' }))
    t.strictSame(app.api.routes[0].security, [{
      scheme: { name: 'HTTPBasic', scheme: { type: 'http', description: 'HTTPBasic scheme', scheme: 'basic' } }, scopes: []
    }])
  })
})

// -------------------------------------------------------------------------------------------
// API keys

t.test('APIKeyHeader', async t => {
  runAuthCases(t, () => APIKeyHeader({ name: 'key' }), 'APIKey', [
    { name: 'the key', headers: { key: 'secret' }, value: 'secret' },
    { name: 'no header', value: undefined },
    { name: 'an empty key', headers: { key: '' }, value: undefined }
  ])
  runAuthCases(t, () => APIKeyHeader({ name: 'X-API-Key' }), 'APIKey', [
    { name: 'the name matches in any case', headers: { 'x-api-key': 'secret' }, value: 'secret' }
  ])
  t.test('a repeated header gives the first value, as Starlette\'s headers.get()', async t => {
    const app = await appWith(t, APIKeyHeader({ name: 'key' }))
    const res = await app.inject({ url: '/me', headers: { key: ['one', 'two'] as any } })
    checkResponse(t, res, 200, { value: 'one' })
    const comma = await app.inject({ url: '/me', headers: { key: 'a,b' } })
    checkResponse(t, comma, 200, { value: 'a,b' })
  })
  t.test('a header set by a hook (not in the raw headers) is read as set', async t => {
    const app = await build(t)
    app.addHook('onRequest', async request => { request.headers.key = 'x,y' })
    app.api.get('/me', { args: { value: Depends(APIKeyHeader({ name: 'key' })) } }, ({ value }) => ({ value }))
    checkResponse(t, await app.inject({ url: '/me' }), 200, { value: 'x,y' })
  })
  t.test('autoError: false, and the scheme', async t => {
    const app = await appWith(t, APIKeyHeader({ name: 'key', autoError: false, description: 'An API Key Header' }))
    checkResponse(t, await app.inject({ url: '/me', headers: { key: '' } }), 200, { value: null })
    t.strictSame(app.api.routes[0].security, [{
      scheme: { name: 'APIKeyHeader', scheme: { type: 'apiKey', description: 'An API Key Header', in: 'header', name: 'key' } }, scopes: []
    }])
  })
})

t.test('APIKeyQuery', async t => {
  runAuthCases(t, () => APIKeyQuery({ name: 'key' }), 'APIKey', [
    { name: 'the key', url: '/me?key=secret', value: 'secret' },
    { name: 'a repeated key gives the last value, as Starlette', url: '/me?key=one&key=two', value: 'two' },
    { name: 'no key', value: undefined },
    { name: 'an empty key', url: '/me?key=', value: undefined },
    { name: 'another parameter', url: '/me?Key=secret', value: undefined }
  ])
  t.test('autoError: false, and the scheme', async t => {
    const app = await appWith(t, APIKeyQuery({ name: 'key', autoError: false, schemeName: 'q' }))
    checkResponse(t, await app.inject({ url: '/me' }), 200, { value: null })
    t.strictSame(app.api.routes[0].security, [{ scheme: { name: 'q', scheme: { type: 'apiKey', in: 'query', name: 'key' } }, scopes: [] }])
  })
})

t.test('APIKeyCookie', async t => {
  runAuthCases(t, () => APIKeyCookie({ name: 'key' }), 'APIKey', [
    { name: 'the key', headers: { cookie: 'other=1; key=secret' }, value: 'secret' },
    { name: 'no cookie', value: undefined },
    { name: 'an empty cookie', headers: { cookie: 'key=' }, value: undefined },
    { name: 'another cookie', headers: { cookie: 'nokey=secret' }, value: undefined }
  ])
  t.test('reads request.cookies when a cookie plugin set them', async t => {
    const app = await build(t)
    app.decorateRequest('cookies', null)
    app.addHook('onRequest', async request => { (request as any).cookies = { key: 'from-plugin' } })
    app.api.get('/me', { args: { value: Depends(APIKeyCookie({ name: 'key' })) } }, ({ value }) => ({ value }))
    checkResponse(t, await app.inject({ url: '/me', headers: { cookie: 'key=from-header' } }), 200, { value: 'from-plugin' })
  })
  t.test('autoError: false, and the scheme', async t => {
    const app = await appWith(t, APIKeyCookie({ name: 'key', autoError: false }))
    checkResponse(t, await app.inject({ url: '/me' }), 200, { value: null })
    t.strictSame(app.api.routes[0].security, [{ scheme: { name: 'APIKeyCookie', scheme: { type: 'apiKey', in: 'cookie', name: 'key' } }, scopes: [] }])
  })
})

// -------------------------------------------------------------------------------------------
// Options, types

t.test('invalid options throw FFA_ERR_DEPENDS_INVALID naming the helper and the option', async t => {
  const bad: Array<[string, () => unknown, RegExp]> = [
    ['tokenUrl missing', () => OAuth2PasswordBearer({} as any), /^OAuth2PasswordBearer\(\): argument "tokenUrl": this option is required/],
    ['tokenUrl not a string', () => OAuth2PasswordBearer({ tokenUrl: 1 } as any), /"tokenUrl": must be a string/],
    ['tokenUrl empty', () => OAuth2PasswordBearer({ tokenUrl: '' }), /"tokenUrl": must not be empty/],
    ['autoError not a boolean', () => OAuth2PasswordBearer({ tokenUrl: 't', autoError: 'no' } as any), /"autoError": must be true or false/],
    ['scopes not an object of strings', () => OAuth2PasswordBearer({ tokenUrl: 't', scopes: { me: 1 } } as any), /"scopes": must be an object/],
    ['scopes as a list', () => OAuth2PasswordBearer({ tokenUrl: 't', scopes: ['me'] } as any), /"scopes"/],
    ['an unknown option', () => OAuth2PasswordBearer({ tokenUrl: 't', tokenURL: 'x' } as any), /"tokenURL": unknown option/],
    ['options not an object', () => OAuth2PasswordBearer(undefined as any), /OAuth2PasswordBearer takes an options object/],
    ['HTTPBearer bearerFormat', () => HTTPBearer({ bearerFormat: 1 } as any), /^HTTPBearer\(\): argument "bearerFormat"/],
    ['HTTPBasic realm', () => HTTPBasic({ realm: null } as any), /^HTTPBasic\(\): argument "realm"/],
    ['HTTPBasic null options', () => HTTPBasic(null as any), /^HTTPBasic\(\): argument "options"/],
    ['HTTPDigest schemeName empty', () => HTTPDigest({ schemeName: '' }), /"schemeName": must not be empty/],
    ['APIKeyHeader name missing', () => APIKeyHeader({} as any), /^APIKeyHeader\(\): argument "name": this option is required/],
    ['APIKeyQuery name empty', () => APIKeyQuery({ name: '' }), /^APIKeyQuery\(\): argument "name": must not be empty/],
    ['APIKeyCookie no options', () => (APIKeyCookie as any)(), /^APIKeyCookie\(\): argument "options"/]
  ]
  for (const [name, fn, message] of bad) t.throws(fn, { code: 'FFA_ERR_DEPENDS_INVALID', message }, name)
})

t.test('the handler\'s types follow autoError', async t => {
  const app = await build(t)
  app.api.post('/types', {
    args: {
      token: Depends(OAuth2PasswordBearer({ tokenUrl: 'token' })),
      maybeToken: Depends(OAuth2PasswordBearer({ tokenUrl: 'token', autoError: false })),
      bearer: Depends(HTTPBearer()),
      maybeBearer: Depends(HTTPBearer({ autoError: false })),
      user: Security(HTTPBasic({ autoError: true })),
      key: Depends(APIKeyHeader({ name: 'k' })),
      form: Depends(OAuth2PasswordRequestForm)
    }
  }, ({ token, maybeToken, bearer, maybeBearer, user, key, form }) => {
    expectTypeOf(token).toEqualTypeOf<string>()
    expectTypeOf(maybeToken).toEqualTypeOf<string | undefined>()
    expectTypeOf(bearer).toEqualTypeOf<HTTPAuthorizationCredentials>()
    expectTypeOf(maybeBearer).toEqualTypeOf<HTTPAuthorizationCredentials | undefined>()
    expectTypeOf(user).toEqualTypeOf<HTTPBasicCredentials>()
    expectTypeOf(key).toEqualTypeOf<string>()
    expectTypeOf(form.scopes).toEqualTypeOf<string[]>()
    expectTypeOf(form.grantType).toEqualTypeOf<string | undefined>()
    return null
  })
  app.api.post('/strict', { args: { strict: Depends(OAuth2PasswordRequestFormStrict) } }, ({ strict }) => {
    expectTypeOf(strict.grantType).toEqualTypeOf<string>()
    expectTypeOf(strict.password).toEqualTypeOf<string>()
  })
  const flag = Math.random() > 2
  expectTypeOf(APIKeyQuery({ name: 'k', autoError: flag })).toEqualTypeOf<Dependency<string | undefined, {}>>()
  t.pass('checked by tsc')
})

// -------------------------------------------------------------------------------------------
// Scopes

t.test('Security() scopes add up along the graph and reach SecurityScopes() and the route\'s security', async t => {
  const app = await build(t)
  const oauth2 = OAuth2PasswordBearer({ tokenUrl: 'token', scopes: { me: 'Read me', items: 'Read items' } })
  const currentUser = dependency({ securityScopes: SecurityScopes(), token: Depends(oauth2) }, ({ securityScopes, token }) => ({
    token, scopes: securityScopes.scopes, scopeStr: securityScopes.scopeStr
  }))
  const activeUser = dependency({ user: Security(currentUser, { scopes: ['me'] }) }, ({ user }) => user)
  app.api.get('/users/me/items', { args: { user: Security(activeUser, { scopes: ['items'] }) } }, ({ user }) => user)
  app.api.get('/users/me', { args: { user: Security(currentUser, { scopes: ['me'] }) } }, ({ user }) => user)
  app.api.get('/status', { args: { user: Depends(currentUser) } }, ({ user }) => user)

  const headers = { authorization: 'Bearer tok' }
  checkResponse(t, await app.inject({ url: '/users/me/items', headers }), 200, { token: 'tok', scopes: ['items', 'me'], scopeStr: 'items me' })
  checkResponse(t, await app.inject({ url: '/users/me', headers }), 200, { token: 'tok', scopes: ['me'], scopeStr: 'me' })
  checkResponse(t, await app.inject({ url: '/status', headers }), 200, { token: 'tok', scopes: [], scopeStr: '' })
  const res = await app.inject({ url: '/users/me/items' })
  checkResponse(t, res, 401, NOT_AUTHENTICATED)
  t.equal(res.headers['www-authenticate'], 'Bearer')

  // As FastAPI's tutorial005: [{"OAuth2PasswordBearer": ["items", "me"]}], ["me"], [].
  t.strictSame(app.api.routes.map(r => r.security.map(s => [s.scheme.name, s.scopes])), [
    [['OAuth2PasswordBearer', ['items', 'me']]],
    [['OAuth2PasswordBearer', ['me']]],
    [['OAuth2PasswordBearer', []]]
  ])
})

// -------------------------------------------------------------------------------------------
// OAuth2PasswordRequestForm

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

async function tokenApp (t: any, strict = false): Promise<FastifyInstance> {
  const app = await build(t)
  app.api.post('/token', { args: { form: Depends(strict ? OAuth2PasswordRequestFormStrict : OAuth2PasswordRequestForm) } }, ({ form }) => ({
    ...form, clientId: form.clientId ?? null, clientSecret: form.clientSecret ?? null, grantType: form.grantType ?? null
  }))
  app.post('/plain', async () => ({ plain: true }))
  return app
}

const PATTERN_ITEM = (input: string) => ({
  type: 'string_pattern_mismatch',
  loc: ['body', 'grant_type'],
  msg: 'String should match pattern \'^password$\'',
  input,
  ctx: { pattern: '^password$' }
})

t.test('OAuth2PasswordRequestForm', async t => {
  t.test('reads the urlencoded fields', async t => {
    const app = await tokenApp(t)
    const res = await app.inject({ method: 'POST', url: '/token', payload: 'username=johndoe&password=secret', headers: FORM })
    checkResponse(t, res, 200, { grantType: null, username: 'johndoe', password: 'secret', scopes: [], clientId: null, clientSecret: null })
    const all = await app.inject({
      method: 'POST',
      url: '/token',
      payload: 'grant_type=password&username=johndoe&password=secret&scope=%20items:read%20%20me%09openid%20&client_id=app&client_secret=shh',
      headers: FORM
    })
    checkResponse(t, all, 200, {
      grantType: 'password', username: 'johndoe', password: 'secret', scopes: ['items:read', 'me', 'openid'], clientId: 'app', clientSecret: 'shh'
    })
  })

  t.test('an empty form: username and password missing', async t => {
    const app = await tokenApp(t)
    for (const request of [{}, { payload: '', headers: FORM }, { payload: 'username=&password=', headers: FORM }]) {
      const res = await app.inject({ method: 'POST', url: '/token', ...request })
      checkResponse(t, res, 422, { detail: [missing('body', 'username'), missing('body', 'password')] })
    }
  })

  t.test('a JSON body has no form fields', async t => {
    const app = await tokenApp(t)
    const res = await app.inject({ method: 'POST', url: '/token', payload: { username: 'johndoe', password: 'secret' } })
    checkResponse(t, res, 422, { detail: [missing('body', 'username'), missing('body', 'password')] })
    t.notMatch(res.body, 'secret')
  })

  t.test('grant_type must be "password" when sent', async t => {
    const app = await tokenApp(t)
    for (const grant of ['incorrect', 'passwordblah', 'blahpassword']) {
      const res = await app.inject({ method: 'POST', url: '/token', payload: `username=johndoe&password=hunter2&grant_type=${grant}`, headers: FORM })
      checkResponse(t, res, 422, { detail: [PATTERN_ITEM(grant)] })
      t.notMatch(res.body, 'hunter2', 'the password is not echoed')
    }
  })

  t.test('the password never appears in a 422', async t => {
    const app = await tokenApp(t)
    const res = await app.inject({ method: 'POST', url: '/token', payload: 'password=hunter2&client_secret=s3cr3t&grant_type=x', headers: FORM })
    checkResponse(t, res, 422, { detail: [PATTERN_ITEM('x'), missing('body', 'username')] })
    const empty = await app.inject({ method: 'POST', url: '/token', payload: 'username=hunter2&password=', headers: FORM })
    t.equal(empty.statusCode, 422)
    t.notMatch(res.body, 'hunter2')
    t.notMatch(res.body, 's3cr3t')
  })

  t.test('a plain Fastify route of the same app still answers 415 to a form', async t => {
    const app = await tokenApp(t)
    const res = await app.inject({ method: 'POST', url: '/plain', payload: 'a=1', headers: FORM })
    t.equal(res.statusCode, 415)
    const json = await app.inject({ method: 'POST', url: '/plain', payload: { a: 1 } })
    checkResponse(t, json, 200, { plain: true })
  })
})

t.test('OAuth2PasswordRequestFormStrict', async t => {
  t.test('no data: grant_type, username and password missing, in FastAPI\'s order', async t => {
    const app = await tokenApp(t, true)
    const res = await app.inject({ method: 'POST', url: '/token' })
    checkResponse(t, res, 422, {
      detail: [missing('body', 'grant_type'), missing('body', 'username'), missing('body', 'password')]
    })
  })
  t.test('no grant_type', async t => {
    const app = await tokenApp(t, true)
    const res = await app.inject({ method: 'POST', url: '/token', payload: 'username=johndoe&password=secret', headers: FORM })
    checkResponse(t, res, 422, { detail: [missing('body', 'grant_type')] })
  })
  t.test('a wrong grant_type', async t => {
    const app = await tokenApp(t, true)
    const res = await app.inject({ method: 'POST', url: '/token', payload: 'username=johndoe&password=secret&grant_type=passwordblah', headers: FORM })
    checkResponse(t, res, 422, { detail: [PATTERN_ITEM('passwordblah')] })
  })
  t.test('the correct grant_type', async t => {
    const app = await tokenApp(t, true)
    const res = await app.inject({ method: 'POST', url: '/token', payload: 'username=johndoe&password=secret&grant_type=password', headers: FORM })
    checkResponse(t, res, 200, { grantType: 'password', username: 'johndoe', password: 'secret', scopes: [], clientId: null, clientSecret: null })
  })
})
