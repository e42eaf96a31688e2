/**
 * frameworkErrors (issue 6): the errors Fastify's router raises before any route runs, answered
 * in FastAPI's shape when the app passes `Fastify({ frameworkErrors })`; Fastify's shape without.
 */
import type { IncomingMessage } from 'node:http'
import t from 'tap'
import Fastify, { errorCodes as fastifyErrors, type FastifyError } from 'fastify'
import { z } from 'zod'
import fastapi, { Path, frameworkErrors } from '../lib/index.js'
import { build, checkResponse, logCapture } from './helper.js'

t.test('a path with a %-escape the router cannot decode: 400 {"detail":"Bad Request"}', async t => {
  const app = await build(t, {}, { frameworkErrors })
  let calls = 0
  app.api.get('/items/:itemId', { args: { itemId: Path(z.string()) } }, args => { calls++; return args })
  // uvicorn decodes the path with U+FFFD (or keeps a bad escape as is) and routes it; find-my-way
  // refuses the URL before routing, so no route can be chosen: 400, the request's fault.
  for (const url of ['/items/%FF', '/items/%zz', '/items/%', '/items/%ED%A0%80', '/items/%C0%AF', '/nowhere/%FF']) {
    const res = await app.inject({ url })
    t.test(url, async t => {
      checkResponse(t, res, 400, { detail: 'Bad Request' })
      t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
    })
  }
  t.equal(calls, 0, 'no handler ran')
  checkResponse(t, await app.inject({ url: '/items/%C3%A9%2Fx' }), 200, { itemId: 'é/x' })
})

t.test('a path parameter over maxParamLength: 414 {"detail":"URI Too Long"}', async t => {
  const app = await build(t, {}, { frameworkErrors })
  app.api.get('/items/:itemId', { args: { itemId: Path(z.string()) } }, ({ itemId }) => ({ length: itemId.length }))
  checkResponse(t, await app.inject({ url: `/items/${'a'.repeat(101)}` }), 414, { detail: 'URI Too Long' })
  checkResponse(t, await app.inject({ url: `/items/${'a'.repeat(100)}` }), 200, { length: 100 })
})

t.test('an async constraint that fails: a logged 500 {"detail":"Internal Server Error"}', async t => {
  const capture = logCapture()
  const app = Fastify({ frameworkErrors, logger: { stream: capture.stream } })
  t.teardown(() => app.close())
  await app.register(fastapi)
  app.addConstraintStrategy({
    name: 'tenant',
    storage () {
      const handlers = new Map<string, unknown>()
      return { get: (value: string) => handlers.get(value) ?? null, set: (value: string, store: unknown) => { handlers.set(value, store) } }
    },
    deriveConstraint (request: IncomingMessage, ctx: unknown, done: (err: Error | null, value?: string) => void) {
      if (request.headers['x-tenant'] === 'broken') done(new Error('tenant lookup failed'))
      else done(null, String(request.headers['x-tenant']))
    }
  } as unknown as Parameters<typeof app.addConstraintStrategy>[0])
  app.route({ method: 'GET', url: '/t', constraints: { tenant: 'a' }, handler: async () => ({ tenant: 'a' }) })
  checkResponse(t, await app.inject({ url: '/t', headers: { 'x-tenant': 'a' } }), 200, { tenant: 'a' })
  capture.lines.length = 0
  checkResponse(t, await app.inject({ url: '/t', headers: { 'x-tenant': 'broken' } }), 500, { detail: 'Internal Server Error' })
  const errors = capture.lines.filter(line => line.level >= 50)
  t.equal(errors.length, 1, 'logged once, at error level')
  t.equal(errors[0]?.err?.code, 'FST_ERR_ASYNC_CONSTRAINT')
})

t.test('any other error Fastify may pass: a 4xx keeps its status and reason, anything else is a 500', async t => {
  const capture = logCapture()
  const app = Fastify({ logger: { stream: capture.stream } })
  t.teardown(() => app.close())
  const teapot = Object.assign(new Error('short and stout'), { code: 'FST_ERR_FUTURE', statusCode: 418 }) as FastifyError
  const odd = Object.assign(new Error('odd'), { code: 'FST_ERR_ODD', statusCode: 302 }) as FastifyError
  app.get('/teapot', (request, reply) => frameworkErrors(teapot, request, reply))
  app.get('/odd', (request, reply) => frameworkErrors(odd, request, reply))
  checkResponse(t, await app.inject({ url: '/teapot' }), 418, { detail: 'I\'m a Teapot' })
  t.notOk(capture.lines.some(line => line.level >= 50), 'a 4xx is not logged as an error')
  checkResponse(t, await app.inject({ url: '/odd' }), 500, { detail: 'Internal Server Error' })
  t.ok(capture.lines.some(line => line.level >= 50 && line.err?.code === 'FST_ERR_ODD'), 'a 500 is logged')
})

t.test('without the option, Fastify\'s own shape is kept', async t => {
  const app = await build(t)
  app.api.get('/items/:itemId', { args: { itemId: Path(z.string()) } }, args => args)
  checkResponse(t, await app.inject({ url: '/items/%FF' }), 400, {
    error: 'Bad Request', code: 'FST_ERR_BAD_URL', message: '\'/items/%FF\' is not a valid url component', statusCode: 400
  })
  t.equal(fastifyErrors.FST_ERR_BAD_URL.name, 'FastifyError')
})
