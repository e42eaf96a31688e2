/**
 * Dependencies with yield under load: hundreds of concurrent requests on a real server go through
 * a sync, an async and a slow-teardown generator while handlers and dependencies throw at random
 * and clients go away mid-request. Every opened generator must be closed, every error must reach
 * the generators' catch blocks, every answer must be well-formed JSON, and the process must stay
 * healthy. A real socket is needed: `app.inject()` cannot abort.
 *
 * The run is random but seeded; the seed is printed. Replay one with `RELIABILITY_SEED=<seed>`.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { z } from 'zod'
import fastapi, {
  Body, Depends, HTTPException, Query, RequestValidationError, dependency
} from '../lib/index.js'
import { logCapture } from './helper.js'

const TOTAL = 600
const CONCURRENCY = 80
const MAX_SOCKETS = 50
/** How long one request may take before it counts as hung. */
const REQUEST_TIMEOUT = 10_000
/** How long the server waits for a client that should abort (it always does well before). */
const ABORT_WAIT = 3_000

const seed = process.env.RELIABILITY_SEED !== undefined && process.env.RELIABILITY_SEED !== ''
  ? Number(process.env.RELIABILITY_SEED) >>> 0
  : randomBytes(4).readUInt32LE(0)

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
function prng (state: number): () => number {
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let x = state
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const delay = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

/**
 * What one request does. `status` is the answer the client must get ('aborted': the client goes
 * away first); `opens`: the three generators open; `rollback`: their catch blocks see an error.
 */
interface ModeSpec {
  weight: number
  method: 'GET' | 'POST'
  status: number | 'aborted'
  opens: boolean
  rollback: boolean
}

const MODES = {
  // Successes: returned, with a body, and sent by the handler itself.
  ok: { weight: 16, method: 'GET', status: 200, opens: true, rollback: false },
  okPost: { weight: 8, method: 'POST', status: 200, opens: true, rollback: false },
  okSend: { weight: 5, method: 'GET', status: 200, opens: true, rollback: false },
  // The handler throws.
  http: { weight: 8, method: 'GET', status: 409, opens: true, rollback: true },
  crash: { weight: 6, method: 'GET', status: 500, opens: true, rollback: true },
  // A dependency throws before the generators open (it is the first argument)…
  beforeHttp: { weight: 5, method: 'GET', status: 401, opens: false, rollback: false },
  beforeCrash: { weight: 4, method: 'GET', status: 500, opens: false, rollback: false },
  // …or after they opened (it is declared after them, and is async).
  afterHttp: { weight: 6, method: 'GET', status: 403, opens: true, rollback: true },
  afterCrash: { weight: 5, method: 'GET', status: 500, opens: true, rollback: true },
  // The route's own query argument, checked after every dependency ran.
  invalid: { weight: 8, method: 'GET', status: 422, opens: true, rollback: true },
  // The client goes away while the handler waits, and the handler then answers…
  abortInHandler: { weight: 8, method: 'GET', status: 'aborted', opens: true, rollback: false },
  // …or throws.
  abortThenThrow: { weight: 5, method: 'GET', status: 'aborted', opens: true, rollback: true },
  // The client goes away while a dependency (after the generators) is pending.
  abortInDep: { weight: 6, method: 'GET', status: 'aborted', opens: true, rollback: false },
  // The client goes away half-way through sending its body: the handler never runs.
  abortBody: { weight: 6, method: 'POST', status: 'aborted', opens: false, rollback: false }
} satisfies Record<string, ModeSpec>

type Mode = keyof typeof MODES
const MODE_NAMES = Object.keys(MODES) as Mode[]
const KINDS = ['sync', 'async', 'slow'] as const
type Kind = typeof KINDS[number]

/** The error each rollback mode throws into the generators. */
const ROLLBACK_ERROR: Partial<Record<Mode, (error: unknown) => boolean>> = {
  http: e => e instanceof HTTPException && e.statusCode === 409,
  crash: e => e instanceof Error && /^handler crash /.test(e.message),
  afterHttp: e => e instanceof HTTPException && e.statusCode === 403,
  afterCrash: e => e instanceof Error && /^dependency crash /.test(e.message),
  invalid: e => e instanceof RequestValidationError,
  abortThenThrow: e => e instanceof Error && /^late crash /.test(e.message)
}

/** One planned request, all of it decided by the seeded PRNG. */
interface Plan {
  rid: string
  mode: Mode
  /** Server-side wait in the handler, ms. */
  work: number
  /** Client-side wait before it aborts, once the server is where the abort should hit, ms. */
  abortAfter: number
}

function plan (random: () => number): Plan[] {
  const total = MODE_NAMES.reduce((sum, m) => sum + MODES[m].weight, 0)
  const plans: Plan[] = []
  for (let i = 0; i < TOTAL; i++) {
    let pick = random() * total
    let mode = MODE_NAMES[MODE_NAMES.length - 1]
    for (const m of MODE_NAMES) {
      pick -= MODES[m].weight
      if (pick < 0) { mode = m; break }
    }
    plans.push({ rid: `r${i}`, mode, work: Math.floor(random() * 4), abortAfter: Math.floor(random() * 5) })
  }
  return plans
}

/** What the server saw of one request. */
interface Trace {
  opened: Record<Kind, number>
  closed: Record<Kind, number>
  caught: Record<Kind, unknown[]>
  handler: boolean
}

/** What the client got. */
type Outcome =
  | { type: 'response', status: number, contentType: string | undefined, body: string }
  | { type: 'aborted' }
  | { type: 'failed', error: string }

t.test('generator dependencies under concurrent load, throws and client aborts', { timeout: 25_000 }, async t => {
  t.comment(`seed ${seed} (replay with RELIABILITY_SEED=${seed})`)
  const started = Date.now()

  const problems: string[] = []
  const onUnhandled = (reason: unknown): void => { problems.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason)}`) }
  const onUncaught = (error: Error): void => { problems.push(`uncaughtException: ${error.stack ?? String(error)}`) }
  process.on('unhandledRejection', onUnhandled)
  process.on('uncaughtException', onUncaught)
  t.teardown(() => {
    process.off('unhandledRejection', onUnhandled)
    process.off('uncaughtException', onUncaught)
  })

  const opened: Record<Kind, number> = { sync: 0, async: 0, slow: 0 }
  const closed: Record<Kind, number> = { sync: 0, async: 0, slow: 0 }
  const traces = new Map<string, Trace>()
  // The client waits for the server to reach the point where its abort should hit.
  const reached = new Map<string, () => void>()
  let abortWaitsTimedOut = 0

  const ridOf = (request: FastifyRequest): string => String(request.headers['x-rid'])
  const modeOf = (request: FastifyRequest): Mode => String(request.headers['x-mode']) as Mode
  const traceOf = (rid: string): Trace => {
    let trace = traces.get(rid)
    if (trace === undefined) {
      trace = {
        opened: { sync: 0, async: 0, slow: 0 },
        closed: { sync: 0, async: 0, slow: 0 },
        caught: { sync: [], async: [], slow: [] },
        handler: false
      }
      traces.set(rid, trace)
    }
    return trace
  }
  const open = (kind: Kind, rid: string): void => { opened[kind]++; traceOf(rid).opened[kind]++ }
  const close = (kind: Kind, rid: string): void => { closed[kind]++; traceOf(rid).closed[kind]++ }
  const rollback = (kind: Kind, rid: string, error: unknown): void => { traceOf(rid).caught[kind].push(error) }
  const signal = (rid: string): void => {
    const resolve = reached.get(rid)
    reached.delete(rid)
    resolve?.()
  }
  /** Resolves once the client's socket is gone (it is about to abort). */
  const clientGone = (reply: FastifyReply): Promise<void> => {
    const raw = reply.raw
    if (raw.destroyed) return Promise.resolve()
    return new Promise(resolve => {
      const timer = setTimeout(() => { abortWaitsTimedOut++; raw.off('close', done); resolve() }, ABORT_WAIT)
      function done (): void { clearTimeout(timer); resolve() }
      raw.once('close', done)
    })
  }

  const before = dependency({}, function checkFirst (args, request) {
    const mode = modeOf(request)
    if (mode === 'beforeHttp') throw new HTTPException(401, 'Not authenticated', { 'www-authenticate': 'Bearer' })
    if (mode === 'beforeCrash') throw new Error(`before crash ${ridOf(request)}`)
    return 'before'
  })
  const syncGen = dependency({}, function * syncResource (args, request) {
    const rid = ridOf(request)
    open('sync', rid)
    try {
      yield `sync:${rid}`
    } catch (error) {
      rollback('sync', rid, error)
      throw error
    } finally {
      close('sync', rid)
    }
  })
  const asyncGen = dependency({}, async function * asyncResource (args, request) {
    const rid = ridOf(request)
    await tick()
    open('async', rid)
    try {
      yield `async:${rid}`
    } catch (error) {
      rollback('async', rid, error)
      throw error
    } finally {
      close('async', rid)
    }
  })
  // Its teardown awaits before it counts as closed, on success and on error alike.
  const slowGen = dependency({}, async function * slowTeardown (args, request) {
    const rid = ridOf(request)
    open('slow', rid)
    try {
      yield `slow:${rid}`
    } catch (error) {
      await tick()
      rollback('slow', rid, error)
      throw error
    } finally {
      await delay(1)
      await tick()
      close('slow', rid)
    }
  })
  const after = dependency({}, async function checkLast (args, request, reply) {
    const rid = ridOf(request)
    const mode = modeOf(request)
    await tick()
    if (mode === 'afterHttp') throw new HTTPException(403, `forbidden ${rid}`)
    if (mode === 'afterCrash') throw new Error(`dependency crash ${rid}`)
    if (mode === 'abortInDep') {
      signal(rid)
      await clientGone(reply)
    }
    return 'after'
  })

  const capture = logCapture()
  const app = Fastify({ logger: { level: 'error', stream: capture.stream } })
  let closedApp = false
  t.teardown(async () => { if (!closedApp) await app.close() })
  await app.register(fastapi)
  // Runs before the body is read: the client then sends half of it and goes away.
  app.addHook('onRequest', async request => {
    if (modeOf(request) === 'abortBody') signal(ridOf(request))
  })

  const args = {
    before: Depends(before),
    s: Depends(syncGen),
    a: Depends(asyncGen),
    slow: Depends(slowGen),
    after: Depends(after),
    n: Query(z.number().int().optional())
  }
  const handler = async (
    values: { s: string, a: string, slow: string, item?: { name: string } }, request: FastifyRequest, reply: FastifyReply
  ): Promise<unknown> => {
    const rid = ridOf(request)
    const mode = modeOf(request)
    traceOf(rid).handler = true
    await delay(Number(request.headers['x-work']))
    const body = { rid, values: [values.s, values.a, values.slow], item: values.item?.name ?? null }
    switch (mode) {
      case 'http': throw new HTTPException(409, `conflict ${rid}`)
      case 'crash': throw new Error(`handler crash ${rid}`)
      case 'okSend': return reply.send(body)
      case 'abortInHandler':
      case 'abortThenThrow':
        signal(rid)
        await clientGone(reply)
        if (mode === 'abortThenThrow') throw new Error(`late crash ${rid}`)
        return body
      default: return body
    }
  }
  app.api.get('/work', { args }, handler)
  app.api.post('/work', { args: { ...args, item: Body(z.object({ name: z.string(), pad: z.string() })) } }, handler)
  app.api.get('/health', { args: { s: Depends(syncGen), a: Depends(asyncGen), slow: Depends(slowGen) } }, ({ s, a, slow }) => ({ s, a, slow }))

  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS })
  t.teardown(() => agent.destroy())

  function send (p: Plan, path = '/work', mode: Mode = p.mode): Promise<Outcome> {
    const spec: ModeSpec = MODES[mode]
    const payload = JSON.stringify({ name: `item ${p.rid}`, pad: 'x'.repeat(4096) })
    const headers: Record<string, string | number> = { 'x-rid': p.rid, 'x-mode': mode, 'x-work': p.work }
    if (spec.method === 'POST') {
      headers['content-type'] = 'application/json'
      headers['content-length'] = Buffer.byteLength(payload)
    }
    const query = mode === 'invalid' ? '?n=x' : '?n=1'
    return new Promise(resolve => {
      let settled = false
      const settle = (outcome: Outcome): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        reached.delete(p.rid)
        resolve(outcome)
      }
      const req = http.request({ agent, host: '127.0.0.1', port, method: spec.method, path: path + query, headers })
      let aborting = false
      const timer = setTimeout(() => {
        settle({ type: 'failed', error: `no answer in ${REQUEST_TIMEOUT} ms` })
        req.destroy()
      }, REQUEST_TIMEOUT)
      if (spec.status === 'aborted') {
        reached.set(p.rid, () => {
          if (mode === 'abortBody') req.write(payload.slice(0, payload.length >> 1))
          setTimeout(() => { aborting = true; req.destroy() }, p.abortAfter)
        })
      }
      req.on('response', res => {
        const chunks: Buffer[] = []
        res.on('data', chunk => chunks.push(chunk))
        res.on('end', () => settle({
          type: 'response', status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString()
        }))
        res.on('error', error => settle(aborting ? { type: 'aborted' } : { type: 'failed', error: String(error) }))
      })
      req.on('error', error => settle(aborting ? { type: 'aborted' } : { type: 'failed', error: String(error) }))
      req.on('close', () => settle(aborting ? { type: 'aborted' } : { type: 'failed', error: 'closed without an answer' }))
      if (spec.status === 'aborted') {
        // The headers go now; an aborting POST's body is sent (in part) once the server has them.
        req.flushHeaders()
        if (mode !== 'abortBody') req.end()
      } else {
        req.end(spec.method === 'POST' ? payload : undefined)
      }
    })
  }

  // The storm: CONCURRENCY workers share the planned requests.
  const plans = plan(prng(seed))
  const outcomes: Outcome[] = new Array(plans.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < plans.length) {
      const i = next++
      outcomes[i] = await send(plans[i])
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const stormMs = Date.now() - started

  // Teardowns run after the responses (or after the client left): wait for them to settle.
  const sum = (counts: Record<Kind, number>): number => KINDS.reduce((n, k) => n + counts[k], 0)
  const settleBy = Date.now() + 2_000
  while (sum(opened) !== sum(closed) && Date.now() < settleBy) await delay(10)

  // Every request got the answer its mode calls for, as well-formed JSON.
  const badAnswers: string[] = []
  const perMode: Record<string, number> = {}
  const outcomeCounts = { response: 0, aborted: 0, failed: 0 }
  plans.forEach((p, i) => {
    const outcome = outcomes[i]
    const spec: ModeSpec = MODES[p.mode]
    perMode[p.mode] = (perMode[p.mode] ?? 0) + 1
    outcomeCounts[outcome.type]++
    const problem = checkOutcome(p, spec, outcome)
    if (problem !== null) badAnswers.push(`${p.rid} ${p.mode}: ${problem}`)
  })

  // Every request saw the generators it should have, closed each, and rolled back when it should.
  const badTraces: string[] = []
  const rollbacks: Record<Kind, number> = { sync: 0, async: 0, slow: 0 }
  let expectedRollbacks = 0
  for (const p of plans) {
    const spec: ModeSpec = MODES[p.mode]
    const trace = traces.get(p.rid)
    if (trace === undefined) {
      // Only a body abort can leave nothing behind: it never reaches the dependencies.
      if (spec.opens) badTraces.push(`${p.rid} ${p.mode}: never reached the dependencies`)
      continue
    }
    if (spec.rollback) expectedRollbacks++
    for (const kind of KINDS) {
      rollbacks[kind] += trace.caught[kind].length
      const want = spec.opens ? 1 : 0
      if (trace.opened[kind] !== want) badTraces.push(`${p.rid} ${p.mode}: ${kind} opened ${trace.opened[kind]} times, expected ${want}`)
      if (trace.closed[kind] !== trace.opened[kind]) badTraces.push(`${p.rid} ${p.mode}: ${kind} opened ${trace.opened[kind]}, closed ${trace.closed[kind]}`)
      const caught = trace.caught[kind]
      if (spec.rollback) {
        const fits = ROLLBACK_ERROR[p.mode] as (error: unknown) => boolean
        if (caught.length !== 1 || !fits(caught[0])) badTraces.push(`${p.rid} ${p.mode}: ${kind} caught ${caught.map(String).join(', ') || 'nothing'}`)
      } else if (caught.length !== 0) {
        badTraces.push(`${p.rid} ${p.mode}: ${kind} caught ${caught.map(String).join(', ')} on a path without an error`)
      }
    }
    const handlerRuns = !['beforeHttp', 'beforeCrash', 'afterHttp', 'afterCrash', 'invalid', 'abortBody'].includes(p.mode)
    if (trace.handler !== handlerRuns) badTraces.push(`${p.rid} ${p.mode}: handler ran: ${trace.handler}`)
  }

  t.comment(`${plans.length} requests, ${CONCURRENCY} concurrent, ${MAX_SOCKETS} sockets: storm ${stormMs} ms`)
  t.comment(`modes ${JSON.stringify(perMode)}`)
  t.comment(`outcomes ${JSON.stringify(outcomeCounts)}`)
  t.comment(`opened ${JSON.stringify(opened)} closed ${JSON.stringify(closed)} rollbacks ${JSON.stringify(rollbacks)} (expected ${expectedRollbacks} each)`)

  t.strictSame(closed, opened, 'every generator that opened was closed')
  for (const kind of KINDS) t.ok(opened[kind] > 0, `the ${kind} generator opened`)
  for (const mode of MODE_NAMES) t.ok((perMode[mode] ?? 0) > 0, `mode ${mode} exercised`)
  t.strictSame(badAnswers, [], 'every request got the answer its mode calls for')
  t.equal(outcomeCounts.failed, 0, 'no request failed or hung')
  t.strictSame(badTraces, [], 'every request opened, closed and rolled back its generators as expected')
  for (const kind of KINDS) t.equal(rollbacks[kind], expectedRollbacks, `${kind} generator rolled back once per failed request`)
  t.equal(abortWaitsTimedOut, 0, 'every aborting client was seen going away')

  // The only errors logged are the deliberate 500s: no failed teardown, no reply sent twice.
  const unexpectedLogs = capture.lines
    .filter(line => line.level >= 50 && line.msg !== 'Unhandled error in route handler')
    .map(line => `${line.msg}: ${line.err?.message ?? ''}`)
  t.strictSame([...new Set(unexpectedLogs)], [], 'no unexpected error logged')
  const crashLogs = capture.lines.filter(line => line.msg === 'Unhandled error in route handler')
  t.ok(crashLogs.every(line => /^(handler|before|dependency|late) crash r\d+$/.test(line.err?.message)), 'only deliberate crashes logged as 500s')

  // The server is still healthy.
  const health = await send({ rid: 'health', mode: 'ok', work: 0, abortAfter: 0 }, '/health')
  t.match(health, { type: 'response', status: 200 }, 'a request after the storm succeeds')
  if (health.type === 'response') t.strictSame(JSON.parse(health.body), { s: 'sync:health', a: 'async:health', slow: 'slow:health' })
  const healthBy = Date.now() + 2_000
  while (sum(opened) !== sum(closed) && Date.now() < healthBy) await delay(10)
  t.strictSame(closed, opened, 'its generators closed too')

  agent.destroy()
  await app.close()
  closedApp = true
  t.pass('app.close() completed')
  // Let any stray rejection surface before the listeners go.
  await tick()
  t.strictSame(problems, [], 'no unhandled rejection or uncaught exception')
  t.comment(`total ${Date.now() - started} ms`)
})

/** null when the outcome is what the mode calls for, else what is wrong. */
function checkOutcome (p: Plan, spec: ModeSpec, outcome: Outcome): string | null {
  if (spec.status === 'aborted') return outcome.type === 'aborted' ? null : `expected an abort, got ${JSON.stringify(outcome)}`
  if (outcome.type !== 'response') return `expected ${spec.status}, got ${JSON.stringify(outcome)}`
  if (outcome.status !== spec.status) return `status ${outcome.status}, expected ${spec.status}: ${outcome.body}`
  if (!/^application\/json/.test(outcome.contentType ?? '')) return `content-type ${String(outcome.contentType)}`
  let body: any
  try {
    body = JSON.parse(outcome.body)
  } catch {
    return `not JSON: ${outcome.body}`
  }
  const same = (expected: unknown): string | null =>
    JSON.stringify(body) === JSON.stringify(expected) ? null : `body ${outcome.body}, expected ${JSON.stringify(expected)}`
  const values = [`sync:${p.rid}`, `async:${p.rid}`, `slow:${p.rid}`]
  switch (p.mode) {
    case 'ok':
    case 'okSend': return same({ rid: p.rid, values, item: null })
    case 'okPost': return same({ rid: p.rid, values, item: `item ${p.rid}` })
    case 'http': return same({ detail: `conflict ${p.rid}` })
    case 'beforeHttp': return same({ detail: 'Not authenticated' })
    case 'afterHttp': return same({ detail: `forbidden ${p.rid}` })
    case 'crash':
    case 'beforeCrash':
    case 'afterCrash': return same({ detail: 'Internal Server Error' })
    case 'invalid': {
      const items = body?.detail
      const wellFormed = Array.isArray(items) && items.length > 0 && items.every((item: any) =>
        typeof item?.type === 'string' && Array.isArray(item.loc) && typeof item.msg === 'string')
      if (!wellFormed) return `malformed 422: ${outcome.body}`
      return same({
        detail: [{ type: 'int_parsing', loc: ['query', 'n'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'x' }]
      })
    }
    default: return `unexpected mode ${p.mode}`
  }
}
