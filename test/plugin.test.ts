import t from 'tap'
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify'
import { z } from 'zod'
import fastapi, { Body, Path, Query, errorCodes } from '../lib/index.js'

type Teardown = { teardown: (fn: () => unknown) => void }
/** The part of tap's Test that compareWithPlain uses. */
interface Tap {
  equal: (a: unknown, b: unknown, message: string) => boolean
}

async function withPlugin (t: Teardown, options: Record<string, unknown> = {}) {
  const app = Fastify()
  await app.register(fastapi, options)
  t.teardown(() => app.close())
  return app
}

t.test('registration', async t => {
  t.test('is a fastify-plugin named fastify-fastapi, decorating the root', async t => {
    const app = await withPlugin(t)
    t.ok(app.hasPlugin('fastify-fastapi'))
    t.equal((fastapi as any)[Symbol.for('fastify.display-name')], 'fastify-fastapi')
    t.type(app.api.get, 'function')
    t.type(app.api.route, 'function')
    t.type(app.api.addExceptionHandler, 'function')
  })

  t.test('the default export and the named export are the same plugin', async t => {
    const { fastapi: named } = await import('../lib/index.js')
    t.equal(named, fastapi)
  })

  t.test('an unknown option is FFA_ERR_OPTIONS_INVALID', async t => {
    const app = Fastify()
    t.teardown(() => app.close())
    await t.rejects(async () => { await app.register(fastapi, { errorFromat: 'fastify' } as any) }, {
      code: 'FFA_ERR_OPTIONS_INVALID',
      message: /unknown option "errorFromat"/
    })
  })

  t.test('a bad errorFormat is FFA_ERR_OPTIONS_INVALID', async t => {
    const app = Fastify()
    t.teardown(() => app.close())
    await t.rejects(async () => { await app.register(fastapi, { errorFormat: 'express' } as any) }, {
      code: 'FFA_ERR_OPTIONS_INVALID',
      message: /errorFormat must be 'fastapi' or 'fastify', got "express"/
    })
    t.equal(errorCodes.FFA_ERR_OPTIONS_INVALID.name, 'FastifyError')
  })
})

