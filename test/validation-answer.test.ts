/**
 * How a 422 is answered: by the route's handler itself when nothing could see the error (no
 * exception handler, no onError hook), through Fastify's error path otherwise. Both must send the
 * same bytes, and whatever observes errors must still see every RequestValidationError.
 */
import diagnostics from 'node:diagnostics_channel'
import t, { type Test } from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { z } from 'zod'
import fastapi, { Body, Depends, Query, RequestValidationError, dependency, type ErrorFormat } from '../lib/index.js'

const page = dependency({ limit: Query(z.number().int(), { le: 100 }) }, ({ limit }) => limit)

function declare (app: FastifyInstance): void {
  app.api.post('/items', { args: { item: Body(z.object({ name: z.string().min(3), price: z.number() })), q: Query(z.number().int().optional()) } }, args => args)
  app.api.get('/pages', { args: { limit: Depends(page) } }, args => args)
}

const REQUESTS = [
  { method: 'POST' as const, url: '/items?q=x', payload: { name: 'ab' } },
  { method: 'POST' as const, url: '/items', payload: { name: 'abc', price: 'free' } },
  { method: 'GET' as const, url: '/pages?limit=1000' },
  { method: 'GET' as const, url: '/pages' }
]

async function appWith (t: Test, errorFormat: ErrorFormat, observe?: (app: FastifyInstance, seen: unknown[]) => void) {
  const app = Fastify()
  const seen: unknown[] = []
  await app.register(fastapi, { errorFormat })
  observe?.(app, seen)
  declare(app)
  await app.ready()
  t.teardown(() => app.close())
  return { app, seen }
}

for (const errorFormat of ['fastapi', 'fastify'] as const) {
  t.test(`errorFormat ${errorFormat}: the same answer whether or not an onError hook watches`, async t => {
    const quiet = await appWith(t, errorFormat)
    const watched = await appWith(t, errorFormat, (app, seen) => app.addHook('onError', async (request, reply, error) => { seen.push(error) }))
    for (const request of REQUESTS) {
      const a = await quiet.app.inject(request)
      const b = await watched.app.inject(request)
      t.equal(a.statusCode, errorFormat === 'fastapi' ? 422 : 400, `${request.method} ${request.url}`)
      t.equal(a.statusCode, b.statusCode)
      t.equal(a.headers['content-type'], 'application/json; charset=utf-8')
      t.equal(a.headers['content-type'], b.headers['content-type'])
      t.equal(a.headers['content-length'], b.headers['content-length'])
      t.equal(a.body, b.body)
    }
    // The hook saw each error, with its items.
    t.equal(watched.seen.length, REQUESTS.length)
    t.ok(watched.seen.every(error => error instanceof RequestValidationError && error.errors().length > 0))
  })
}

t.test('unobserved, the 422 is no thrown error: Fastify\'s handler channel reports none', async t => {
  const thrown: unknown[] = []
  const onError = (message: any) => { thrown.push(message.error) }
  diagnostics.subscribe('tracing:fastify.request.handler:error', onError)
  t.teardown(() => diagnostics.unsubscribe('tracing:fastify.request.handler:error', onError))
  const quiet = await appWith(t, 'fastapi')
  for (const request of REQUESTS) t.equal((await quiet.app.inject(request)).statusCode, 422)
  t.equal(thrown.length, 0, 'answered by the handler')
  // The channel does report the errors that do go through Fastify's path.
  const watched = await appWith(t, 'fastapi', app => app.addHook('onError', async () => {}))
  for (const request of REQUESTS) await watched.app.inject(request)
  t.equal(thrown.length, REQUESTS.length, 'thrown when a hook watches')
})

t.test('preSerialization hooks and the reply serializer see the 422 body either way', async t => {
  const observe = (hooked: boolean) => (app: FastifyInstance, seen: unknown[]) => {
    if (hooked) app.addHook('onError', async () => {})
    app.addHook('preSerialization', async (request, reply, payload) => {
      seen.push(payload)
      return { wrapped: payload }
    })
    app.setReplySerializer(payload => `${JSON.stringify(payload)}\n`)
  }
  const quiet = await appWith(t, 'fastapi', observe(false))
  const watched = await appWith(t, 'fastapi', observe(true))
  const a = await quiet.app.inject(REQUESTS[2])
  const b = await watched.app.inject(REQUESTS[2])
  t.equal(a.statusCode, 422)
  t.equal(a.body, b.body)
  t.match(a.body, /^\{"wrapped":\{"detail":\[\{"type":"less_than_equal".*\n$/)
  t.same(quiet.seen, watched.seen, 'the hook saw the same body')
  t.equal(quiet.seen.length, 1)
})

t.test('an onError hook of the route, or of an encapsulating plugin, sees the error', async t => {
  const app = Fastify()
  const seen: string[] = []
  await app.register(fastapi)
  app.api.get('/own', { args: { n: Query(z.number()) }, onError: async (request, reply, error) => { seen.push(`own ${error.name}`) } }, args => args)
  await app.register(async child => {
    child.addHook('onError', async (request, reply, error) => { seen.push(`plugin ${error.name}`) })
    child.api.get('/child', { args: { n: Query(z.number()) } }, args => args)
  })
  app.api.get('/none', { args: { n: Query(z.number()) } }, args => args)
  t.teardown(() => app.close())
  for (const url of ['/own', '/child', '/none']) t.equal((await app.inject(url)).statusCode, 422, url)
  t.same(seen, ['own RequestValidationError', 'plugin RequestValidationError'])
})

t.test('an exception handler for RequestValidationError, or for a parent class, still gets the error', async t => {
  for (const errorClass of [RequestValidationError, Error] as Array<new (...args: any[]) => Error>) {
    const app = Fastify()
    await app.register(fastapi)
    declare(app)
    // Registered after the first 422 was answered directly: from then on the handler gets them.
    t.equal((await app.inject(REQUESTS[0])).statusCode, 422)
    app.api.addExceptionHandler(errorClass, (error, request, reply) =>
      reply.code(400).send({ errors: (error as RequestValidationError).errors().length }))
    for (const request of REQUESTS) {
      const res = await app.inject(request)
      t.equal(res.statusCode, 400, `${errorClass.name}: ${request.method} ${request.url}`)
      t.same(res.json(), { errors: request.url === '/items?q=x' ? 3 : 1 })
    }
    await app.close()
  }
})
