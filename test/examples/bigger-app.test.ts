/**
 * examples/bigger-app: the answers of FastAPI's tests/test_tutorial/test_bigger_applications,
 * its OpenAPI document (tags, the router responses, the admin 418), and what the example adds:
 * the store opened by the lifespan, the audit written by a background task after the
 * response, the update stored through jsonableEncoder, and the /items/latest redirect.
 */
import t from 'tap'
import type { FastifyServerOptions, HTTPMethods } from 'fastify'
import { build, type ItemStore } from '../../examples/bigger-app/index.js'

const TOKEN = { 'x-token': 'fake-super-secret-token' }
const INVALID = { 'x-token': 'invalid' }

// Background tasks run once the response is sent: let them run before looking.
const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

// Each test builds its own app (and so its own store) and closes it when it ends.
async function app (t: { teardown: (fn: () => unknown) => void }, options?: FastifyServerOptions) {
  const instance = await build(options)
  t.teardown(() => instance.close())
  return instance
}

const missing = (...locs: Array<[string, string]>) => ({
  detail: locs.map(loc => ({ type: 'missing', loc, msg: 'Field required', input: null }))
})
const NO_TOKEN = missing(['query', 'token'])
const NO_X_TOKEN = missing(['header', 'x-token'])

// FastAPI's test file, case by case: [test name, method, url, headers, status, body].
// FastAPI answers /users and /items with a 307 to /users/ and /items/, which its TestClient
// follows; the example serves both paths, so the answers after the redirect are the same.
const CASES: Array<[string, HTTPMethods, string, Record<string, string>, number, unknown]> = [
  ['users_token_jessica', 'GET', '/users?token=jessica', {}, 200, [{ username: 'Rick' }, { username: 'Morty' }]],
  ['users_with_no_token', 'GET', '/users', {}, 422, NO_TOKEN],
  ['users_foo_token_jessica', 'GET', '/users/foo?token=jessica', {}, 200, { username: 'foo' }],
  ['users_foo_with_no_token', 'GET', '/users/foo', {}, 422, NO_TOKEN],
  ['users_me_token_jessica', 'GET', '/users/me?token=jessica', {}, 200, { username: 'fakecurrentuser' }],
  ['users_me_with_no_token', 'GET', '/users/me', {}, 422, NO_TOKEN],
  ['users_token_monica_with_no_jessica', 'GET', '/users?token=monica', {}, 400, { detail: 'No Jessica token provided' }],
  ['items_token_jessica', 'GET', '/items?token=jessica', TOKEN, 200, { plumbus: { name: 'Plumbus' }, gun: { name: 'Portal Gun' } }],
  ['items_with_no_token_jessica', 'GET', '/items', TOKEN, 422, NO_TOKEN],
  ['items_plumbus_token_jessica', 'GET', '/items/plumbus?token=jessica', TOKEN, 200, { name: 'Plumbus', item_id: 'plumbus' }],
  ['items_bar_token_jessica', 'GET', '/items/bar?token=jessica', TOKEN, 404, { detail: 'Item not found' }],
  ['items_plumbus_with_no_token', 'GET', '/items/plumbus', TOKEN, 422, NO_TOKEN],
  ['items_with_invalid_token', 'GET', '/items?token=jessica', INVALID, 400, { detail: 'X-Token header invalid' }],
  ['items_bar_with_invalid_token', 'GET', '/items/bar?token=jessica', INVALID, 400, { detail: 'X-Token header invalid' }],
  ['items_with_missing_x_token_header', 'GET', '/items?token=jessica', {}, 422, NO_X_TOKEN],
  ['items_plumbus_with_missing_x_token_header', 'GET', '/items/plumbus?token=jessica', {}, 422, NO_X_TOKEN],
  ['root_token_jessica', 'GET', '/?token=jessica', {}, 200, { message: 'Hello Bigger Applications!' }],
  ['root_with_no_token', 'GET', '/', {}, 422, NO_TOKEN],
  // Both missing: the app's dependency first, then the router's, as FastAPI lists them.
  ['put_no_header', 'PUT', '/items/foo', {}, 422, missing(['query', 'token'], ['header', 'x-token'])],
  // The token is missing too, but the header check still runs and its 400 wins, as in FastAPI.
  ['put_invalid_header', 'PUT', '/items/foo', INVALID, 400, { detail: 'X-Token header invalid' }],
  ['put', 'PUT', '/items/plumbus?token=jessica', TOKEN, 200, { item_id: 'plumbus', name: 'The great Plumbus' }],
  ['put_forbidden', 'PUT', '/items/bar?token=jessica', TOKEN, 403, { detail: 'You can only update the item: plumbus' }],
  ['admin', 'POST', '/admin/?token=jessica', TOKEN, 200, { message: 'Admin getting schwifty' }],
  ['admin_invalid_header', 'POST', '/admin/', INVALID, 400, { detail: 'X-Token header invalid' }]
]

