/**
 * examples/extras: every use the example makes of the package, request by request — the
 * security helpers, uploads and downloads, streaming and CSV exports, pages and cookies, the
 * exception handlers and metrics, the lifespan, the docs settings and the typed helpers.
 */
import t from 'tap'
import { existsSync } from 'node:fs'
import { z } from 'zod'
import { expectTypeOf } from 'expect-type'
import type { FastifyServerOptions } from 'fastify'
import { errorCodes, isDependency, isParam, Query, type DependsMarker, type OpenapiOptions, type Param } from '../../lib/index.js'
import { build, docsFromEnv, type FileStore } from '../../examples/extras/index.js'
import { digestResponse, DIGEST_REALM, shareKeyFor } from '../../examples/extras/auth.js'
import { getStore, now, queryArgs } from '../../examples/extras/helpers.js'
import { freeze } from '../../examples/extras/testing.js'

const NOW = new Date('2024-01-01T12:00:00Z')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const BOUNDARY = '----extras-boundary'
const ADMIN = { authorization: `Basic ${Buffer.from('stanleyjobson:swordfish').toString('base64')}` }
const READ_WRITE = 'files:read files:write'

type Part = { name: string, value: string } | { name: string, filename: string, type?: string, content: string | Buffer }

/** A multipart/form-data body, written out by hand. */
function multipart (parts: Part[]): { headers: Record<string, string>, payload: Buffer } {
  const chunks: Buffer[] = []
  for (const part of parts) {
    let head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`
    head += 'filename' in part ? `; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'text/plain'}\r\n` : '\r\n'
    chunks.push(Buffer.from(head + '\r\n'), Buffer.from('filename' in part ? part.content : part.value), Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`))
  return { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload: Buffer.concat(chunks) }
}

/** The example's app with its clock frozen at NOW; closed after the test. */
async function app (t: { teardown: (fn: () => unknown) => void }, options: FastifyServerOptions = {}, docs: OpenapiOptions = {}) {
  const instance = await build(options, docs)
  t.teardown(() => instance.close())
  freeze(instance.dependencyOverrides, now, NOW)
  return instance
}

type App = Awaited<ReturnType<typeof app>>

async function login (instance: App, username = 'johndoe', password = 'secret', scope = READ_WRITE): Promise<Record<string, string>> {
  const res = await instance.inject({ method: 'POST', url: '/token', headers: FORM, payload: `grant_type=password&username=${username}&password=${password}&scope=${scope}` })
  return { authorization: `Bearer ${res.json().access_token}` }
}

async function upload (instance: App, auth: Record<string, string>, filename: string, content: string, title: string, extra: Part[] = [], method = 'POST', url = '/files') {
  const body = multipart([{ name: 'upload', filename, content }, { name: 'title', value: title }, ...extra])
  return instance.inject({ method: method as 'POST', url, headers: { ...auth, ...body.headers }, payload: body.payload })
}

const token = (sub: string, scopes: string[]) => Buffer.from(JSON.stringify({ sub, scopes })).toString('base64url')
const fileOut = (name: string, title: string, size: number, extra: Record<string, unknown> = {}) => ({
  name, title, content_type: 'text/plain', size, owner: 'johndoe', uploaded_at: NOW.toISOString(), locked: false, ...extra
})

// ---------------------------------------------------------------------------------------------
// OAuth2 scopes

t.test('POST /token: the strict form, and only the scopes the user may have', async t => {
  const instance = await app(t)
  const cases = [
    { name: 'johndoe asks for both scopes', payload: `grant_type=password&username=johndoe&password=secret&scope=${READ_WRITE}`, status: 200, body: { access_token: token('johndoe', ['files:read', 'files:write']), token_type: 'bearer' } },
    { name: 'alice asks for both, gets read only', payload: `grant_type=password&username=alice&password=wonderland&scope=${READ_WRITE}`, status: 200, body: { access_token: token('alice', ['files:read']), token_type: 'bearer' } },
    { name: 'a wrong password', payload: 'grant_type=password&username=johndoe&password=nope', status: 400, body: { detail: 'Incorrect username or password' } },
    { name: 'an inherited property is no user', payload: 'grant_type=password&username=constructor&password=x', status: 400, body: { detail: 'Incorrect username or password' } },
    {
      // A form body: the 422 handler does not echo it (it has the password).
      name: 'no grant_type: the strict form requires it',
      payload: 'username=johndoe&password=secret',
      status: 422,
      body: { detail: [{ type: 'missing', loc: ['body', 'grant_type'], msg: 'Field required', input: null }] }
    }
  ]
  for (const c of cases) {
    const res = await instance.inject({ method: 'POST', url: '/token', headers: FORM, payload: c.payload })
    t.equal(res.statusCode, c.status, `${c.name}: status`)
    t.strictSame(res.json(), c.body, `${c.name}: body`)
  }
})

