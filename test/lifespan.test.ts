/**
 * The lifespan option: startup before the app is ready, shutdown when it closes, the yielded
 * state copied into every request.
 */
import t from 'tap'
import Fastify from 'fastify'
import fastapi, { Depends, dependency } from '../lib/index.js'
import { checkResponse } from './helper.js'

t.test('setup on ready, teardown on close, state reachable from dependencies and handlers', async t => {
  const log: string[] = []
  const app = Fastify()
  await app.register(fastapi, {
    async * lifespan (instance) {
      log.push(`startup (${String(instance.hasDecorator('api'))})`)
      const pool = { name: 'pool', closed: false }
      yield { pool, hits: 0 }
      pool.closed = true
      log.push('shutdown')
    }
  })
  const db = dependency({}, function (args, request) { return request.state.pool.name as string })
  app.api.get('/', { args: { db: Depends(db) } }, ({ db }, request) => {
    request.state.hits++
    return { db, hits: request.state.hits }
  })
  t.strictSame(log, [], 'nothing runs before ready')
  await app.ready()
  t.strictSame(log, ['startup (true)'])
  checkResponse(t, await app.inject('/'), 200, { db: 'pool', hits: 1 })
  checkResponse(t, await app.inject('/'), 200, { db: 'pool', hits: 1 })
  await app.close()
  t.strictSame(log, ['startup (true)', 'shutdown'])
})

t.test('a failing startup fails ready(); a lifespan that does not yield is refused', async t => {
  const failing = Fastify()
  await failing.register(fastapi, { async * lifespan () { throw new Error('no database') } })
  await t.rejects(async () => { await failing.ready() }, { message: 'no database' })
  const empty = Fastify()

  await empty.register(fastapi, { async * lifespan () {} })
  await t.rejects(async () => { await empty.ready() }, { code: 'FFA_ERR_OPTIONS_INVALID', message: /without yielding/ })
  const notAFunction = Fastify()
  await t.rejects(async () => { await notAFunction.register(fastapi, { lifespan: 'x' as any }) }, { code: 'FFA_ERR_OPTIONS_INVALID' })
})

t.test('a shutdown that yields again is reported by close()', async t => {
  const app = Fastify()
  let finished = false
  await app.register(fastapi, {
    async * lifespan () {
      try { yield {}; yield {} } finally { finished = true }
    }
  })
  await app.ready()
  await t.rejects(app.close(), { message: /yielded more than once/ })
  t.ok(finished, 'forced closed')
})
