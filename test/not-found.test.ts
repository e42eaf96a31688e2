import t from 'tap'
import Fastify, { type FastifyServerOptions, type HTTPMethods } from 'fastify'
import { z } from 'zod'
import fastapi, { Path } from '../lib/index.js'

async function build (t: { teardown: (fn: () => unknown) => void }, options: FastifyServerOptions = {}) {
  const app = Fastify(options)
  await app.register(fastapi)
  app.api.get('/items', {}, () => [])
  app.api.get('/items/:id', { args: { id: Path(z.number().int()) } }, ({ id }) => ({ id }))
  app.api.post('/users', {}, () => ({}))
  app.api.route(['PUT', 'PATCH'], '/users/:name', { args: { name: Path(z.string()) } }, ({ name }) => ({ name }))
  t.teardown(() => app.close())
  return app
}

const NOT_FOUND = { detail: 'Not Found' }
const NOT_ALLOWED = { detail: 'Method Not Allowed' }

t.test('an unknown path is 404 {"detail":"Not Found"}', async t => {
  const app = await build(t)
  for (const [method, url] of [['GET', '/nope'], ['POST', '/nope'], ['GET', '/items/1/more'], ['DELETE', '/']] as const) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, 404, `${method} ${url}`)
    t.match(res.headers['content-type'], /^application\/json/)
    t.same(res.json(), NOT_FOUND)
    t.equal(res.headers.allow, undefined)
  }
})

t.test('a malformed JSON body to an unknown path or method is still its 404 or 405: Starlette never reads it', async t => {
  const app = await build(t)
  const json = { 'content-type': 'application/json' }
  for (const [method, url, status, body] of [['POST', '/nope', 404, NOT_FOUND], ['DELETE', '/users', 405, NOT_ALLOWED]] as const) {
    const res = await app.inject({ method, url, headers: json, payload: '{"a":' })
    t.equal(res.statusCode, status, `${method} ${url}`)
    t.same(res.json(), body)
  }
  // errorFormat 'fastify' keeps Fastify's answer: the body is parsed first.
  const plain = Fastify()
  await plain.register(fastapi, { errorFormat: 'fastify' })
  t.teardown(() => plain.close())
  const res = await plain.inject({ method: 'POST', url: '/nope', headers: json, payload: '{"a":' })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'FST_ERR_CTP_INVALID_JSON_BODY')
})

t.test('a known path with another method is 405 with allow', async t => {
  const cases: Array<{ method: HTTPMethods, url: string, allow: string }> = [
    { method: 'POST', url: '/items', allow: 'GET, HEAD' },
    { method: 'DELETE', url: '/items', allow: 'GET, HEAD' },
    { method: 'GET', url: '/users', allow: 'POST' },
    { method: 'DELETE', url: '/items/3', allow: 'GET, HEAD' },
    // A value the path parameter's schema would refuse still names a known path.
    { method: 'DELETE', url: '/items/abc', allow: 'GET, HEAD' },
    { method: 'GET', url: '/users/bob', allow: 'PUT, PATCH' }
  ]
  const app = await build(t)
  for (const c of cases) {
    const res = await app.inject({ method: c.method, url: c.url })
    t.equal(res.statusCode, 405, `${c.method} ${c.url}`)
    t.equal(res.headers.allow, c.allow)
    t.same(res.json(), NOT_ALLOWED)
  }
})

t.test('the query string is not part of the path', async t => {
  const app = await build(t)
  let res = await app.inject({ method: 'DELETE', url: '/items/3?x=1&y=/items' })
  t.equal(res.statusCode, 405)
  t.equal(res.headers.allow, 'GET, HEAD')
  res = await app.inject({ method: 'GET', url: '/nope?to=/items' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), NOT_FOUND)
})

t.test('the allowed methods still answer', async t => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/items/3' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { id: 3 })
  const head = await app.inject({ method: 'HEAD', url: '/items/3' })
  t.equal(head.statusCode, 200)
})