t.test("FastAPI's test_bigger_applications, answer by answer", async t => {
  for (const [name, method, url, headers, status, body] of CASES) {
    t.test(`test_${name}: ${method} ${url}`, async t => {
      const res = await (await app(t)).inject({ method, url, headers })
      t.equal(res.statusCode, status, 'status')
      t.match(res.headers['content-type'], /^application\/json/)
      t.strictSame(res.json(), body, 'body')
    })
  }
})

t.test('the paths with and without the trailing slash answer alike', async t => {
  const instance = await app(t)
  for (const [a, b] of [['/users', '/users/'], ['/items', '/items/'], ['/admin', '/admin/']]) {
    const method = a === '/admin' ? 'POST' : 'GET'
    const one = await instance.inject({ method, url: `${a}?token=jessica`, headers: TOKEN })
    const other = await instance.inject({ method, url: `${b}?token=jessica`, headers: TOKEN })
    t.equal(one.statusCode, 200, a)
    t.equal(one.body, other.body, `${a} and ${b}`)
  }
  const res = await instance.inject({ url: '/nope?token=jessica' })
  t.equal(res.statusCode, 404, 'an unknown path is still a 404')
  t.strictSame(res.json(), { detail: 'Not Found' })
})

// ---------------------------------------------------------------------------------------------
// The document. FastAPI's snapshot in test_main.py, with our operationIds (the handler names,
// camelCase) and the two routes the example adds (/items/latest, /admin/audit).

const VALIDATION_422 = {
  description: 'Validation Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } }
}
const OK_200 = { description: 'Successful Response', content: { 'application/json': { schema: {} } } }
const param = (name: string, where: string, title: string) => ({ name, in: where, required: true, schema: { type: 'string', title } })
const TOKEN_PARAM = param('token', 'query', 'Token')
const X_TOKEN_PARAM = param('x-token', 'header', 'X-Token')

function operation (tags: string[] | null, summary: string, operationId: string, parameters: unknown[], responses: Record<string, unknown>) {
  return {
    ...(tags === null ? {} : { tags }),
    summary,
    operationId,
    parameters,
    responses: { 200: OK_200, ...responses, 422: VALIDATION_422 }
  }
}