t.test('Security() scopes: a token must grant what the route asks for', async t => {
  const instance = await app(t)
  const alice = await login(instance, 'alice', 'wonderland')
  const cases = [
    { name: 'read-only token on a write route', headers: alice, method: 'PATCH', url: '/files/a.txt', status: 401, body: { detail: 'Not enough permissions' }, challenge: 'Bearer scope="files:write"' },
    { name: 'read-only token on a read route', headers: alice, method: 'GET', url: '/files/a.txt', status: 404, body: { detail: 'File not found' }, challenge: undefined },
    { name: 'a token that does not decode', headers: { authorization: 'Bearer garbage' }, method: 'GET', url: '/files', status: 401, body: { detail: 'Could not validate credentials' }, challenge: 'Bearer scope="files:read"' },
    { name: 'a token of an unknown user', headers: { authorization: `Bearer ${token('mallory', ['files:read'])}` }, method: 'GET', url: '/files', status: 401, body: { detail: 'Could not validate credentials' }, challenge: 'Bearer scope="files:read"' },
    { name: 'no token', headers: {}, method: 'GET', url: '/files', status: 401, body: { detail: 'Not authenticated' }, challenge: 'Bearer' },
    { name: '/users/me asks for no scope', headers: alice, method: 'GET', url: '/users/me', status: 200, body: { username: 'alice', full_name: 'Alice Wonderson', scopes: ['files:read'] }, challenge: undefined },
    { name: 'the export router requires files:read of every route', headers: { authorization: `Bearer ${token('alice', [])}` }, method: 'GET', url: '/export/files.csv', status: 401, body: { detail: 'Not enough permissions' }, challenge: 'Bearer scope="files:read"' }
  ]
  for (const c of cases) {
    const res = await instance.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, payload: c.method === 'PATCH' ? { title: 'x' } : undefined })
    t.equal(res.statusCode, c.status, `${c.name}: status`)
    t.strictSame(res.json(), c.body, `${c.name}: body`)
    t.equal(res.headers['www-authenticate'], c.challenge, `${c.name}: challenge`)
  }
})

t.test('GET /auth/schemes: what each security helper documents', async t => {
  const res = await (await app(t)).inject('/auth/schemes')
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), [
    { name: 'OAuth2PasswordBearer', type: 'oauth2' },
    { name: 'HTTPBasic', type: 'http' },
    { name: 'HTTPBearer', type: 'http' },
    { name: 'LegacyDigest', type: 'http' },
    { name: 'APIKeyHeader', type: 'apiKey' },
    { name: 'APIKeyQuery', type: 'apiKey' },
    { name: 'APIKeyCookie', type: 'apiKey' },
    { name: 'OAuth2AuthorizationCodeBearer', type: 'oauth2' },
    { name: 'PartnerOAuth2', type: 'oauth2' },
    { name: 'OpenIdConnect', type: 'openIdConnect' }
  ])
})