t.test('app.api', async t => {
  t.test('works on the root', async t => {
    const app = await withPlugin(t)
    app.api.get('/items/:id', { args: { id: Path(z.number().int()) } }, ({ id }) => ({ id }))
    const res = await app.inject({ method: 'GET', url: '/items/7' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { id: 7 })
  })

  t.test('works inside an encapsulated plugin with a prefix, prefix params included', async t => {
    const app = await withPlugin(t)
    await app.register(async v1 => {
      v1.api.get('/items/:id', { args: { id: Path(z.number().int()) } }, ({ id }) => ({ id, version: 1 }))
    }, { prefix: '/v1' })
    await app.register(async tenant => {
      tenant.api.get('/items/:id', {
        args: { tenant: Path(z.string(), { minLength: 2 }), id: Path(z.number().int()) }
      }, ({ tenant, id }) => ({ tenant, id }))
    }, { prefix: '/t/:tenant' })

    let res = await app.inject({ method: 'GET', url: '/v1/items/3' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { id: 3, version: 1 })

    res = await app.inject({ method: 'GET', url: '/t/acme/items/4' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { tenant: 'acme', id: 4 })

    res = await app.inject({ method: 'GET', url: '/t/a/items/x' })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [
        { type: 'string_too_short', loc: ['path', 'tenant'], msg: 'String should have at least 2 characters', input: 'a', ctx: { min_length: 2 } },
        { type: 'int_parsing', loc: ['path', 'id'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'x' }
      ]
    })
  })

  t.test('a prefix param without a Path() argument is a registration error naming the full URL', async t => {
    const app = await withPlugin(t)
    await t.rejects(async () => {
      await app.register(async tenant => {
        tenant.api.get('/items/:id', { args: { id: Path(z.number().int()) } }, ({ id }) => ({ id }))
      }, { prefix: '/t/:tenant' })
    }, { code: 'FFA_ERR_PATH_PARAM_UNDECLARED', message: /GET \/t\/:tenant\/items\/:id.*":tenant"/ })
  })
})

// The same plain Fastify routes, for an app with the plugin and one without.
function plainRoutes (app: FastifyInstance, suffix: string) {
  app.get(`/plain${suffix}`, async () => 'hello')
  app.get(`/plain${suffix}/object`, async () => ({ a: 1, b: [true, null] }))
  app.post(`/plain${suffix}/echo`, async request => request.body)
  app.post(`/plain${suffix}/schema`, {
    schema: {
      body: { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } },
      querystring: { type: 'object', properties: { n: { type: 'integer' } } }
    }
  }, async request => request.body)
  app.post(`/plain${suffix}/small`, { bodyLimit: 10 }, async request => request.body)
  app.get(`/plain${suffix}/boom`, async () => { throw new Error('boom') })
  app.get(`/plain${suffix}/teapot`, async (request, reply) => reply.code(418).send({ custom: true }))
  app.get(`/plain${suffix}/missing`, async (request, reply) => reply.code(404).send({ mine: 'not here' }))
  app.get(`/plain${suffix}/status-error`, async () => {
    throw Object.assign(new Error('Conflict here'), { statusCode: 409 })
  })
}

const PLAIN_REQUESTS: InjectOptions[] = [
  { method: 'GET', url: '' },
  { method: 'GET', url: '/object' },
  { method: 'POST', url: '/echo', payload: { x: 1 } },
  { method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"x": 1,}' },
  { method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '' },
  { method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' },
  { method: 'POST', url: '/echo', headers: { 'content-type': 'application/xml' }, payload: '<x/>' },
  { method: 'POST', url: '/schema', payload: { a: 'not a number' } },
  { method: 'POST', url: '/schema?n=abc', payload: { a: 1 } },
  { method: 'POST', url: '/schema', payload: { a: 2 } },
  { method: 'POST', url: '/small', payload: { long: 'more than ten bytes' } },
  { method: 'GET', url: '/boom' },
  { method: 'GET', url: '/teapot' },
  { method: 'GET', url: '/missing' },
  { method: 'GET', url: '/status-error' }
]

async function compareWithPlain (t: Teardown & Tap, setup: (app: FastifyInstance) => void) {
  const plain = Fastify()
  setup(plain)
  plainRoutes(plain, '/before')
  plainRoutes(plain, '/after')

  const app = Fastify()
  setup(app)
  plainRoutes(app, '/before')
  await app.register(fastapi)
  app.api.post('/api/echo', { args: { x: Body(z.object({ x: z.number() })) } }, ({ x }) => x)
  plainRoutes(app, '/after')
  t.teardown(() => Promise.all([plain.close(), app.close()]))

  for (const suffix of ['/before', '/after']) {
    for (const request of PLAIN_REQUESTS) {
      const options = { ...request, url: `/plain${suffix}${request.url as string}` }
      const expected = await plain.inject(options)
      const res = await app.inject(options)
      const label = `${options.method} ${options.url} ${String(options.payload ?? '')}`
      t.equal(res.statusCode, expected.statusCode, `status of ${label}`)
      t.equal(res.headers['content-type'], expected.headers['content-type'], `content-type of ${label}`)
      t.equal(res.headers['content-length'], expected.headers['content-length'], `content-length of ${label}`)
      t.equal(res.body, expected.body, `body of ${label}`)
    }
  }
}

t.test('plain Fastify routes keep their behaviour byte for byte', async t => {
  t.test("with Fastify's default error handler", async t => {
    await compareWithPlain(t, () => {})
  })

  t.test('with their own error handler', async t => {
    await compareWithPlain(t, app => {
      app.setErrorHandler((error: Error & { code?: string }, request, reply) => {
        reply.code(599).send({ mine: error.message, code: error.code ?? null })
      })
    })
  })

  t.test('the status codes compared are the ones Fastify answers', async t => {
    const app = Fastify()
    plainRoutes(app, '')
    t.teardown(() => app.close())
    const codes = []
    const send = (request: InjectOptions) => app.inject({ ...request, url: `/plain${request.url as string}` })
    for (const request of PLAIN_REQUESTS) codes.push((await send(request)).statusCode)
    t.same(codes, [200, 200, 200, 400, 400, 400, 415, 400, 400, 200, 413, 500, 418, 404, 409])
    const bad = await send(PLAIN_REQUESTS[3])
    t.match(bad.json(), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: /JSON/ })
    const invalid = await send(PLAIN_REQUESTS[7])
    t.match(invalid.json(), { code: 'FST_ERR_VALIDATION', message: 'body/a must be integer' })
  })
})

t.test('handlers', async t => {
  t.test('receive the arguments, request, reply and the instance as this', async t => {
    const app = await withPlugin(t)
    let seen: { self?: unknown, hasReply?: boolean, url?: string } = {}
    let child: FastifyInstance | undefined
    await app.register(async instance => {
      child = instance
      instance.api.get('/who', { args: { q: Query(z.string()) } }, function (args, request, reply) {
        seen = { self: this, hasReply: typeof reply.code === 'function', url: request.url }
        return args
      })
    })
    const res = await app.inject({ method: 'GET', url: '/who?q=x&other=1' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { q: 'x' })
    t.equal(seen.self, child)
    t.equal(seen.hasReply, true)
    t.equal(seen.url, '/who?q=x&other=1')
  })

  t.test('may choose another status code with reply.code()', async t => {
    const app = await withPlugin(t)
    app.api.post('/created', { statusCode: 201 }, (args, request, reply) => {
      reply.code(202)
      return { accepted: true }
    })
    app.api.get('/async', {}, async (args, request, reply) => {
      reply.code(203)
      return { ok: true }
    })
    let res = await app.inject({ method: 'POST', url: '/created' })
    t.equal(res.statusCode, 202)
    t.same(res.json(), { accepted: true })
    res = await app.inject({ method: 'GET', url: '/async' })
    t.equal(res.statusCode, 203)
  })

  t.test('may send the reply themselves', async t => {
    const app = await withPlugin(t)
    app.api.get('/raw', {}, (args, request, reply) => reply.type('text/plain').send('raw text'))
    const res = await app.inject({ method: 'GET', url: '/raw' })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'text/plain')
    t.equal(res.body, 'raw text')
  })

  const values: Array<[string, unknown, string]> = [
    ['a string', 'hello', '"hello"'],
    ['null', null, 'null'],
    ['undefined', undefined, 'null'],
    ['a number', 0, '0'],
    ['false', false, 'false'],
    ['a list', [1, 'a'], '[1,"a"]'],
    ['an object', { a: { b: 1 } }, '{"a":{"b":1}}']
  ]
  for (const [name, value, body] of values) {
    t.test(`returning ${name} answers JSON, sync and async`, async t => {
      const app = await withPlugin(t)
      app.api.get('/sync', {}, () => value)
      app.api.get('/async', {}, async () => value)
      for (const url of ['/sync', '/async']) {
        const res = await app.inject({ method: 'GET', url })
        t.equal(res.statusCode, 200, url)
        t.equal(res.headers['content-type'], 'application/json; charset=utf-8', url)
        t.equal(res.body, body, url)
      }
    })
  }

  t.test('sync and async handlers that throw are both answered by the error handler', async t => {
    const app = await withPlugin(t)
    app.api.get('/sync', {}, () => { throw new Error('sync') })
    app.api.get('/async', {}, async () => { throw new Error('async') })
    for (const url of ['/sync', '/async']) {
      const res = await app.inject({ method: 'GET', url })
      t.equal(res.statusCode, 500)
      t.same(res.json(), { detail: 'Internal Server Error' })
    }
  })
})

t.test('Fastify hooks in the declaration are passed through', async t => {
  const app = await withPlugin(t)
  const calls: string[] = []
  app.api.get('/hooked', {
    args: { q: Query(z.string().optional()) },
    onRequest: async () => { calls.push('onRequest') },
    preHandler: async (request, reply) => {
      calls.push('preHandler')
      reply.header('x-pre', 'yes')
    },
    onSend: async (request, reply, payload) => {
      calls.push('onSend')
      return payload
    },
    config: { mine: 1 } as object
  }, (args, request) => {
    calls.push('handler')
    return { config: (request.routeOptions.config as { mine?: number }).mine }
  })
  app.api.get('/blocked', {
    preHandler: async (request, reply) => reply.code(403).send({ detail: 'blocked by hook' })
  }, () => {
    calls.push('never')
    return {}
  })

  let res = await app.inject({ method: 'GET', url: '/hooked' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-pre'], 'yes')
  t.same(res.json(), { config: 1 })
  t.same(calls, ['onRequest', 'preHandler', 'handler', 'onSend'])

  res = await app.inject({ method: 'GET', url: '/blocked' })
  t.equal(res.statusCode, 403)
  t.same(res.json(), { detail: 'blocked by hook' })
  t.notOk(calls.includes('never'))
})

t.test("errorFormat 'fastify'", async t => {
  t.test("validation errors are Fastify's 400 shape", async t => {
    const app = await withPlugin(t, { errorFormat: 'fastify' })
    app.api.get('/items/:id', { args: { id: Path(z.number().int()), q: Query(z.string(), { minLength: 3 }) } }, args => args)
    const res = await app.inject({ method: 'GET', url: '/items/x?q=ab' })
    t.equal(res.statusCode, 400)
    t.match(res.headers['content-type'], /^application\/json/)
    t.same(Object.keys(res.json()), ['statusCode', 'code', 'error', 'message'])
    t.match(res.json(), {
      statusCode: 400,
      code: 'FST_ERR_VALIDATION',
      error: 'Bad Request',
      message: /path\/id .*integer.*query\/q String should have at least 3 characters/
    })
  })

  t.test('malformed JSON on an app.api route is a Fastify 400 too', async t => {
    const app = await withPlugin(t, { errorFormat: 'fastify' })
    app.api.post('/echo', { args: { body: Body(z.object({ a: z.number() })) } }, ({ body }) => body)
    const res = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a": }' })
    t.equal(res.statusCode, 400)
    t.match(res.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: /JSON decode error/ })
  })

  t.test("an unknown route is Fastify's native 404", async t => {
    const app = await withPlugin(t, { errorFormat: 'fastify' })
    app.api.get('/items', {}, () => [])
    const res = await app.inject({ method: 'POST', url: '/items' })
    t.equal(res.statusCode, 404)
    t.same(res.json(), { message: 'Route POST:/items not found', error: 'Not Found', statusCode: 404 })
  })
})