t.test('GET /openapi.json: the tutorial document, tags and router responses merged', async t => {
  const res = await (await app(t)).inject('/openapi.json')
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.strictSame(doc.info, { title: 'FastAPI', version: '0.1.0' })
  t.strictSame(Object.keys(doc.paths), ['/users/', '/users/me', '/users/{username}', '/items/', '/items/latest', '/items/{item_id}', '/admin/', '/admin/audit', '/'])
  const NOT_FOUND = { 404: { description: 'Not found' } }
  const TEAPOT = { 418: { description: "I'm a teapot" } }
  const expected: Record<string, Record<string, unknown>> = {
    '/users/': { get: operation(['users'], 'Read Users', 'readUsers_users__get', [TOKEN_PARAM], {}) },
    '/users/me': { get: operation(['users'], 'Read User Me', 'readUserMe_users_me_get', [TOKEN_PARAM], {}) },
    '/users/{username}': {
      get: operation(['users'], 'Read User', 'readUser_users__username__get', [param('username', 'path', 'Username'), TOKEN_PARAM], {})
    },
    '/items/': { get: operation(['items'], 'Read Items', 'readItems_items__get', [TOKEN_PARAM, X_TOKEN_PARAM], NOT_FOUND) },
    '/items/{item_id}': {
      get: operation(['items'], 'Read Item', 'readItem_items__item_id__get', [param('item_id', 'path', 'Item Id'), TOKEN_PARAM, X_TOKEN_PARAM], NOT_FOUND),
      put: operation(['items', 'custom'], 'Update Item', 'updateItem_items__item_id__put',
        [param('item_id', 'path', 'Item Id'), TOKEN_PARAM, X_TOKEN_PARAM], { ...NOT_FOUND, 403: { description: 'Operation forbidden' } })
    },
    '/admin/': { post: operation(['admin'], 'Update Admin', 'updateAdmin_admin__post', [TOKEN_PARAM, X_TOKEN_PARAM], TEAPOT) },
    '/': { get: operation(null, 'Root', 'root__get', [TOKEN_PARAM], {}) }
  }
  for (const [path, item] of Object.entries(expected)) t.strictSame(doc.paths[path], item, path)

  t.test('the additions: a 307 with no content for the redirect, the admin settings on /admin/audit', async t => {
    t.strictSame(doc.paths['/items/latest'].get.responses, {
      307: { description: 'Successful Response' }, ...NOT_FOUND, 422: VALIDATION_422
    })
    t.strictSame(doc.paths['/items/latest'].get.tags, ['items'])
    t.strictSame(doc.paths['/admin/audit'].get, operation(['admin'], 'Read Audit', 'readAudit_admin_audit_get', [TOKEN_PARAM, X_TOKEN_PARAM], TEAPOT))
  })
  t.strictSame(Object.keys(doc.components.schemas), ['HTTPValidationError', 'ValidationError'])
  // The document's validity (OpenAPI 3.1, $refs) is checked with every example's in test/openapi-examples.test.ts.
})

// ---------------------------------------------------------------------------------------------
// Beyond the tutorial.

t.test('lifespan: the store opens when the app is ready and closes with it', async t => {
  const lines: string[] = []
  const stream = { write: (line: string) => { lines.push(JSON.parse(line).msg) } }
  const instance = await build({ logger: { stream } })
  const store = (): string[] => lines.filter(line => line.startsWith('item store'))
  t.strictSame(store(), [], 'nothing opened by build()')
  await instance.ready()
  t.strictSame(store(), ['item store open'])
  t.equal((await instance.inject({ url: '/items/?token=jessica', headers: TOKEN })).statusCode, 200, 'the items router reads it')
  await instance.close()
  t.strictSame(store(), ['item store open', 'item store closed'])
})

t.test('each app has its own store: an update in one is not seen by another', async t => {
  const one = await app(t)
  const other = await app(t)
  await one.inject({ method: 'PUT', url: '/items/plumbus?token=jessica', headers: TOKEN })
  t.strictSame((await one.inject({ url: '/items/plumbus?token=jessica', headers: TOKEN })).json(), { name: 'The great Plumbus', item_id: 'plumbus' })
  t.strictSame((await other.inject({ url: '/items/plumbus?token=jessica', headers: TOKEN })).json(), { name: 'Plumbus', item_id: 'plumbus' })
})