t.test("the identity provider's flows: authorization code, client credentials (OAuth2), OpenID Connect", async t => {
  const instance = await app(t)
  await upload(instance, await login(instance), 'a.txt', 'a', 'A')
  const cases = [
    { name: 'an employee', url: '/sso/me', authorization: 'Bearer sso-jane', status: 200, body: { email: 'jane@example.com' } },
    { name: 'an unknown employee token', url: '/sso/me', authorization: 'Bearer sso-john', status: 401, body: { detail: 'Could not validate credentials' } },
    { name: 'a partner', url: '/partners/files', authorization: 'Bearer partner-acme', status: 200, body: { partner: 'acme', files: ['a.txt'] } },
    { name: 'a partner token sent as Basic', url: '/partners/files', authorization: 'Basic partner-acme', status: 401, body: { detail: 'Could not validate credentials' } },
    { name: 'the auditor', url: '/compliance/audit', authorization: 'Bearer oidc-auditor', status: 200, body: ['- johndoe saved a.txt (1 bytes)'] },
    { name: "a partner's token is not the auditor's", url: '/compliance/audit', authorization: 'Bearer partner-acme', status: 401, body: { detail: 'Could not validate credentials' } },
    { name: 'no header (the OpenIdConnect helper)', url: '/compliance/audit', authorization: undefined, status: 401, body: { detail: 'Not authenticated' } },
    { name: 'no header (the OAuth2 helper)', url: '/partners/files', authorization: undefined, status: 401, body: { detail: 'Not authenticated' } }
  ]
  for (const c of cases) {
    const res = await instance.inject({ url: c.url, headers: c.authorization === undefined ? {} : { authorization: c.authorization } })
    t.equal(res.statusCode, c.status, `${c.name}: status`)
    t.strictSame(res.json(), c.body, `${c.name}: body`)
    if (c.status === 401) t.equal(res.headers['www-authenticate'], 'Bearer', `${c.name}: challenge`)
  }

  const doc = (await instance.inject('/openapi.json')).json()
  t.strictSame(doc.components.securitySchemes.OAuth2AuthorizationCodeBearer, {
    type: 'oauth2',
    flows: { authorizationCode: { scopes: { openid: 'Who you are' }, authorizationUrl: 'https://sso.example.com/authorize', tokenUrl: 'https://sso.example.com/token' } }
  })
  t.strictSame(doc.components.securitySchemes.PartnerOAuth2, {
    type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://sso.example.com/token', scopes: { 'files:list': 'List file names' } } }
  })
  t.strictSame(doc.components.securitySchemes.OpenIdConnect, { type: 'openIdConnect', openIdConnectUrl: 'https://sso.example.com/.well-known/openid-configuration' })
})

// ---------------------------------------------------------------------------------------------
// Files

t.test('POST /files: a file and form fields; the clock frozen through dependencyOverrides', async t => {
  const instance = await app(t)
  const auth = await login(instance)

  const created = await upload(instance, { ...auth, 'x-request-id': 'req-42' }, 'my notes.txt', 'hello world', 'My notes')
  t.equal(created.statusCode, 201)
  t.strictSame(created.json(), fileOut('my_notes.txt', 'My notes', 11), 'the name made safe; note left out (responseModelExcludeNone)')

  const withNote = await upload(instance, auth, 'b.txt', 'b', 'B', [{ name: 'note', value: 'draft' }])
  t.equal(withNote.statusCode, 201)
  t.strictSame(withNote.json(), fileOut('b.txt', 'B', 1, { note: 'draft' }))

  const again = await upload(instance, auth, 'b.txt', 'b2', 'B')
  t.equal(again.statusCode, 409)
  t.strictSame(again.json(), { detail: 'A file named b.txt exists; PUT /files/b.txt replaces it' })

  const untitled = await upload(instance, auth, 'c.txt', 'c', '')
  t.equal(untitled.statusCode, 422, 'an empty form field counts as absent')
  t.strictSame(untitled.json(), { detail: [{ type: 'missing', loc: ['body', 'title'], msg: 'Field required', input: null }] }, 'a form body is not echoed')

  const badId = await upload(instance, { ...auth, 'x-request-id': 'no spaces' }, 'd.txt', 'd', 'D')
  t.equal(badId.statusCode, 422)
  t.strictSame(badId.json().detail[0].loc, ['header', 'x-request-id'])

  const big = await upload(instance, auth, 'big.bin', 'x'.repeat(1024 * 1024 + 1), 'Big')
  t.equal(big.statusCode, 413, 'more than 1 MiB')

  // The background tasks ran after the responses: one audit line per saved file.
  const audit = await instance.inject({ url: '/admin/audit', headers: ADMIN })
  t.strictSame(audit.json(), ['req-42 johndoe saved my_notes.txt (11 bytes)', '- johndoe saved b.txt (1 bytes)'])
})

