/**
 * examples/migration: the bookshop before (plain Fastify) and after adopting fastify-fastapi.
 * Every old request is sent to both apps and must come back the same, byte for byte; the new
 * routes answer FastAPI-style beside them, and /openapi.json documents both kinds.
 */
import t from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildBefore } from '../../examples/migration/before.js'
import { build } from '../../examples/migration/index.js'

type Test = { teardown: (fn: () => unknown) => void }

async function open<T extends FastifyInstance> (t: Test, app: Promise<T>): Promise<T> {
  const instance = await app
  t.teardown(() => instance.close())
  return instance
}

/** What the old clients see: status, the headers that matter and the body bytes. */
async function answer (app: FastifyInstance, request: InjectOptions) {
  const res = await app.inject(request)
  return {
    statusCode: res.statusCode,
    contentType: res.headers['content-type'],
    contentLength: res.headers['content-length'],
    allow: res.headers.allow,
    shopVersion: res.headers['x-shop-version'],
    body: res.rawPayload.toString('hex')
  }
}

const json = { 'content-type': 'application/json' }

// Requests to the old routes whose answers do not depend on errorFormat.
const OLD_REQUESTS: Array<[string, InjectOptions]> = [
  ['list', { method: 'GET', url: '/books' }],
  ['list with a limit', { method: 'GET', url: '/books?limit=1' }],
  ['invalid query → Fastify 400', { method: 'GET', url: '/books?limit=0' }],
  ['one book (the decorator)', { method: 'GET', url: '/books/1' }],
  ['HEAD of a GET route', { method: 'HEAD', url: '/books/1' }],
  ['invalid path → Fastify 400', { method: 'GET', url: '/books/abc' }],
  ['domain error → the app\'s error handler', { method: 'GET', url: '/books/99' }],
  ['create', { method: 'POST', url: '/books', payload: { title: 'Ubik', author: 'Philip K. Dick' } }],
  ['invalid body → Fastify 400', { method: 'POST', url: '/books', payload: { title: '' } }],
  ['missing body field → Fastify 400', { method: 'POST', url: '/books', payload: { author: 'x' } }],
  ['malformed JSON → Fastify 400', { method: 'POST', url: '/books', headers: json, payload: '{"title":' }],
  ['empty JSON body → Fastify 400', { method: 'POST', url: '/books', headers: json, payload: '' }],
  ['unsupported media type → Fastify 415', { method: 'POST', url: '/books', headers: { 'content-type': 'text/xml' }, payload: '<b/>' }]
]

// Requests whose answers depend on errorFormat: 'fastify' keeps Fastify's 404 for unknown
// URLs and for a known path with another method; 'fastapi' (the default) answers
// {"detail":"Not Found"} and 405 with `allow`.
const UNKNOWN: Array<[string, InjectOptions]> = [
  ['unknown URL', { method: 'GET', url: '/nope' }],
  ['known path, other method', { method: 'DELETE', url: '/books/1' }]
]

for (const errorFormat of ['fastapi', 'fastify'] as const) {
  t.test(`errorFormat '${errorFormat}': every old route answers byte for byte as before`, async t => {
    const before = await open(t, buildBefore())
    const after = await open(t, build({}, { errorFormat }))
    for (const [name, request] of OLD_REQUESTS) {
      const expected = await answer(before, request)
      t.equal(expected.shopVersion, '1', `${name}: the hook ran`)
      t.strictSame(await answer(after, request), expected, name)
    }
  })
}

