import t from 'tap'
import { z } from 'zod'
import { build, logCapture } from './helper.js'
import {
  Body, HTTPException, Query, RequestValidationError, isHTTPException, status
} from '../lib/index.js'

t.test('HTTPException', async t => {
  t.test('the class', async t => {
    const error = new HTTPException(404, 'Item not found', { 'X-Error': 'yes' })
    t.ok(error instanceof Error)
    t.ok(isHTTPException(error))
    t.notOk(isHTTPException(new Error('x')))
    t.equal(error.statusCode, 404)
    t.equal(error.detail, 'Item not found')
    t.equal(error.message, 'Item not found')
    t.same(error.headers, { 'X-Error': 'yes' })
    t.equal(new HTTPException(403).detail, 'Forbidden')
    t.equal(new HTTPException(403, { a: 1 }).message, 'Forbidden')
  })

  const details: Array<[string, unknown]> = [
    ['a string', 'Item not found'],
    ['an object', { code: 'E1', fields: ['a', 'b'], nested: { ok: false } }],
    ['a list', [1, 'two', { three: 3 }]],
    ['a number', 42],
    ['zero', 0],
    ['false', false],
    ['an empty string', '']
  ]
  for (const [name, detail] of details) {
    t.test(`detail may be ${name}`, async t => {
      const app = await build(t)
      app.api.get('/x', {}, () => { throw new HTTPException(409, detail) })
      const res = await app.inject({ method: 'GET', url: '/x' })
      t.equal(res.statusCode, 409)
      t.match(res.headers['content-type'], /^application\/json/)
      t.same(res.json(), { detail })
    })
  }

  t.test('detail null is sent as null', async t => {
    const app = await build(t)
    app.api.get('/x', {}, () => { throw new HTTPException(400, null) })
    const res = await app.inject({ method: 'GET', url: '/x' })
    t.equal(res.statusCode, 400)
    t.equal(res.body, '{"detail":null}')
  })

  const phrases: Array<[number, string]> = [
    [400, 'Bad Request'], [401, 'Unauthorized'], [403, 'Forbidden'], [404, 'Not Found'],
    [418, "I'm a Teapot"], [429, 'Too Many Requests'], [500, 'Internal Server Error'], [503, 'Service Unavailable']
  ]
  for (const [code, phrase] of phrases) {
    t.test(`the default detail of ${code} is "${phrase}"`, async t => {
      const app = await build(t)
      app.api.get('/x', {}, async () => { throw new HTTPException(code) })
      const res = await app.inject({ method: 'GET', url: '/x' })
      t.equal(res.statusCode, code)
      t.same(res.json(), { detail: phrase })
    })
  }

  t.test('headers are added to the response', async t => {
    const app = await build(t)
    app.api.get('/x', {}, () => {
      throw new HTTPException(status.HTTP_401_UNAUTHORIZED, 'Not authenticated', { 'WWW-Authenticate': 'Bearer', 'X-Extra': 'one' })
    })
    const res = await app.inject({ method: 'GET', url: '/x' })
    t.equal(res.statusCode, 401)
    t.equal(res.headers['www-authenticate'], 'Bearer')
    t.equal(res.headers['x-extra'], 'one')
    t.same(res.json(), { detail: 'Not authenticated' })
  })

  for (const code of [204, 304]) {
    t.test(`${code} carries no body`, async t => {
      const app = await build(t)
      app.api.get('/x', {}, () => { throw new HTTPException(code, 'ignored', { etag: '"v1"' }) })
      const res = await app.inject({ method: 'GET', url: '/x' })
      t.equal(res.statusCode, code)
      t.equal(res.body, '')
      t.equal(res.headers.etag, '"v1"')
    })
  }

  t.test('thrown from an async handler after an await', async t => {
    const app = await build(t)
    app.api.get('/x', {}, async () => {
      await new Promise(resolve => setImmediate(resolve))
      throw new HTTPException(404, 'late')
    })
    const res = await app.inject({ method: 'GET', url: '/x' })
    t.equal(res.statusCode, 404)
    t.same(res.json(), { detail: 'late' })
  })
})