t.test('PUT stores the update through jsonableEncoder: the date is an ISO string', async t => {
  const instance = await app(t)
  const before = Date.now()
  await instance.inject({ method: 'PUT', url: '/items/plumbus?token=jessica', headers: TOKEN })
  const items = (await instance.inject({ url: '/items/?token=jessica', headers: TOKEN })).json()
  t.strictSame(Object.keys(items.plumbus), ['name', 'updated_at'])
  t.equal(items.plumbus.name, 'The great Plumbus')
  t.match(items.plumbus.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.ok(Date.parse(items.plumbus.updated_at) >= before - 1, 'the time of the update')
  t.strictSame(items.gun, { name: 'Portal Gun' }, 'the other item is untouched')
})

t.test('PUT audits the update in a background task, after the response', async t => {
  const instance = await app(t)
  // What the store holds when the response is about to be sent.
  const atSend: string[][] = []
  instance.addHook('onSend', async request => {
    if (request.method === 'PUT') atSend.push([...(request.state.store as ItemStore).audit])
  })
  const audit = async (): Promise<unknown> => (await instance.inject({ url: '/admin/audit?token=jessica', headers: TOKEN })).json()

  t.strictSame(await audit(), [], 'empty at start')
  const res = await instance.inject({ method: 'PUT', url: '/items/plumbus?token=jessica', headers: TOKEN })
  t.equal(res.statusCode, 200)
  t.strictSame(atSend, [[]], 'not written before the response')
  await tick()
  t.strictSame(await audit(), ['updated plumbus'], 'written after it')

  const forbidden = await instance.inject({ method: 'PUT', url: '/items/bar?token=jessica', headers: TOKEN })
  t.equal(forbidden.statusCode, 403)
  await tick()
  t.strictSame(await audit(), ['updated plumbus'], 'a refused update is not audited')

  await instance.inject({ method: 'PUT', url: '/items/plumbus?token=jessica', headers: TOKEN })
  await tick()
  t.strictSame(await audit(), ['updated plumbus', 'updated plumbus'], 'one line per update, in order')
})

t.test('GET /admin/audit needs the admin router settings: token and X-Token', async t => {
  const instance = await app(t)
  const cases: Array<[string, Record<string, string>, number, unknown]> = [
    ['/admin/audit', TOKEN, 422, NO_TOKEN],
    ['/admin/audit?token=jessica', {}, 422, NO_X_TOKEN],
    ['/admin/audit?token=jessica', INVALID, 400, { detail: 'X-Token header invalid' }]
  ]
  for (const [url, headers, status, body] of cases) {
    const res = await instance.inject({ url, headers })
    t.equal(res.statusCode, status, `${url} ${JSON.stringify(headers)}`)
    t.strictSame(res.json(), body)
  }
})

t.test('GET /items/latest redirects (307) to the item written last, keeping the query string', async t => {
  const instance = await app(t)
  const follow = async (): Promise<{ location: string, item: unknown }> => {
    const res = await instance.inject({ url: '/items/latest?token=jessica', headers: TOKEN })
    t.equal(res.statusCode, 307, 'status')
    t.equal(res.body, '', 'no body')
    const location = String(res.headers.location)
    const next = new URL(location, 'http://localhost/items/latest')
    const item = await instance.inject({ url: next.pathname + next.search, headers: TOKEN })
    t.equal(item.statusCode, 200, `${location} answers`)
    return { location, item: item.json() }
  }
  t.strictSame(await follow(), { location: 'gun?token=jessica', item: { name: 'Portal Gun', item_id: 'gun' } }, 'the seed data\'s last item')
  await instance.inject({ method: 'PUT', url: '/items/plumbus?token=jessica', headers: TOKEN })
  t.strictSame(await follow(), { location: 'plumbus?token=jessica', item: { name: 'The great Plumbus', item_id: 'plumbus' } }, 'after an update')

  const noToken = await instance.inject({ url: '/items/latest', headers: TOKEN })
  t.equal(noToken.statusCode, 422, 'the redirect route has the router and app dependencies too')
  t.strictSame(noToken.json(), NO_TOKEN)
})
