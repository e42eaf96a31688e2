/**
 * BackgroundTasks: queued by handlers and dependencies, run after the response in order, before
 * the dependencies' teardown; a failing task is logged and harms nothing else.
 */
import t from 'tap'
import { z } from 'zod'
import { BackgroundTasks, Depends, HTTPException, Query, dependency } from '../lib/index.js'
import { build, checkResponse, logCapture } from './helper.js'

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

t.test('tasks run after the response is sent, in order, with their arguments', async t => {
  const app = await build(t)
  const log: string[] = []
  app.api.post('/send', { args: { to: Query(z.string()), tasks: BackgroundTasks() } }, function send ({ to, tasks }, request, reply) {
    tasks.add((address: string, subject: string) => { log.push(`mail ${address} ${subject} (sent: ${String(reply.raw.writableEnded)})`) }, to, 'hello')
    tasks.add(async (n: number) => { await tick(); log.push(`async ${n}`) }, 2)
    log.push('handler')
    return { queued: 2 }
  })
  checkResponse(t, await app.inject({ method: 'POST', url: '/send?to=a@b.c' }), 200, { queued: 2 })
  await tick()
  await tick()
  t.strictSame(log, ['handler', 'mail a@b.c hello (sent: true)', 'async 2'])
})

t.test('a dependency and the route share one queue; tasks run before the teardown', async t => {
  const app = await build(t)
  const log: string[] = []
  const session = dependency({ tasks: BackgroundTasks() }, function * session ({ tasks }) {
    tasks.add(() => log.push('task from dependency'))
    try { yield 'db' } finally { log.push('teardown') }
  })
  app.api.get('/', { args: { db: Depends(session), tasks: BackgroundTasks() } }, ({ db, tasks }) => {
    tasks.add(() => log.push(`task from handler using ${db}`))
    return 'ok'
  })
  checkResponse(t, await app.inject('/'), 200, 'ok')
  await tick()
  await tick()
  t.strictSame(log, ['task from dependency', 'task from handler using db', 'teardown'])
})

t.test('a failing task is logged with the route; the next tasks do not run; nothing else is harmed', async t => {
  const capture = logCapture()
  const app = await build(t, {}, { logger: { stream: capture.stream } })
  const log: string[] = []
  app.api.get('/work', { args: { tasks: BackgroundTasks() } }, ({ tasks }) => {
    tasks.add(function failing () { throw new Error('smtp down') })
    tasks.add(() => log.push('after the failure'))
    return 'accepted'
  })
  checkResponse(t, await app.inject('/work'), 200, 'accepted')
  await tick()
  checkResponse(t, await app.inject('/work'), 200, 'accepted')
  await tick()
  t.strictSame(log, [], 'as Starlette: a failing task ends the run')
  const errors = capture.lines.filter(line => line.level === 50)
  t.equal(errors.length, 2)
  t.match(errors[0], { route: 'GET /work', task: 'failing', err: { message: 'smtp down' }, msg: /background task failed/ })
})

t.test('an error response runs no task, as FastAPI (the response carrying them is never made)', async t => {
  const app = await build(t)
  const log: string[] = []
  app.api.get('/', { args: { tasks: BackgroundTasks(), fail: Query(z.boolean()) } }, ({ tasks, fail }) => {
    tasks.add(() => log.push('ran'))
    if (fail) throw new HTTPException(409, 'Conflict')
    return 'ok'
  })
  checkResponse(t, await app.inject('/?fail=true'), 409, { detail: 'Conflict' })
  await tick()
  t.strictSame(log, [])
  checkResponse(t, await app.inject('/?fail=false'), 200, 'ok')
  await tick()
  t.strictSame(log, ['ran'])
})

t.test('add() refuses what is not a function; the queue is not a documented parameter', async t => {
  const app = await build(t)
  app.api.get('/', { args: { tasks: BackgroundTasks() } }, ({ tasks }) => {
    tasks.add('nope' as any)
  })
  checkResponse(t, await app.inject('/'), 500, { detail: 'Internal Server Error' })
  const doc = (await app.inject('/openapi.json')).json()
  t.equal(doc.paths['/'].get.parameters, undefined)
  t.equal(doc.paths['/'].get.responses['422'], undefined)
})