t.test('PUT /files/:name: 201 through a JSONResponse when new, 200 through the model when replaced', async t => {
  const instance = await app(t)
  const auth = await login(instance)
  const created = await upload(instance, auth, 'ignored.txt', 'one', 'One', [], 'PUT', '/files/report.txt')
  t.equal(created.statusCode, 201)
  t.match(created.headers['content-type'], /^application\/json/)
  t.strictSame(created.json(), fileOut('report.txt', 'One', 3))

  const replaced = await upload(instance, auth, 'ignored.txt', 'second', 'Two', [{ name: 'note', value: 'v2' }], 'PUT', '/files/report.txt')
  t.equal(replaced.statusCode, 200)
  t.strictSame(replaced.json(), fileOut('report.txt', 'Two', 6, { note: 'v2' }))

  const badName = await upload(instance, auth, 'x.txt', 'x', 'X', [], 'PUT', '/files/.hidden')
  t.equal(badName.statusCode, 422)
  t.strictSame(badName.json().detail[0].loc, ['path', 'name'])
})

t.test('GET /files: search through queryArgs (q, limit with its ParamOptions)', async t => {
  const instance = await app(t)
  const auth = await login(instance)
  for (const [file, title] of [['a.txt', 'Quarterly report'], ['b.txt', 'Minutes'], ['c.txt', 'Annual report']]) {
    t.equal((await upload(instance, auth, file, file, title)).statusCode, 201)
  }
  const names = async (query: string) => (await instance.inject({ url: `/files${query}`, headers: auth })).json().map((file: { name: string }) => file.name)
  t.strictSame(await names(''), ['a.txt', 'b.txt', 'c.txt'])
  t.strictSame(await names('?q=REPORT'), ['a.txt', 'c.txt'], 'title, case-insensitive')
  t.strictSame(await names('?q=b.t'), ['b.txt'], 'name')
  t.strictSame(await names('?limit=1'), ['a.txt'])

  const tooMany = await instance.inject({ url: '/files?limit=101', headers: auth })
  t.equal(tooMany.statusCode, 422)
  t.strictSame(tooMany.json(), {
    detail: [{ type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', input: '101', ctx: { le: 100 } }]
  })
})

t.test('GET and PATCH /files/:name: the model, 404, and the embedded title with its rule', async t => {
  const instance = await app(t)
  const auth = await login(instance)
  await upload(instance, auth, 'a.txt', 'abc', 'A')

  const read = await instance.inject({ url: '/files/a.txt', headers: auth })
  t.strictSame(read.json(), fileOut('a.txt', 'A', 3))
  const missing = await instance.inject({ url: '/files/nope.txt', headers: auth })
  t.equal(missing.statusCode, 404)
  t.strictSame(missing.json(), { detail: 'File not found' })
  // The router refuses these before the route runs; frameworkErrors answers them {"detail": ...}.
  const undecodable = await instance.inject({ url: '/files/%FF.txt', headers: auth })
  t.equal(undecodable.statusCode, 400)
  t.strictSame(undecodable.json(), { detail: 'Bad Request' })
  const overlong = await instance.inject({ url: `/files/${'n'.repeat(101)}`, headers: auth })
  t.equal(overlong.statusCode, 414)
  t.strictSame(overlong.json(), { detail: 'URI Too Long' })

  const renamed = await instance.inject({ method: 'PATCH', url: '/files/a.txt', headers: auth, payload: { title: 'Renamed' } })
  t.equal(renamed.statusCode, 200)
  t.strictSame(renamed.json(), fileOut('a.txt', 'Renamed', 3))

  const long = 'x'.repeat(101)
  const tooLong = await instance.inject({ method: 'PATCH', url: '/files/a.txt', headers: auth, payload: { title: long } })
  t.equal(tooLong.statusCode, 422)
  t.strictSame(tooLong.json(), {
    detail: [{ type: 'string_too_long', loc: ['body', 'title'], msg: 'String should have at most 100 characters', input: long, ctx: { max_length: 100 } }],
    body: { title: long }
  }, 'a JSON body comes back with the 422 (onValidationError)')

  const bare = await instance.inject({ method: 'PATCH', url: '/files/a.txt', headers: { ...auth, 'content-type': 'application/json' }, payload: '"Renamed"' })
  t.equal(bare.statusCode, 422, 'embed: a bare string is not {"title": ...}')
  t.strictSame(bare.json().body, 'Renamed')
})

t.test('GET /files/:name/content: a FileResponse with a Server-Timing header (timed)', async t => {
  const instance = await app(t)
  const auth = await login(instance)
  await upload(instance, auth, 'a.txt', 'hello', 'A')
  const res = await instance.inject({ url: '/files/a.txt/content', headers: auth })
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'hello')
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(res.headers['content-disposition'], 'attachment; filename="a.txt"')
  t.equal(res.headers['content-length'], '5')
  t.match(res.headers['server-timing'], /^app;dur=\d+\.\d$/, 'set on the response object')
})

t.test('the scanner webhook (HTTPBearer) locks a file; a locked download is a 423 (DocumentLocked)', async t => {
  const instance = await app(t)
  const auth = await login(instance)
  await upload(instance, auth, 'a.txt', 'hello', 'A')
  const scan = (headers: Record<string, string>, clean: boolean) =>
    instance.inject({ method: 'POST', url: '/hooks/scan', headers, payload: { name: 'a.txt', clean } })

  const anonymous = await scan({}, false)
  t.equal(anonymous.statusCode, 401)
  t.strictSame(anonymous.json(), { detail: 'Not authenticated' })
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
  const wrong = await scan({ authorization: 'Bearer guess' }, false)
  t.equal(wrong.statusCode, 403)
  t.strictSame(wrong.json(), { detail: 'Not the scanner' })

  const infected = await scan({ authorization: 'Bearer scanner-token' }, false)
  t.equal(infected.statusCode, 200)
  t.strictSame(infected.json(), { name: 'a.txt', locked: true })
  const locked = await instance.inject({ url: '/files/a.txt/content', headers: auth })
  t.equal(locked.statusCode, 423)
  t.equal(locked.headers['retry-after'], '3600')
  t.strictSame(locked.json(), { detail: 'a.txt is locked until it is scanned clean' })

  await scan({ authorization: 'Bearer scanner-token' }, true)
  t.equal((await instance.inject({ url: '/files/a.txt/content', headers: auth })).statusCode, 200, 'unlocked once clean')
})

t.test('share links: the key in the query, a header or a cookie (APIKeyQuery/Header/Cookie)', async t => {
  const instance = await app(t)
  const auth = await login(instance)
  await upload(instance, auth, 'a.txt', 'shared content', 'A')
  const key = shareKeyFor('a.txt')
  const link = await instance.inject({ method: 'POST', url: '/files/a.txt/share', headers: auth })
  t.strictSame(link.json(), { url: `/shared/a.txt?share_key=${key}` })

  const cases = [
    { name: 'the link itself', url: link.json().url, headers: {}, status: 200 },
    { name: 'a header', url: '/shared/a.txt', headers: { 'x-share-key': key }, status: 200 },
    { name: 'a cookie', url: '/shared/a.txt', headers: { cookie: `share_key=${key}` }, status: 200 },
    { name: 'the header wins over a wrong query key', url: '/shared/a.txt?share_key=wrong', headers: { 'x-share-key': key }, status: 200 },
    { name: "another file's key", url: `/shared/a.txt?share_key=${shareKeyFor('b.txt')}`, headers: {}, status: 403, body: { detail: 'Invalid share key' } },
    { name: 'no key', url: '/shared/a.txt', headers: {}, status: 401, body: { detail: 'Not authenticated' } },
    { name: 'an empty key is no key', url: '/shared/a.txt?share_key=', headers: {}, status: 401, body: { detail: 'Not authenticated' } }
  ]
  for (const c of cases) {
    const res = await instance.inject({ url: c.url, headers: c.headers })
    t.equal(res.statusCode, c.status, `${c.name}: status`)
    if (c.status === 200) t.equal(res.body, 'shared content', `${c.name}: content`)
    else t.strictSame(res.json(), c.body, `${c.name}: body`)
  }
})

t.test('GET /legacy/files: HTTP Digest, checked by the app', async t => {
  const instance = await app(t)
  const auth = await login(instance)
  await upload(instance, auth, 'a.txt', 'a', 'A')
  const digest = (username: string, password: string, uri: string, nonce = 'abc123') =>
    `Digest username="${username}", realm="${DIGEST_REALM}", nonce="${nonce}", uri="${uri}", response="${digestResponse(username, password, 'GET', uri, nonce)}"`
  const cases = [
    { name: 'a right digest', authorization: digest('johndoe', 'secret', '/legacy/files'), status: 200, body: ['a.txt'], challenge: undefined },
    { name: 'a wrong password', authorization: digest('johndoe', 'nope', '/legacy/files'), status: 401, body: { detail: 'Incorrect digest' }, challenge: 'Digest realm="files"' },
    { name: 'a digest for another URL', authorization: digest('johndoe', 'secret', '/files'), status: 401, body: { detail: 'Incorrect digest' }, challenge: 'Digest realm="files"' },
    { name: 'no nonce', authorization: digest('johndoe', 'secret', '/legacy/files', ''), status: 401, body: { detail: 'Incorrect digest' }, challenge: 'Digest realm="files"' },
    { name: 'Basic instead', authorization: ADMIN.authorization, status: 401, body: { detail: 'Not authenticated' }, challenge: 'Digest' }
  ]
  for (const c of cases) {
    const res = await instance.inject({ url: '/legacy/files', headers: { authorization: c.authorization } })
    t.equal(res.statusCode, c.status, `${c.name}: status`)
    t.strictSame(res.json(), c.body, `${c.name}: body`)
    t.equal(res.headers['www-authenticate'], c.challenge, `${c.name}: challenge`)
  }
})

t.test('exports: NDJSON streamed (jsonableEncoder, path excluded) and CSV (Response)', async t => {
  const instance = await app(t)
  const auth = await login(instance)
  await upload(instance, auth, 'a.txt', 'abc', 'Report, "final"', [{ name: 'note', value: 'n' }])
  await upload(instance, auth, 'b.txt', 'b', 'B')

  const ndjson = await instance.inject({ url: '/export/files.ndjson', headers: auth })
  t.equal(ndjson.statusCode, 200)
  t.equal(ndjson.headers['content-type'], 'application/x-ndjson')
  t.equal(ndjson.headers['content-length'], undefined, 'streamed')
  const base = { contentType: 'text/plain', locked: false, owner: 'johndoe', uploadedAt: NOW.toISOString() }
  t.strictSame(ndjson.body.split('\n'), [
    JSON.stringify({ name: 'a.txt', contentType: 'text/plain', size: 3, locked: false, title: 'Report, "final"', owner: 'johndoe', uploadedAt: base.uploadedAt, note: 'n' }),
    JSON.stringify({ name: 'b.txt', contentType: 'text/plain', size: 1, locked: false, title: 'B', owner: 'johndoe', uploadedAt: base.uploadedAt }),
    ''
  ], 'one line per file; no path, no null note')

  const csv = await instance.inject({ url: '/export/files.csv', headers: auth })
  t.equal(csv.statusCode, 200)
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(csv.headers['content-disposition'], 'attachment; filename="files.csv"')
  t.equal(csv.body, 'name,title,size,owner\r\na.txt,"Report, ""final""",3,johndoe\r\nb.txt,B,1,johndoe\r\n')
})

// ---------------------------------------------------------------------------------------------
// Pages

t.test('pages: HTML with the theme cookie, the form that sets it, the reset, fixed pages', async t => {
  const instance = await app(t)
  const auth = await login(instance)
  await upload(instance, auth, 'a.txt', 'a', '<b>Bold</b> & co')

  const home = await instance.inject({ url: '/', headers: { cookie: 'theme=dark' } })
  t.equal(home.statusCode, 200)
  t.equal(home.headers['content-type'], 'text/html; charset=utf-8')
  t.match(home.headers['server-timing'], /^app;dur=\d+\.\d$/, 'set on the reply (the return value is a string)')
  t.equal(home.body, '<!doctype html><body class="dark"><h1>Files</h1><ul><li>&lt;b&gt;Bold&lt;/b&gt; &amp; co (a.txt)</li></ul>' +
    '<form method="post" action="/preferences"><button name="theme" value="dark">Dark</button>' +
    '<button name="theme" value="light">Light</button></form></body>')
  t.match((await instance.inject('/')).body, '<body class="light">', 'light without the cookie')
  const badTheme = await instance.inject({ url: '/', headers: { cookie: 'theme=pink' } })
  t.equal(badTheme.statusCode, 422)
  t.strictSame(badTheme.json().detail[0].loc, ['cookie', 'theme'])

  const saved = await instance.inject({ method: 'POST', url: '/preferences', headers: FORM, payload: 'theme=dark' })
  t.equal(saved.statusCode, 303)
  t.equal(saved.headers.location, '/')
  t.equal(saved.headers['set-cookie'], 'theme=dark; HttpOnly; Max-Age=31536000; Path=/; SameSite=lax')

  const reset = await instance.inject({ method: 'DELETE', url: '/preferences' })
  t.equal(reset.statusCode, 200)
  t.strictSame(reset.json(), { theme: 'light' })
  t.equal(reset.headers['set-cookie'], 'theme=""; HttpOnly; Max-Age=0; Path=/; SameSite=lax')

  const robots = await instance.inject('/robots.txt')
  t.equal(robots.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(robots.body, 'User-agent: *\nDisallow: /files\nDisallow: /shared\n')
  const about = await instance.inject('/about')
  t.equal(about.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(about.body, '<!doctype html><title>About</title><p>A small file-sharing service.</p>')
})

// ---------------------------------------------------------------------------------------------
// Errors and metrics

t.test('a stored record that breaks FileOut: 500 with the request id (onResponseValidationError)', async t => {
  const instance = await app(t, { genReqId: () => 'req-test' })
  const broken = { get: () => ({ name: 'x', title: 'x'.repeat(101), contentType: 'text/plain', size: 1, owner: 'johndoe', uploadedAt: NOW, locked: false, note: null, path: '/nowhere' }) }
  instance.dependencyOverrides.set(getStore, () => broken as unknown as FileStore)
  const res = await instance.inject({ url: '/files/x', headers: await login(instance) })
  t.equal(res.statusCode, 500)
  t.strictSame(res.json(), { detail: 'Internal Server Error', request_id: 'req-test' })
})

t.test('GET /admin/metrics: HTTP Basic, and the counts the hooks kept', async t => {
  const instance = await app(t)
  const wrongAdmin = await instance.inject({ url: '/admin/metrics', headers: { authorization: `Basic ${Buffer.from('stanleyjobson:nope').toString('base64')}` } })
  t.equal(wrongAdmin.statusCode, 401)
  t.strictSame(wrongAdmin.json(), { detail: 'Incorrect username or password' })
  t.equal(wrongAdmin.headers['www-authenticate'], 'Basic realm="admin"')

  const auth = await login(instance)
  await upload(instance, auth, 'a.txt', 'a', 'A')
  await upload(instance, auth, 'a.txt', 'a', 'A') // 409
  await instance.inject({ url: '/files/nope', headers: auth }) // 404
  await instance.inject({ url: '/files?limit=0&q=x', headers: auth }) // 422 query
  await instance.inject({ method: 'PATCH', url: '/files/a.txt', headers: auth, payload: {} }) // 422 body
  await instance.inject({ url: '/files' }) // 401
  await instance.inject({ url: '/shared/a.txt?share_key=wrong' }) // 403
  await instance.inject({ method: 'POST', url: '/hooks/scan', headers: { authorization: 'Bearer scanner-token' }, payload: { name: 'a.txt', clean: false } })
  await instance.inject({ url: '/files/a.txt/content', headers: auth }) // 423
  instance.dependencyOverrides.set(getStore, () => ({ get: () => ({ title: '' }) }) as unknown as FileStore)
  await instance.inject({ url: '/files/a.txt', headers: auth }) // broken response
  instance.dependencyOverrides.delete(getStore)

  const res = await instance.inject({ url: '/admin/metrics', headers: ADMIN })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), {
    invalid: { path: 0, query: 1, header: 0, cookie: 0, body: 1 },
    http: [
      { status: 'HTTP_401_UNAUTHORIZED', reason: 'Unauthorized', count: 2 },
      { status: 'HTTP_403_FORBIDDEN', reason: 'Forbidden', count: 1 },
      { status: 'HTTP_404_NOT_FOUND', reason: 'Not Found', count: 1 },
      { status: 'HTTP_409_CONFLICT', reason: 'Conflict', count: 1 }
    ],
    broken_responses: 1,
    locked_downloads: 1,
    schemes: { basic: 2, bearer: 8 }
  })
})

// ---------------------------------------------------------------------------------------------
// Settings, lifespan, helpers

t.test('docs settings from the environment; a bad one names the variable', async t => {
  t.strictSame(docsFromEnv({ DOCS_URL: 'off', REDOC_URL: '/reference' }), { openapiUrl: undefined, docsUrl: null, redocUrl: '/reference' })
  t.strictSame(docsFromEnv({ OPENAPI_URL: 'off' }), { openapiUrl: null, docsUrl: undefined, redocUrl: undefined })
  t.strictSame(docsFromEnv({}), { openapiUrl: undefined, docsUrl: undefined, redocUrl: undefined })

  const instance = await app(t, {}, docsFromEnv({ DOCS_URL: 'off' }))
  t.equal((await instance.inject('/docs')).statusCode, 404, 'no Swagger UI')
  t.equal((await instance.inject('/redoc')).statusCode, 200, 'ReDoc still')
  const doc = (await instance.inject('/openapi.json')).json()
  t.strictSame(doc.info, { title: 'File share', version: '1.0.0', description: 'Upload, find, download and share files.' })

  const hidden = await app(t, {}, docsFromEnv({ OPENAPI_URL: 'off' }))
  for (const url of ['/openapi.json', '/docs', '/redoc']) t.equal((await hidden.inject(url)).statusCode, 404, `no ${url}`)

  const error = await build({}, docsFromEnv({ DOCS_URL: 'swagger' })).then(() => undefined, (err: Error) => err)
  t.ok(error instanceof Error, 'build() rejects')
  t.equal(error?.message, 'Check OPENAPI_URL, DOCS_URL and REDOC_URL: fastify-fastapi options: docsUrl must be a path starting with "/", or null.')
  t.ok(error?.cause instanceof errorCodes.FFA_ERR_OPTIONS_INVALID, 'the plugin error is the cause')
})

t.test('the lifespan opens the store when the app is ready and deletes its directory on close', async t => {
  const instance = await build({}, {})
  instance.get('/dir', async request => (request.state.store as FileStore).dir)
  const dir = (await instance.inject('/dir')).body
  t.match(dir, /fastify-fastapi-extras-/)
  t.ok(existsSync(dir), 'open while the app runs')
  await instance.close()
  t.notOk(existsSync(dir), 'removed on close')
})

t.test('queryArgs: schemas become Query(), dependencies Depends(), markers stay', async t => {
  const limit = Query(z.number().int(), { default: 10 })
  const args = queryArgs({ q: z.string(), limit, store: getStore })
  t.ok(isParam(args.q) && args.q.in === 'query', 'q is a query parameter')
  t.equal(args.limit, limit, 'the marker as given')
  t.ok(isDependency(args.store.dependency) && args.store.dependency === getStore, 'Depends(getStore)')
  expectTypeOf(args.q).toEqualTypeOf<Param<'query', z.ZodString, false>>()
  expectTypeOf(args.limit).toEqualTypeOf<typeof limit>()
  expectTypeOf(args.store).toEqualTypeOf<DependsMarker<FileStore>>()
})

t.test('the document: names kept by timed(), routers merged, scopes, extra responses, hidden pages', async t => {
  const instance = await app(t)
  const doc = (await instance.inject('/openapi.json')).json()
  t.equal(doc.paths['/files/{name}/content'].get.summary, 'Download File', 'timed() keeps the handler name')
  t.notOk('/robots.txt' in doc.paths, 'staticPage() routes are left out (includeInSchema: false)')
  t.equal(doc.paths['/files'].post.summary, 'Upload a file')
  t.strictSame(doc.paths['/files'].post.tags, ['files'])
  const schema = doc.components.schemas.Body_uploadFile_files_post
  t.strictSame(schema.properties.upload, { type: 'string', contentMediaType: 'application/octet-stream', title: 'Upload', description: 'The file (1 MiB at most)' })
  t.strictSame(doc.paths['/legacy/files'].get.tags, ['legacy'])
  t.equal(doc.paths['/legacy/files'].get.deprecated, true)
  t.strictSame(doc.paths['/files'].post.security, [{ OAuth2PasswordBearer: ['files:write'] }])
  t.strictSame(Object.keys(doc.paths['/files'].post.responses), ['201', '401', '404', '409', '422'])
  t.strictSame(doc.paths['/files'].post.requestBody.content['multipart/form-data'].schema, { $ref: '#/components/schemas/Body_uploadFile_files_post' })
  t.notOk('401' in doc.paths['/token'].post.responses, 'the sign-in routes are registered outside the api router')
})
