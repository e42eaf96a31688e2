/**
 * Dependencies with yield: code after `yield` runs after the response on success; on an error
 * the error is thrown into each open generator (latest first) before the error response.
 */
import t from 'tap'
import { z } from 'zod'
import {
  Depends, HTTPException, Query, RequestValidationError, dependency
} from '../lib/index.js'
import { build, checkResponse, logCapture, missing } from './helper.js'

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

/** A generator dependency that logs every stage, sync or async. */
function tracked (name: string, log: string[], kind: 'sync' | 'async') {
  if (kind === 'sync') {
    return dependency({}, function * (args, request, reply) {
      log.push(`open ${name}`)
      try {
        yield name
        log.push(`after ${name} (response sent: ${String(reply.raw.writableEnded)})`)
      } catch (error) {
        log.push(`catch ${name}: ${(error as Error).constructor.name}`)
        throw error
      } finally {
        log.push(`close ${name}`)
      }
    }, { name })
  }
  return dependency({}, async function * (args, request, reply) {
    log.push(`open ${name}`)
    try {
      yield name
      log.push(`after ${name} (response sent: ${String(reply.raw.writableEnded)})`)
    } catch (error) {
      log.push(`catch ${name}: ${(error as Error).constructor.name}`)
      throw error
    } finally {
      log.push(`close ${name}`)
    }
  }, { name })
}

for (const kind of ['sync', 'async'] as const) {
  t.test(`${kind} generators`, async t => {
    const setup = async (t: any) => {
      const log: string[] = []
      const app = await build(t)
      const outer = tracked('outer', log, kind)
      const inner = dependency({ o: Depends(outer) }, function * ({ o }) {
        log.push('open inner')
        try { yield `${o}+inner` } finally { log.push('close inner') }
      }, { name: 'inner' })
      const Out = z.object({ value: z.string() })
      app.api.get('/', {
        args: { v: Depends(inner), mode: Query(z.string().optional()), n: Query(z.number().optional()) },
        responseModel: Out
      }, ({ v, mode }) => {
        log.push('handler')
        if (mode === 'http') throw new HTTPException(409, 'Conflict')
        if (mode === 'crash') throw new Error('secret internal detail')
        if (mode === 'model') return { value: 1 } as any
        return { value: v }
      })
      return { app, log }
    }

    t.test('success: teardown after the response is sent, latest first', async t => {
      const { app, log } = await setup(t)
      const res = await app.inject('/')
      checkResponse(t, res, 200, { value: 'outer+inner' })
      await tick()
      t.strictSame(log, ['open outer', 'open inner', 'handler', 'close inner', 'after outer (response sent: true)', 'close outer'])
    })

    t.test('an HTTPException from the handler is thrown in at the yield', async t => {
      const { app, log } = await setup(t)
      checkResponse(t, await app.inject('/?mode=http'), 409, { detail: 'Conflict' })
      t.strictSame(log, ['open outer', 'open inner', 'handler', 'close inner', 'catch outer: HTTPException', 'close outer'])
    })

    t.test('a handler crash is thrown in, and answered 500 without its message', async t => {
      const { app, log } = await setup(t)
      const res = await app.inject('/?mode=crash')
      checkResponse(t, res, 500, { detail: 'Internal Server Error' })
      t.notMatch(res.body, 'secret')
      t.strictSame(log, ['open outer', 'open inner', 'handler', 'close inner', 'catch outer: Error', 'close outer'])
    })

    t.test('a later argument that fails validation is thrown in as RequestValidationError', async t => {
      const { app, log } = await setup(t)
      checkResponse(t, await app.inject('/?n=x'), 422, {
        detail: [{ type: 'float_parsing', loc: ['query', 'n'], msg: 'Input should be a valid number, unable to parse string as a number', input: 'x' }]
      })
      t.strictSame(log, ['open outer', 'open inner', 'close inner', 'catch outer: RequestValidationError', 'close outer'])
    })

    t.test('a return value that breaks the response model is thrown in too', async t => {
      const { app, log } = await setup(t)
      checkResponse(t, await app.inject('/?mode=model'), 500, { detail: 'Internal Server Error' })
      t.strictSame(log, ['open outer', 'open inner', 'handler', 'close inner', 'catch outer: ResponseValidationError', 'close outer'])
    })
  })
}

t.test('a generator can turn the error into another answer, or roll back and re-throw', async t => {
  const app = await build(t)
  const seen: unknown[] = []
  const tx = dependency({}, async function * transaction () {
    try {
      yield 'tx'
    } catch (error) {
      seen.push(error)
      if (error instanceof RequestValidationError) throw error
      throw new HTTPException(503, 'Rolled back', { 'retry-after': '1' })
    }
  })
  app.api.get('/', { args: { tx: Depends(tx), q: Query(z.string()) } }, () => { throw new Error('db down') })
  const res = await app.inject('/?q=1')
  checkResponse(t, res, 503, { detail: 'Rolled back' })
  t.equal(res.headers['retry-after'], '1')
  checkResponse(t, await app.inject('/'), 422, { detail: [missing('query', 'q')] })
  t.equal(seen.length, 2)
  t.ok(seen[1] instanceof RequestValidationError)
})