t.test('trailing slash', async t => {
  t.test('by default /items/3/ is another path: a redirect to /items/3 for every method', async t => {
    const app = await build(t)
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await app.inject({ method, url: '/items/3/' })
      t.equal(res.statusCode, 307, method)
      t.equal(res.headers.location, 'http://localhost:80/items/3')
    }
  })

  const variants: Array<[string, FastifyServerOptions]> = [
    ['routerOptions.ignoreTrailingSlash', { routerOptions: { ignoreTrailingSlash: true } }],
    ['ignoreTrailingSlash (top level)', { ignoreTrailingSlash: true }]
  ]
  for (const [name, options] of variants) {
    t.test(`with ${name} /items/3/ is /items/3: 405 for another method`, async t => {
      const app = await build(t, options)
      const ok = await app.inject({ method: 'GET', url: '/items/3/' })
      t.equal(ok.statusCode, 200)
      const res = await app.inject({ method: 'DELETE', url: '/items/3/?q=1' })
      t.equal(res.statusCode, 405)
      t.equal(res.headers.allow, 'GET, HEAD')
      t.same(res.json(), NOT_ALLOWED)
    })
  }
})

t.test('routes in an encapsulated plugin with a prefix are known too', async t => {
  const app = Fastify()
  await app.register(fastapi)
  await app.register(async child => {
    child.api.get('/things/:id', { args: { id: Path(z.string()) } }, ({ id }) => ({ id }))
  }, { prefix: '/v1' })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: '/v1/things/a' })
  t.equal(res.statusCode, 405)
  t.equal(res.headers.allow, 'GET, HEAD')
  const missing = await app.inject({ method: 'GET', url: '/things/a' })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), NOT_FOUND)
})

t.test('plain Fastify routes declared after the plugin get 405 too', async t => {
  const app = Fastify()
  await app.register(fastapi)
  app.get('/plain', async () => 'x')
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: '/plain' })
  t.equal(res.statusCode, 405)
  t.equal(res.headers.allow, 'GET, HEAD')
})

t.test("errorFormat 'fastify' keeps Fastify's own 404, byte for byte", async t => {
  const plain = Fastify()
  plain.get('/items', async () => [])
  const app = Fastify()
  await app.register(fastapi, { errorFormat: 'fastify' })
  app.api.get('/items', {}, () => [])
  t.teardown(() => Promise.all([plain.close(), app.close()]))
  for (const [method, url] of [['GET', '/nope'], ['DELETE', '/items']] as const) {
    const expected = await plain.inject({ method, url })
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, 404)
    t.equal(res.statusCode, expected.statusCode)
    t.equal(res.headers['content-type'], expected.headers['content-type'])
    t.equal(res.body, expected.body)
    t.match(res.json(), { statusCode: 404, error: 'Not Found', message: `Route ${method}:${url} not found` })
  }
})