t.test('exception handlers', async t => {
  class AppError extends Error {
    constructor (readonly code: string) { super(code) }
  }
  class NotFoundError extends AppError {}

  t.test('a handler for a custom class answers it and its subclasses', async t => {
    const app = await build(t)
    app.api.addExceptionHandler(AppError, function (error, request, reply) {
      t.equal(this, app)
      return reply.code(409).send({ message: `oops: ${error.code}`, url: request.url })
    })
    app.api.get('/app', {}, () => { throw new AppError('app') })
    app.api.get('/sub', {}, async () => { throw new NotFoundError('sub') })
    app.api.get('/other', {}, () => { throw new TypeError('other') })

    let res = await app.inject({ method: 'GET', url: '/app' })
    t.equal(res.statusCode, 409)
    t.same(res.json(), { message: 'oops: app', url: '/app' })
    res = await app.inject({ method: 'GET', url: '/sub' })
    t.equal(res.statusCode, 409)
    t.same(res.json(), { message: 'oops: sub', url: '/sub' })
    res = await app.inject({ method: 'GET', url: '/other' })
    t.equal(res.statusCode, 500)
    t.same(res.json(), { detail: 'Internal Server Error' })
  })

  t.test('the nearest class wins', async t => {
    const app = await build(t)
    app.api.addExceptionHandler(AppError, (exc, request, reply) => reply.code(400).send({ by: 'AppError' }))
    app.api.addExceptionHandler(NotFoundError, (exc, request, reply) => reply.code(404).send({ by: 'NotFoundError' }))
    app.api.get('/app', {}, () => { throw new AppError('a') })
    app.api.get('/sub', {}, () => { throw new NotFoundError('b') })
    t.same((await app.inject({ method: 'GET', url: '/app' })).json(), { by: 'AppError' })
    const res = await app.inject({ method: 'GET', url: '/sub' })
    t.equal(res.statusCode, 404)
    t.same(res.json(), { by: 'NotFoundError' })
  })

  t.test('a handler may replace the answer to HTTPException', async t => {
    const app = await build(t)
    app.api.addExceptionHandler(HTTPException, (error, request, reply) =>
      reply.code(error.statusCode).send({ error: error.detail, wrapped: true }))
    app.api.get('/x', {}, () => { throw new HTTPException(418, 'tea') })
    const res = await app.inject({ method: 'GET', url: '/x' })
    t.equal(res.statusCode, 418)
    t.same(res.json(), { error: 'tea', wrapped: true })
  })

  t.test('a handler may replace the 422 for RequestValidationError', async t => {
    const app = await build(t)
    app.api.addExceptionHandler(RequestValidationError, (error, request, reply) =>
      reply.code(400).send({ problems: error.errors().map(item => item.loc.join('.')), body: error.body }))
    app.api.post('/x', { args: { q: Query(z.number()), item: Body(z.object({ name: z.string() })) } }, args => args)
    const res = await app.inject({ method: 'POST', url: '/x?q=abc', payload: { name: 1 } })
    t.equal(res.statusCode, 400)
    t.same(res.json(), { problems: ['query.q', 'body.name'], body: { name: 1 } })
  })

  t.test('a handler registered on the root applies to routes of child plugins', async t => {
    const app = await build(t)
    app.api.addExceptionHandler(AppError, (error, request, reply) => reply.code(400).send({ handled: error.code }))
    await app.register(async child => {
      child.api.get('/x', {}, () => { throw new AppError('child') })
    }, { prefix: '/v1' })
    const res = await app.inject({ method: 'GET', url: '/v1/x' })
    t.equal(res.statusCode, 400)
    t.same(res.json(), { handled: 'child' })
  })

  t.test('plain Fastify routes never reach app.api exception handlers', async t => {
    const app = await build(t)
    app.api.addExceptionHandler(AppError, (exc, request, reply) => reply.code(400).send({ handled: true }))
    app.get('/plain', async () => { throw new AppError('plain') })
    const res = await app.inject({ method: 'GET', url: '/plain' })
    t.equal(res.statusCode, 500)
    t.same(res.json(), { statusCode: 500, code: 'plain', error: 'Internal Server Error', message: 'plain' })
  })
})