t.test('the answers compared are the ones the old clients depend on', async t => {
  const before = await open(t, buildBefore())
  const bad = await before.inject({ method: 'POST', url: '/books', payload: { title: '' } })
  t.equal(bad.statusCode, 400)
  t.equal(bad.body, '{"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request","message":"body must have required property \'author\'"}')
  const missing = await before.inject({ method: 'GET', url: '/books/99' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.body, '{"error":"book_not_found","message":"No book with id 99"}')
  const book = await before.inject({ method: 'GET', url: '/books/2' })
  t.equal(book.body, '{"id":2,"title":"Solaris","author":"Stanisław Lem"}')
})

t.test("errorFormat 'fastify' keeps Fastify's 404 for unknown URLs", async t => {
  const before = await open(t, buildBefore())
  const after = await open(t, build({}, { errorFormat: 'fastify' }))
  for (const [name, request] of UNKNOWN) {
    const expected = await answer(before, request)
    t.equal(expected.statusCode, 404, name)
    t.strictSame(await answer(after, request), expected, name)
  }
})

t.test("errorFormat 'fastapi' answers unknown URLs as FastAPI: 404 and 405", async t => {
  const after = await open(t, build())
  const notFound = await after.inject({ method: 'GET', url: '/nope' })
  t.equal(notFound.statusCode, 404)
  t.equal(notFound.body, '{"detail":"Not Found"}')
  t.equal(notFound.headers['x-shop-version'], '1', 'the hook runs for the 404 too')
  // The legacy routes are registered after the plugin, so the 405 check knows them.
  const wrongMethod = await after.inject({ method: 'DELETE', url: '/books/1' })
  t.equal(wrongMethod.statusCode, 405)
  t.equal(wrongMethod.headers.allow, 'GET, HEAD')
  t.equal(wrongMethod.body, '{"detail":"Method Not Allowed"}')
})

t.test('the new routes answer FastAPI-style, with the old hook and decorator', async t => {
  const app = await open(t, build())

  const ok = await app.inject({ method: 'GET', url: '/authors/Frank%20Herbert' })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers['x-shop-version'], '1', 'the hook')
  t.equal(ok.body, '{"name":"Frank Herbert","books":[{"id":1,"title":"Dune"}]}', 'books from the decorator, author dropped by the model')

  const invalid = await app.inject({ method: 'GET', url: '/authors/x?limit=0' })
  t.equal(invalid.statusCode, 422)
  t.equal(invalid.headers['x-shop-version'], '1')
  t.same(invalid.json(), {
    detail: [
      { type: 'string_too_short', loc: ['path', 'name'], msg: 'String should have at least 2 characters', input: 'x', ctx: { min_length: 2 } },
      { type: 'greater_than_equal', loc: ['query', 'limit'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } }
    ]
  })

  const unknown = await app.inject({ method: 'GET', url: '/authors/Nobody' })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.body, '{"detail":"Author not found"}', "HTTPException, not the app's error handler")

  const created = await app.inject({ method: 'POST', url: '/authors', payload: { name: 'Ursula K. Le Guin' } })
  t.equal(created.statusCode, 201)
  t.same(created.json(), { name: 'Ursula K. Le Guin', books: [] })

  const missing = await app.inject({ method: 'POST', url: '/authors', payload: {} })
  t.equal(missing.statusCode, 422)
  t.same(missing.json(), { detail: [{ type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: {} }] })

  const malformed = await app.inject({ method: 'POST', url: '/authors', headers: json, payload: '{"name":' })
  t.equal(malformed.statusCode, 422)
  t.match(malformed.json(), { detail: [{ type: 'json_invalid', loc: ['body', 8] }] })
})

t.test("errorFormat 'fastify': the new routes' validation errors are Fastify's 400", async t => {
  const app = await open(t, build({}, { errorFormat: 'fastify' }))
  const res = await app.inject({ method: 'POST', url: '/authors', payload: {} })
  t.equal(res.statusCode, 400)
  t.equal(res.headers['x-shop-version'], '1')
  t.match(res.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: /name/ })
})

t.test('/openapi.json lists the old JSON-schema routes and the new routes', async t => {
  const app = await open(t, build())
  const res = await app.inject('/openapi.json')
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.strictSame(doc.info, { title: 'Bookshop', version: '2.0.0' })
  t.strictSame(Object.keys(doc.paths), ['/authors/{name}', '/authors', '/books', '/books/{id}'])
  t.strictSame(Object.keys(doc.paths['/books']), ['get', 'post'])

  // The old routes as @fastify/swagger renders their JSON schemas.
  t.strictSame(doc.paths['/books/{id}'].get.parameters, [{ schema: { type: 'integer' }, in: 'path', name: 'id', required: true }])
  t.equal(doc.paths['/books/{id}'].get.operationId, 'getBook')
  t.strictSame(doc.paths['/books'].post.requestBody, {
    required: true,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: { title: { type: 'string', minLength: 1 }, author: { type: 'string', minLength: 1 } },
          required: ['title', 'author']
        }
      }
    }
  })
  t.strictSame(Object.keys(doc.paths['/books'].post.responses), ['201'])
  t.equal(doc.paths['/books'].post.responses['201'].description, 'Default Response')
  t.notOk(doc.paths['/books'].post.responses['422'], 'the old routes keep their 400s: no 422 documented')

  // The new routes as FastAPI documents them.
  t.equal(doc.paths['/authors'].post.operationId, 'createAuthor_authors_post')
  t.strictSame(doc.paths['/authors'].post.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/AuthorIn' })
  t.strictSame(doc.paths['/authors'].post.responses['422'].content['application/json'].schema, { $ref: '#/components/schemas/HTTPValidationError' })
  t.equal(doc.paths['/authors/{name}'].get.operationId, 'readAuthor_authors__name__get')
  t.strictSame(Object.keys(doc.components.schemas), ['AuthorIn', 'AuthorOut', 'HTTPValidationError', 'ValidationError'])
})