t.test('redirectSlashes: the other spelling of a declared path answers 307 to it, as FastAPI', async t => {
  const app = Fastify()
  await app.register(fastapi)
  app.api.get('/items', {}, () => [])
  app.api.post('/folders/', {}, () => ({}))
  app.api.get('/items/:id', { args: { id: Path(z.number().int()) } }, ({ id }) => ({ id }))
  app.get('/plain', async () => 'plain')
  t.teardown(() => app.close())

  const cases: Array<{ method: HTTPMethods, url: string, location: string }> = [
    { method: 'GET', url: '/items/', location: 'http://example.com/items' },
    { method: 'GET', url: '/items///', location: 'http://example.com/items' },
    { method: 'GET', url: '/items/?skip=1&x=/y', location: 'http://example.com/items?skip=1&x=/y' },
    { method: 'POST', url: '/folders', location: 'http://example.com/folders/' },
    { method: 'GET', url: '/items/3/', location: 'http://example.com/items/3' },
    // Starlette redirects whatever the method at the target: that answer is then a 405.
    { method: 'DELETE', url: '/items/', location: 'http://example.com/items' },
    // Plain Fastify routes declared after the plugin are the app's routes too.
    { method: 'GET', url: '/plain/', location: 'http://example.com/plain' }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: c.method, url: c.url, headers: { host: 'example.com' } })
    t.equal(res.statusCode, 307, `${c.method} ${c.url}`)
    t.equal(res.headers.location, c.location)
    t.equal(res.body, '')
    t.equal(res.headers['content-type'], undefined)
  }
  // The method is kept (307) and the redirect leads to the route.
  const follow = await app.inject({ method: 'POST', url: new URL((await app.inject({ method: 'POST', url: '/folders' })).headers.location as string).pathname })
  t.equal(follow.statusCode, 200)

  for (const url of ['/', '/nope/', '/items/3/more/', '/items/x/y']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), NOT_FOUND)
  }
  // A known path with another method is still a 405, never a redirect.
  const res = await app.inject({ method: 'PUT', url: '/items' })
  t.equal(res.statusCode, 405)
})

t.test('redirectSlashes: a route that matched and passed the request on (callNotFound) is a 404, not a redirect', async t => {
  const app = Fastify()
  await app.register(fastapi)
  // As @fastify/static's wildcard does for a missing file: `/files/a.txt/` would match it too.
  app.get('/files/*', async (request, reply) => reply.callNotFound())
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/files/a.txt' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), NOT_FOUND)
})

t.test('redirectSlashes: false keeps the 404; a bad value is refused', async t => {
  const app = Fastify()
  await app.register(fastapi, { redirectSlashes: false })
  app.api.get('/items', {}, () => [])
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/items/' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), NOT_FOUND)

  const bad = Fastify()
  t.teardown(() => bad.close())
  await t.rejects(async () => { await bad.register(fastapi, { redirectSlashes: 'yes' as unknown as boolean }) }, { code: 'FFA_ERR_OPTIONS_INVALID', message: /redirectSlashes must be true or false, got "yes"/ })
})

t.test('redirectSlashes does nothing under errorFormat fastify or ignoreTrailingSlash', async t => {
  const fastifyFormat = Fastify()
  await fastifyFormat.register(fastapi, { errorFormat: 'fastify' })
  fastifyFormat.api.get('/items', {}, () => [])
  t.teardown(() => fastifyFormat.close())
  let res = await fastifyFormat.inject({ method: 'GET', url: '/items/' })
  t.equal(res.statusCode, 404)
  t.equal(res.json().message, 'Route GET:/items/ not found')

  const ignoring = Fastify({ routerOptions: { ignoreTrailingSlash: true } })
  await ignoring.register(fastapi)
  ignoring.api.get('/items', {}, () => ['x'])
  t.teardown(() => ignoring.close())
  res = await ignoring.inject({ method: 'GET', url: '/items/' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), ['x'])
})

t.test('an empty path parameter is no match, as Starlette: 404, or the redirect', async t => {
  const app = Fastify()
  await app.register(fastapi)
  app.api.get('/items', {}, () => [])
  app.api.get('/items/:id', { args: { id: Path(z.string()) } }, ({ id }) => ({ id }))
  app.api.get('/users/:name/books', { args: { name: Path(z.string()) } }, ({ name }) => ({ name }))
  t.teardown(() => app.close())
  let res = await app.inject({ method: 'GET', url: '/items/', headers: { host: 'h' } })
  t.equal(res.statusCode, 307)
  t.equal(res.headers.location, 'http://h/items')
  res = await app.inject({ method: 'DELETE', url: '/items/', headers: { host: 'h' } })
  t.equal(res.statusCode, 307)
  res = await app.inject({ method: 'GET', url: '/users//books' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), NOT_FOUND)
  res = await app.inject({ method: 'GET', url: '/items/a' })
  t.same(res.json(), { id: 'a' })
})