t.test('an error a generator swallows gives a logged 500, as FastAPI\'s "Response not awaited"', async t => {
  const capture = logCapture()
  const app = await build(t, {}, { logger: { stream: capture.stream } })
  const swallow = dependency({}, function * swallowing () {
    try { yield 1 } catch { /* swallowed on purpose */ }
  })
  app.api.get('/', { args: { s: Depends(swallow) } }, () => { throw new Error('lost') })
  checkResponse(t, await app.inject('/'), 500, { detail: 'Internal Server Error' })
  t.ok(capture.lines.some(line => line.level === 50 && /caught an error and did not throw it again/.test(line.err?.message)))
})

t.test('a teardown that throws after a success is logged, and the next request is fine', async t => {
  const capture = logCapture()
  const app = await build(t, {}, { logger: { stream: capture.stream } })
  let opened = 0
  let closed = 0
  const broken = dependency({}, function * brokenTeardown () {
    opened++
    yield opened
    closed++
    throw new Error('teardown failed')
  })
  app.api.get('/', { args: { n: Depends(broken) } }, ({ n }) => n)
  checkResponse(t, await app.inject('/'), 200, 1)
  await tick()
  checkResponse(t, await app.inject('/'), 200, 2)
  await tick()
  t.equal(closed, 2)
  const errors = capture.lines.filter(line => line.level === 50)
  t.equal(errors.length, 2)
  t.match(errors[0], { msg: /dependency teardown/, err: { message: 'teardown failed' } })
})

t.test('a generator that yields twice, or never, is a reported mistake', async t => {
  const capture = logCapture()
  const app = await build(t, {}, { logger: { stream: capture.stream } })
  let closedTwice = false
  const twice = dependency({}, function * yieldsTwice () {
    try { yield 1; yield 2 } finally { closedTwice = true }
  })
  const never = dependency({}, async function * neverYields () {})
  app.api.get('/twice', { args: { n: Depends(twice) } }, ({ n }) => n)
  app.api.get('/never', { args: { n: Depends(never) } }, ({ n }) => n)
  checkResponse(t, await app.inject('/twice'), 200, 1)
  await tick()
  t.ok(closedTwice, 'forced closed')
  t.ok(capture.lines.some(line => /yielded more than once/.test(line.err?.message)))
  checkResponse(t, await app.inject('/never'), 500, { detail: 'Internal Server Error' })
  t.ok(capture.lines.some(line => /returned without yielding/.test(line.err?.message)))
})

t.test('a dependency that throws after another opened closes the opened one', async t => {
  const app = await build(t)
  const log: string[] = []
  const opened = dependency({}, function * () { log.push('open'); try { yield 1 } finally { log.push('close') } })
  const failing = dependency({}, () => { throw new HTTPException(401, 'Not authenticated') })
  app.api.get('/', { args: { a: Depends(opened), b: Depends(failing) } }, () => 'unreachable')
  checkResponse(t, await app.inject('/'), 401, { detail: 'Not authenticated' })
  t.strictSame(log, ['open', 'close'])
})

t.test('a handler that sends the reply itself still gets its teardown', async t => {
  const app = await build(t)
  const log: string[] = []
  const res = dependency({}, async function * () { try { yield 'r' } finally { log.push('close') } })
  app.api.get('/', { args: { r: Depends(res) } }, async ({ r }, request, reply) => reply.send({ r }))
  checkResponse(t, await app.inject('/'), 200, { r: 'r' })
  await tick()
  t.strictSame(log, ['close'])
})

t.test('errors that are not Error objects go through generators too', async t => {
  const app = await build(t)
  const seen: unknown[] = []
  const g = dependency({}, function * () {
    try { yield 1 } catch (error) { seen.push(error); throw error }
  })
  app.api.get('/', { args: { g: Depends(g) } }, () => {
    // eslint-disable-next-line no-throw-literal -- what a careless handler may do
    throw 'a string'
  })
  checkResponse(t, await app.inject('/'), 500, { detail: 'Internal Server Error' })
  t.strictSame(seen, ['a string'])
})

t.test('a plain function that returns a generator runs as a generator dependency, as its type says', async t => {
  const app = await build(t)
  const log: string[] = []
  function * session (name: string) {
    log.push(`open ${name}`)
    try { yield name } finally { log.push(`close ${name}`) }
  }
  async function * asyncSession (name: string) {
    try { yield name } finally { log.push(`close ${name}`) }
  }
  const wrapped = dependency({}, () => session('sync'))
  const wrappedAsync = dependency({}, () => asyncSession('async'))
  app.api.get('/', { args: { a: Depends(wrapped), b: Depends(wrappedAsync) } }, args => args)
  checkResponse(t, await app.inject('/'), 200, { a: 'sync', b: 'async' })
  await tick()
  t.strictSame(log, ['open sync', 'close async', 'close sync'])
})
