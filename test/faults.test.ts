/**
 * Faults: handlers and dependencies that hang (Fastify's `handlerTimeout`), teardowns and
 * background tasks that hang at shutdown (`shutdownTimeout`), clients that go away mid-body and
 * mid-response. For each: the process stays up, nothing rejects unhandled, every resource a
 * dependency opened is closed (counted), and no answer carries an internal message or stack.
 *
 * Throwing teardowns and tasks, and aborts while a handler or dependency waits, are covered by
 * dependency-teardown, background and dependency-reliability tests; this file builds on them.
 * Real sockets are used where `inject()` cannot model the fault (a half-sent body, a reader
 * that goes away, a keep-alive connection).
 */
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { z } from 'zod'
import fastapi, {
  BackgroundTasks, Body, Depends, File, Form, Path, StreamingResponse, dependency, type FastifyFastapiOptions, type UploadFile
} from '../lib/index.js'
import { logCapture } from './helper.js'

/** In every message a fault throws: no answer may contain it. */
const SECRET = 'SECRET-internal-detail'
const INTERNAL = { detail: 'Internal Server Error' }
const UNAVAILABLE = { detail: 'Service Unavailable' }

// Anything that escapes to the process is a failure of the test it happened in (checked at
// its end) and of the file (checked last).
const escaped: string[] = []
process.on('unhandledRejection', reason => { escaped.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason)}`) })
process.on('uncaughtException', error => { escaped.push(`uncaughtException: ${error.stack ?? String(error)}`) })

/** A subtest (what `t.test` hands its callback). */
type Tap = Test

/** Lets stray rejections surface, then checks none did. */
async function nothingEscaped (t: Tap): Promise<void> {
  await sleep(5)
  t.strictSame(escaped, [], 'no unhandled rejection or uncaught exception')
}

/** An app with the plugin and a log capture (level warn: a second send's warning would show). */
async function setup (t: Tap, options: FastifyFastapiOptions = {}, server: FastifyServerOptions = {}) {
  const capture = logCapture()
  const app = Fastify({ logger: { level: 'warn', stream: capture.stream }, ...server })
  let closed = false
  t.teardown(async () => { if (!closed) await app.close() })
  await app.register(fastapi, options)
  const close = async (): Promise<number> => {
    const started = Date.now()
    closed = true
    await app.close()
    return Date.now() - started
  }
  /** Error lines (level ≥ 50) as `msg: err.message`. */
  const errors = (): string[] => capture.lines.filter(line => line.level >= 50).map(line => `${line.msg}${line.err === undefined ? '' : `: ${String(line.err.message)}`}`)
  const warnings = (): string[] => capture.lines.filter(line => line.level === 40).map(line => String(line.msg ?? line.err?.message))
  return { app, capture, close, errors, warnings }
}

/** Counts a resource a generator dependency opens and closes, and what its teardown saw. */
function resource (name: string) {
  const counts = { opened: 0, closed: 0, committed: 0, rolledBack: [] as unknown[] }
  const dep = dependency({}, async function * (args, request) {
    counts.opened++
    try {
      yield `${name}:${String(request.id)}`
      counts.committed++
    } catch (error) {
      counts.rolledBack.push(error)
      throw error
    } finally {
      counts.closed++
    }
  }, { name })
  const syncDep = dependency({}, function * () {
    counts.opened++
    try {
      yield name
      counts.committed++
    } catch (error) {
      counts.rolledBack.push(error)
      throw error
    } finally {
      counts.closed++
    }
  }, { name: `${name}Sync` })
  return { counts, dep, syncDep }
}

/** Waits until `check()` holds (or `ms` pass), polling. */
async function until (check: () => boolean, ms = 2_000): Promise<boolean> {
  const by = Date.now() + ms
  while (!check()) {
    if (Date.now() > by) return false
    await sleep(5)
  }
  return true
}

/** A promise and its resolver: a gate a test opens. */
function gate (): { promise: Promise<void>, open: () => void } {
  let open!: () => void
  const promise = new Promise<void>(resolve => { open = resolve })
  return { promise, open }
}

async function listen (app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  return (app.server.address() as AddressInfo).port
}

/** A plain GET over a real socket: status and body. */
function get (port: number, path: string, agent?: http.Agent): Promise<{ status: number, body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, res => {
      const chunks: Buffer[] = []
      res.on('data', chunk => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    }).on('error', reject)
  })
}

/** Fastify's route option, passed through by the declaration. */
const timeout = (ms: number): { handlerTimeout: number } => ({ handlerTimeout: ms })

t.test('a hanging handler: handlerTimeout answers 503 in FastAPI\'s shape, logged once', { timeout: 5_000 }, async t => {
  t.test('a handler that observes request.signal: its rejection is the abort, dropped; generators roll back', async t => {
    const { app, errors, warnings } = await setup(t)
    const { counts, dep, syncDep } = resource('db')
    const seen: string[] = []
    app.api.get('/observes', { args: { db: Depends(dep), s: Depends(syncDep) }, ...timeout(30) }, async (args, request) => {
      // What a cooperative handler does: pass request.signal to what it awaits.
      await sleep(5_000, undefined, { signal: request.signal }).catch(error => { seen.push(error.name); throw error })
      return 'never'
    })
    app.api.get('/throwsReason', { args: { db: Depends(dep) }, ...timeout(30) }, async (args, request) => {
      await new Promise((resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)))
    })
    for (const url of ['/observes', '/throwsReason']) {
      const res = await app.inject(url)
      t.equal(res.statusCode, 503, url)
      t.strictSame(res.json(), UNAVAILABLE)
      t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
    }
    t.ok(await until(() => counts.closed === counts.opened), 'every generator closed')
    t.equal(counts.opened, 3)
    t.equal(counts.committed, 0, 'nothing committed for a request answered 503')
    t.equal(counts.rolledBack.length, 3)
    t.strictSame(seen, ['AbortError'])
    await sleep(10)
    t.strictSame(errors(), [
      "Request handler timed out: Request timed out after 30 ms on route '/observes'",
      "Request handler timed out: Request timed out after 30 ms on route '/throwsReason'"
    ], 'one line per timeout, nothing for the late abort')
    t.strictSame(warnings(), [], 'no second send')
    await nothingEscaped(t)
  })

  t.test('a handler that ignores the signal and returns late: no second response, no task, teardown rolls back', async t => {
    const { app, errors, warnings } = await setup(t)
    const { counts, dep } = resource('db')
    const tasks: string[] = []
    const returned = gate()
    app.api.get('/late', { args: { db: Depends(dep), tasks: BackgroundTasks() }, ...timeout(30) }, async ({ db, tasks: queue }) => {
      queue.add(() => tasks.push('ran'))
      await sleep(120)
      returned.open()
      return { db, secret: SECRET }
    })
    const port = await listen(app)
    // One keep-alive socket: a stray second response would be read as the next request's answer.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    t.teardown(() => agent.destroy())
    const first = await get(port, '/late', agent)
    t.equal(first.status, 503)
    t.strictSame(JSON.parse(first.body), UNAVAILABLE)
    t.equal(counts.closed, 0, 'the teardown waits for the handler')
    await returned.promise
    t.ok(await until(() => counts.closed === 1), 'closed once the handler returned')
    t.equal(counts.committed, 0)
    t.match(counts.rolledBack, [{ code: 'FST_ERR_HANDLER_TIMEOUT' }], 'the generator sees the timeout error')
    t.strictSame(tasks, [], 'as after any error response, the background tasks do not run')
    const second = await get(port, '/late?again', agent)
    t.equal(second.status, 503, 'the same socket answers the next request with its own answer')
    await sleep(150)
    t.strictSame(errors().length, 2, 'one line per timeout')
    t.strictSame(warnings(), [], 'the late return sent nothing')
    await nothingEscaped(t)
  })

  t.test('a handler that fails late with its own error: logged once more, still no leak', async t => {
    const { app, errors } = await setup(t)
    const { counts, dep } = resource('db')
    app.api.get('/', { args: { db: Depends(dep) }, ...timeout(20) }, async () => {
      await sleep(300)
      throw new Error(`${SECRET}: late crash`)
    })
    const res = await app.inject('/')
    t.equal(res.statusCode, 503)
    t.strictSame(res.json(), UNAVAILABLE)
    t.notMatch(res.body, SECRET)
    t.ok(await until(() => counts.closed === 1))
    t.match(counts.rolledBack, [{ message: `${SECRET}: late crash` }], 'the generator sees the handler\'s error')
    t.strictSame(errors(), [
      "Request handler timed out: Request timed out after 20 ms on route '/'",
      `The handler failed after its handlerTimeout had answered the request: ${SECRET}: late crash`
    ])
    await nothingEscaped(t)
  })

  t.test('a hanging async dependency: 503; once it settles the handler never runs, opened generators close', async t => {
    const { app, errors, warnings } = await setup(t)
    const { counts, dep } = resource('db')
    const late = gate()
    let handlerRan = 0
    let slowSettled = 0
    const slow = dependency({}, async function slowLookup () {
      await late.promise
      slowSettled++
      return 'user'
    })
    // Opened after the slow one settles: it must be closed too.
    const after = resource('after')
    app.api.get('/opened', { args: { db: Depends(dep), user: Depends(slow), after: Depends(after.dep) }, ...timeout(20) }, () => { handlerRan++ })
    app.api.get('/bare', { args: { user: Depends(slow) }, ...timeout(20) }, () => { handlerRan++ })
    for (const url of ['/opened', '/bare']) {
      const res = await app.inject(url)
      t.equal(res.statusCode, 503, url)
      t.strictSame(res.json(), UNAVAILABLE)
    }
    late.open()
    t.ok(await until(() => slowSettled === 2 && counts.closed === 1))
    await sleep(20)
    t.equal(handlerRan, 0, 'the handler does not run for a request already answered')
    t.equal(after.counts.opened, 0, 'nor do the dependencies after the late one')
    t.match(counts.rolledBack, [{ code: 'FST_ERR_HANDLER_TIMEOUT' }])
    t.equal(errors().length, 2, 'one line per timeout')
    t.strictSame(warnings(), [])
    await nothingEscaped(t)
  })

  t.test('the server-wide option, both error formats, and a sync handler that blocks past it', async t => {
    for (const errorFormat of ['fastapi', 'fastify'] as const) {
      const { app } = await setup(t, { errorFormat }, { handlerTimeout: 20 })
      // Far past the timeout, so a busy machine cannot reorder the two; the abort ends it early.
      app.api.get('/', {}, async (args, request) => { await sleep(2_000, undefined, { signal: request.signal }); return 'late' })
      const res = await app.inject('/')
      t.equal(res.statusCode, 503, errorFormat)
      t.strictSame(res.json(), UNAVAILABLE)
    }
    // A handler that blocks the event loop past the timeout and returns: the timer fires late,
    // after the reply was sent, and does nothing.
    const { app, errors } = await setup(t)
    app.api.get('/', { ...timeout(10) }, () => {
      const until = Date.now() + 30
      while (Date.now() < until) { /* blocking on purpose */ }
      return 'done'
    })
    const res = await app.inject('/')
    t.equal(res.statusCode, 200)
    t.equal(res.json(), 'done')
    t.strictSame(errors(), [])
  })

  t.test('a handler that never settles: close() waits shutdownTimeout, logs it, and closes its generators', async t => {
    const { app, close, capture } = await setup(t, { shutdownTimeout: 80 })
    const { counts, dep } = resource('db')
    app.api.get('/stuck', { args: { db: Depends(dep) }, ...timeout(20) }, () => new Promise(() => {}))
    const res = await app.inject('/stuck')
    t.equal(res.statusCode, 503)
    t.equal(counts.closed, 0, 'open while the handler runs')
    const took = await close()
    t.ok(took >= 70 && took < 1_000, `close() took ${took} ms`)
    t.ok(await until(() => counts.closed === 1), 'closed when shutdown gave up on the handler')
    t.match(counts.rolledBack, [{ code: 'FST_ERR_HANDLER_TIMEOUT' }])
    t.match(capture.lines.filter(line => /gave up/.test(line.msg)), [
      { level: 50, route: 'GET /stuck', handler: /still running/, shutdownTimeout: 80, msg: /timed-out handler/ }
    ])
    await nothingEscaped(t)
  })
})

t.test('hanging teardowns and background tasks', { timeout: 5_000 }, async t => {
  t.test('do not hold up other requests, on the same keep-alive socket either', async t => {
    const { app } = await setup(t)
    const teardown = gate()
    const task = gate()
    const stuck = dependency({}, async function * stuckTeardown () {
      try { yield 1 } finally { await teardown.promise }
    })
    app.api.get('/teardown', { args: { s: Depends(stuck) } }, ({ s }) => s)
    app.api.get('/task', { args: { tasks: BackgroundTasks() } }, ({ tasks }) => {
      tasks.add(function stuckTask () { return task.promise })
      return 2
    })
    app.api.get('/', {}, () => 'free')
    const port = await listen(app)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    t.teardown(() => agent.destroy())
    t.strictSame(await get(port, '/teardown', agent), { status: 200, body: '1' })
    t.strictSame(await get(port, '/task', agent), { status: 200, body: '2' })
    for (let i = 0; i < 3; i++) t.strictSame(await get(port, '/', agent), { status: 200, body: '"free"' })
    teardown.open()
    task.open()
  })

  t.test('close() waits for a slow teardown and a slow task, then runs the lifespan\'s shutdown', async t => {
    const order: string[] = []
    const { app, close, errors } = await setup(t, {
      async * lifespan () {
        yield {}
        order.push('lifespan shutdown')
      }
    })
    const slow = dependency({}, async function * slowTeardown () {
      try { yield 'db' } finally {
        await sleep(120)
        order.push('teardown done')
      }
    })
    app.api.get('/', { args: { db: Depends(slow), tasks: BackgroundTasks() } }, ({ db, tasks }) => {
      tasks.add(async function audit () { await sleep(60); order.push('task done') })
      return db
    })
    const res = await app.inject('/')
    t.equal(res.statusCode, 200)
    const took = await close()
    t.strictSame(order, ['task done', 'teardown done', 'lifespan shutdown'])
    t.ok(took >= 150, `close() waited (${took} ms)`)
    t.strictSame(errors(), [])
  })

  t.test('close() gives up after shutdownTimeout on a task or teardown that never ends, and logs each', async t => {
    const { app, close, capture } = await setup(t, { shutdownTimeout: 100 })
    const never = dependency({}, async function * neverCloses () {
      try { yield 1 } finally { await new Promise(() => {}) }
    }, { name: 'neverCloses' })
    app.api.get('/teardown/:id', { args: { id: Path(z.number()), n: Depends(never) } }, ({ n }) => n)
    app.api.post('/task', { args: { tasks: BackgroundTasks() } }, ({ tasks }) => {
      tasks.add(async function first () {})
      tasks.add(function endless () { return new Promise(() => {}) })
      return 'queued'
    })
    t.equal((await app.inject('/teardown/7')).statusCode, 200)
    t.equal((await app.inject({ method: 'POST', url: '/task' })).statusCode, 200)
    const took = await close()
    t.ok(took >= 90 && took < 1_000, `close() resolved after the timeout (${took} ms)`)
    const gaveUp = capture.lines.filter(line => /gave up/.test(line.msg))
    t.match(gaveUp, [
      { level: 50, route: 'GET /teardown/:id', dependency: 'neverCloses', msg: /dependency teardown/ },
      { level: 50, route: 'POST /task', task: 'endless', msg: /background task/ }
    ])
    t.equal(gaveUp.length, 2)
    await nothingEscaped(t)
  })

  t.test('shutdownTimeout: 0 does not wait; a bad value is refused', async t => {
    const { app, close, capture } = await setup(t, { shutdownTimeout: 0 })
    app.api.get('/', { args: { tasks: BackgroundTasks() } }, ({ tasks }) => {
      tasks.add(() => sleep(500))
      return 1
    })
    await app.inject('/')
    const took = await close()
    t.ok(took < 400, `close() did not wait (${took} ms)`)
    t.equal(capture.lines.filter(line => /gave up/.test(line.msg)).length, 1)
    for (const shutdownTimeout of [-1, Number.NaN, '10' as any]) {
      const bad = Fastify()
      await t.rejects(async () => { await bad.register(fastapi, { shutdownTimeout }) }, { code: 'FFA_ERR_OPTIONS_INVALID', message: /shutdownTimeout/ })
    }
    // Infinity (uvicorn's default): accepted, and close() returns as soon as nothing is pending.
    const { close: closeUnbounded } = await setup(t, { shutdownTimeout: Infinity })
    t.ok(await closeUnbounded() < 1_000)
  })
})

t.test('clients that go away mid-body', { timeout: 5_000 }, async t => {
  const { app, errors } = await setup(t)
  const { counts, dep } = resource('db')
  let handlerRan = 0
  const headersIn = new Map<string, () => void>()
  app.addHook('onRequest', async request => { headersIn.get(String(request.headers['x-id']))?.() })
  app.api.post('/json', { args: { db: Depends(dep), item: Body(z.object({ name: z.string(), pad: z.string() })) } }, () => { handlerRan++ })
  app.api.post('/form', { args: { db: Depends(dep), name: Form(z.string()) } }, () => { handlerRan++ })
  app.api.post('/file', { args: { db: Depends(dep), upload: File() } }, ({ upload }: { upload: UploadFile }) => { handlerRan++; return upload.size })
  const port = await listen(app)

  const boundary = 'faultsboundary'
  const bodies: Record<string, { type: string, body: string }> = {
    json: { type: 'application/json', body: JSON.stringify({ name: 'n', pad: 'x'.repeat(64 * 1024) }) },
    form: { type: 'application/x-www-form-urlencoded', body: `name=n&pad=${'x'.repeat(64 * 1024)}` },
    file: {
      type: `multipart/form-data; boundary=${boundary}`,
      body: `--${boundary}\r\ncontent-disposition: form-data; name="upload"; filename="a.bin"\r\ncontent-type: application/octet-stream\r\n\r\n` +
        `${'x'.repeat(2 * 1024 * 1024)}\r\n--${boundary}--\r\n`
    }
  }
  for (const [name, { type, body }] of Object.entries(bodies)) {
    // Headers and half of the body (past the first chunk for the file), then the socket is destroyed.
    const socket = net.connect(port, '127.0.0.1')
    const reached = new Promise<void>(resolve => headersIn.set(name, resolve))
    socket.write(`POST /${name} HTTP/1.1\r\nhost: x\r\nx-id: ${name}\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`)
    await reached
    socket.write(body.slice(0, body.length >> 1))
    await sleep(20)
    socket.destroy()
    await new Promise(resolve => socket.once('close', resolve))
  }
  await sleep(50)
  t.equal(handlerRan, 0, 'no handler ran on a body that never came')
  t.equal(counts.opened, 0, 'no dependency opened (the body is read first)')
  t.strictSame(errors(), [], 'a client that leaves is not an error of the server')
  // The server is fine: the same routes answer complete bodies.
  const ok = await app.inject({ method: 'POST', url: '/json', payload: { name: 'n', pad: '' } })
  t.equal(ok.statusCode, 200)
  t.ok(await until(() => counts.closed === counts.opened && counts.opened === 1))
  await nothingEscaped(t)
})

t.test('clients that go away mid-response', { timeout: 5_000 }, async t => {
  const { app, errors } = await setup(t)
  const { counts, dep } = resource('db')
  const sources = { generatorClosed: 0, streamDestroyed: 0, produced: 0 }
  app.api.get('/generator', { args: { db: Depends(dep) } }, () => {
    async function * endless () {
      try {
        for (;;) {
          sources.produced++
          yield 'x'.repeat(16 * 1024)
          await sleep(1)
        }
      } finally {
        sources.generatorClosed++
      }
    }
    return new StreamingResponse(endless(), 200, undefined, 'text/plain')
  })
  app.api.get('/readable', { args: { db: Depends(dep) } }, () => {
    const stream = new Readable({
      read () { setTimeout(() => this.push(Buffer.alloc(16 * 1024, 120)), 1) },
      destroy (error, callback) { sources.streamDestroyed++; callback(error) }
    })
    return new StreamingResponse(stream, 200, undefined, 'application/octet-stream')
  })
  // A large JSON answer, several socket writes long.
  app.api.get('/large', { args: { db: Depends(dep) } }, () => Array.from({ length: 60_000 }, (_, i) => ({ i, pad: 'x'.repeat(64) })))
  const port = await listen(app)

  for (const path of ['/generator', '/readable', '/large']) {
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path, agent: false }, res => {
        t.equal(res.statusCode, 200, path)
        res.once('data', () => {
          // The first bytes are in: go away while the rest is on its way.
          req.destroy()
          resolve()
        })
      })
      req.on('error', error => { if (!req.destroyed) reject(error) })
    })
  }
  t.ok(await until(() => counts.closed === 3), 'each request\'s dependency closed')
  t.ok(await until(() => sources.generatorClosed === 1 && sources.streamDestroyed === 1), 'the stream sources were closed')
  const produced = sources.produced
  await sleep(30)
  t.equal(sources.produced, produced, 'and produce nothing more')
  t.equal(counts.committed, 3, 'a response the client stopped reading is still a success for the dependencies')
  t.strictSame(errors(), [])
  t.strictSame(await get(port, '/large'), { status: 200, body: JSON.stringify(Array.from({ length: 60_000 }, (_, i) => ({ i, pad: 'x'.repeat(64) }))) })
  await nothingEscaped(t)
})

t.test('a stream source that throws, before and after the first bytes; handlerTimeout while streaming', { timeout: 5_000 }, async t => {
  const { app, errors } = await setup(t)
  const { counts, dep } = resource('db')
  let closedSources = 0
  const failing = (after: number) => async function * () {
    try {
      for (let i = 0; i < after; i++) yield `chunk ${i}\n`
      await sleep(5)
      throw new Error(`${SECRET}: stream source failed`)
    } finally {
      closedSources++
    }
  }
  app.api.get('/fails-first', { args: { db: Depends(dep) } }, () => new StreamingResponse(failing(0)(), 200, undefined, 'text/plain'))
  app.api.get('/fails-later', { args: { db: Depends(dep) } }, () => new StreamingResponse(failing(3)(), 200, undefined, 'text/plain'))
  // The timeout bounds the whole response: a stream still running when it fires is cut.
  app.api.get('/slow-stream', { args: { db: Depends(dep) }, ...timeout(40) }, () => new StreamingResponse((async function * () {
    try {
      for (;;) { yield 'tick\n'; await sleep(5) }
    } finally {
      closedSources++
    }
  })(), 200, undefined, 'text/plain'))
  const port = await listen(app)

  // Before any byte is sent, the error handler answers: a plain 500, no message.
  const first = await get(port, '/fails-first')
  t.strictSame(first, { status: 500, body: JSON.stringify(INTERNAL) })
  // After, the status is gone: the connection is cut (the client sees an incomplete body).
  for (const path of ['/fails-later', '/slow-stream']) {
    const outcome = await new Promise<string>(resolve => {
      http.get({ host: '127.0.0.1', port, path, agent: false }, res => {
        let body = ''
        res.on('data', chunk => { body += String(chunk) })
        res.on('end', () => resolve(`complete: ${body}`))
        res.on('error', () => resolve(`cut after ${JSON.stringify(body.slice(0, 8))}`))
        res.on('aborted', () => resolve(`cut after ${JSON.stringify(body.slice(0, 8))}`))
      }).on('error', error => resolve(`error ${error.message}`))
    })
    t.match(outcome, /^cut after/, `${path}: ${outcome}`)
    t.notMatch(outcome, SECRET)
  }
  t.ok(await until(() => closedSources === 3 && counts.closed === 3), 'sources and dependencies closed')
  t.equal(counts.opened, 3)
  t.ok(errors().some(line => line.includes('stream source failed')), 'the source\'s failure is logged')
  await nothingEscaped(t)
})

t.test('nothing escaped to the process in the whole file', async t => {
  await nothingEscaped(t)
})

t.test('a route without dependencies: a late rejection after the timeout is dropped or logged once, never twice', { timeout: 5_000 }, async t => {
  const { app, errors, warnings } = await setup(t)
  app.api.get('/abort', timeout(20), async (args, request) => {
    await sleep(1_000, undefined, { signal: request.signal })
  })
  app.api.get('/crash', timeout(20), async () => {
    await sleep(300)
    throw new Error('late crash')
  })
  let res = await app.inject('/abort')
  t.equal(res.statusCode, 503)
  t.strictSame(res.json(), UNAVAILABLE)
  res = await app.inject('/crash')
  t.equal(res.statusCode, 503)
  t.ok(await until(() => errors().length >= 3), 'the late crash is logged')
  await sleep(50)
  t.strictSame(errors(), [
    "Request handler timed out: Request timed out after 20 ms on route '/abort'",
    "Request handler timed out: Request timed out after 20 ms on route '/crash'",
    'The handler failed after its handlerTimeout had answered the request: late crash'
  ], 'no second line from Fastify ("Promise errored, but reply.sent = true was set")')
  t.strictSame(warnings(), [])
  await nothingEscaped(t)
})