t.test('an unhandled error is a 500 that says nothing about it, and is logged', async t => {
  for (const mode of ['sync', 'async'] as const) {
    t.test(mode, async t => {
      const logs = logCapture()
      const app = await build(t, {}, { logger: { level: 'info', stream: logs.stream } })
      const handler = () => { throw new Error('db password is hunter2 at /srv/secret.ts') }
      app.api.get('/boom', {}, mode === 'sync' ? handler : async () => handler())
      const res = await app.inject({ method: 'GET', url: '/boom' })
      t.equal(res.statusCode, 500)
      t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
      t.equal(res.body, '{"detail":"Internal Server Error"}')
      t.notMatch(res.body, 'hunter2')
      t.notMatch(res.body, 'stack')

      const errors = logs.lines.filter(line => line.level === 50)
      t.equal(errors.length, 1)
      t.match(errors[0], { err: { message: /hunter2/, stack: /Error: db password/ } })
    })
  }

  t.test('an error with a 5xx statusCode is 500 too, its message not sent', async t => {
    const app = await build(t)
    app.api.get('/boom', {}, () => { throw Object.assign(new Error('upstream detail'), { statusCode: 502 }) })
    const res = await app.inject({ method: 'GET', url: '/boom' })
    t.equal(res.statusCode, 500)
    t.same(res.json(), { detail: 'Internal Server Error' })
  })

  for (const [name, thrown] of [['a string', 'a string with internals'], ['a number', 42]] as const) {
    t.test(`${name} thrown instead of an Error is a 500 too, and logged`, async t => {
      const logs = logCapture()
      const app = await build(t, {}, { logger: { stream: logs.stream } })
      app.api.get('/sync', {}, () => { throw thrown })
      app.api.get('/async', {}, async () => { throw thrown })
      for (const url of ['/sync', '/async']) {
        const res = await app.inject({ method: 'GET', url })
        t.equal(res.statusCode, 500, url)
        t.equal(res.body, '{"detail":"Internal Server Error"}', url)
      }
      t.equal(logs.lines.filter(line => line.level === 50).length, 2)
    })
  }
})

t.test("Fastify's own 4xx errors on app.api routes are FastAPI-shaped", async t => {
  t.test('413 when the body is larger than bodyLimit', async t => {
    const app = await build(t)
    app.api.post('/small', { bodyLimit: 10, args: { body: Body(z.object({ a: z.string() })) } }, ({ body }) => body)
    const res = await app.inject({ method: 'POST', url: '/small', payload: { a: 'more than ten bytes' } })
    t.equal(res.statusCode, 413)
    t.same(res.json(), { detail: 'Payload Too Large' })
  })

  t.test('415 for a content type without a parser', async t => {
    const app = await build(t)
    app.api.post('/json', { args: { body: Body(z.object({ a: z.string() })) } }, ({ body }) => body)
    const res = await app.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'application/xml' }, payload: '<a/>' })
    t.equal(res.statusCode, 415)
    t.same(res.json(), { detail: 'Unsupported Media Type' })
  })

  t.test('a 4xx thrown by a hook keeps its status with the reason phrase', async t => {
    const app = await build(t)
    app.api.get('/hooked', {
      onRequest: async () => { throw Object.assign(new Error('internal words'), { statusCode: 403 }) }
    }, () => ({}))
    const res = await app.inject({ method: 'GET', url: '/hooked' })
    t.equal(res.statusCode, 403)
    t.same(res.json(), { detail: 'Forbidden' })
  })
})
