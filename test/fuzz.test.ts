/**
 * Property-based fuzzing of whole requests (issue 6): fast-check draws values for every
 * declared argument — valid ones (derived from the declaration, so the success path runs often),
 * invalid ones (bounds ± 1, wrong types, missing, too long, …) and hostile ones (unicode, very
 * long, deep nesting, raw escapes, __proto__, malformed JSON) — and test/fuzz/oracle.ts checks
 * every answer: the handler's success with the declared types and the predicted values, or
 * a well-formed FastAPI 4xx naming exactly the values that are wrong; never a 5xx, never a secret.
 *
 * One app, built once. Seeded, with a fixed seed unless FUZZ_SEED=random: FUZZ_SEED=<n> replays a
 * run; FUZZ_ONLY=<property> FUZZ_PATH=<path> replays one counterexample as fast-check reports it;
 * FUZZ_SCALE=<k> multiplies the runs.
 */
import t from 'tap'
import fc from 'fast-check'
import Fastify, { type FastifyInstance } from 'fastify'
import { z } from 'zod'
import fastapi, { Body, Cookie, Field, Form, Header, Path, Query, type Param } from '../lib/index.js'
import { compileFastParse } from '../lib/fast-path.js'
import { bool, choice, float, int, list, object, repeated, str, union, type Node } from './fuzz/gen.js'
import { checkAnswer, KNOWN_BUGS, type Exchange, type Mode, type RouteInfo } from './fuzz/oracle.js'
import { buildRequest, drawing, type BodyArg, type Built, type Drawing, type WireArg } from './fuzz/request.js'

// A fixed seed by default, so `npm test` (and CI) draws the same 10,000 requests every run;
// FUZZ_SEED=random draws new ones (the seed is printed, to replay a failure).
const DEFAULT_SEED = 20261124
const seed = process.env.FUZZ_SEED === 'random'
  ? (Math.random() * 0x7fffffff) | 0
  : process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : DEFAULT_SEED
const scale = Number(process.env.FUZZ_SCALE ?? 1)
const stats = { requests: 0, successes: 0, statuses: new Map<number, number>() }
/** How long a failure may be shrunk. */
const SHRINK_MS = 15_000

/** A string of `min`..`max` code points (pydantic counts code points, zod's .max() UTF-16 units). */
const cp = (min: number, max: number, pattern?: RegExp) => z.string().refine(s => {
  const n = [...s].length
  return n >= min && n <= max && (pattern === undefined || pattern.test(s))
})

interface Row { decl: Param, node: Node, check: z.ZodType, list?: boolean }
const row = (decl: Param, node: Node, check: z.ZodType, list = false): Row => ({ decl, node, check, list })

/** The wire name and `loc` label of each argument, as the plugin derives them. */
function wireArgs (rows: Record<string, Row>): WireArg[] {
  return Object.entries(rows).filter(([, r]) => r.decl.in !== 'body').map(([name, r]) => {
    const alias = r.decl.options.alias
    const kebab = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase()
    const label = r.decl.in === 'header' ? alias ?? kebab : alias ?? name
    const wire = r.decl.in === 'header' ? label.toLowerCase() : label
    return { name, in: r.decl.in as WireArg['in'], wire, label, node: r.node, list: r.list, secret: r.decl.options.secret === true }
  })
}

function routeInfo (rows: Record<string, Row>, status: number, bodyKeys: string[] = []): RouteInfo {
  const labels: Record<string, Set<string>> = { path: new Set(), query: new Set(), header: new Set(), cookie: new Set(), body: new Set(bodyKeys) }
  for (const arg of wireArgs(rows)) labels[arg.in === 'form' ? 'body' : arg.in].add(arg.label)
  const checks = Object.fromEntries(Object.entries(rows).map(([name, r]) => [name, r.check]))
  return { status, labels, wholeBody: bodyKeys.length > 0 && Object.values(rows).filter(r => r.decl.in === 'body').length === 1, checks }
}

const declOf = (rows: Record<string, Row>) => Object.fromEntries(Object.entries(rows).map(([name, r]) => [name, r.decl]))

// --- Route 1: path, query, header and cookie parameters of every common shape -----------------

const SLUG = /^[a-z0-9-]+$/
const PARAMS: Record<string, Row> = {
  itemId: row(Path(z.number().int(), { ge: 1, le: 1000 }), int('path', { ge: 1, le: 1000 }), z.number().int().min(1).max(1000)),
  slug: row(Path(z.string(), { minLength: 2, maxLength: 12, pattern: SLUG.source }), str('path', { min: 2, max: 12, pattern: SLUG }), cp(2, 12, SLUG)),
  q: row(Query(z.string().optional(), { maxLength: 10 }), repeated('query', str('query', { max: 10 }, { optional: true })), cp(0, 10).optional()),
  limit: row(Query(z.number().int(), { gt: 0, lt: 100, default: 10 }), repeated('query', int('query', { gt: 0, lt: 100 }, { default: 10 })), z.number().int().gt(0).lt(100)),
  ratio: row(Query(z.number(), { ge: -1.5, le: 2.5 }), float('query', { ge: -1.5, le: 2.5 }), z.number().min(-1.5).max(2.5)),
  flag: row(Query(z.boolean().optional()), bool('query', { optional: true }), z.boolean().optional()),
  model: row(Query(z.enum(['alexnet', 'resnet', 'lenet']), { default: 'resnet' }), choice('query', ['alexnet', 'resnet', 'lenet'], { default: 'resnet' }), z.enum(['alexnet', 'resnet', 'lenet'])),
  mode: row(Query(z.union([z.literal('fast'), z.literal('slow')]).optional()), choice('query', ['fast', 'slow'], { optional: true }), z.enum(['fast', 'slow']).optional()),
  tags: row(Query(z.array(Field(z.string(), { maxLength: 5 })), { alias: 'tag', maxLength: 4, default: [] }),
    list('query', str('query', { max: 5 }, { item: true }), { max: 4 }, { default: [] }), z.array(cp(0, 5)).max(4), true),
  nums: row(Query(z.array(z.number().int()).optional(), { maxLength: 3 }), list('query', int('query', {}, { item: true }), { max: 3 }, { optional: true }),
    z.array(z.number().int()).max(3).optional(), true),
  xToken: row(Header(z.string(), { minLength: 3, maxLength: 40 }), str('header', { min: 3, max: 40 }), cp(3, 40)),
  xIds: row(Header(z.array(Field(z.number().int(), { ge: 0 })).optional()), list('header', int('header', { ge: 0 }, { item: true }), {}, { optional: true }),
    z.array(z.number().int().min(0)).optional(), true),
  custom: row(Header(z.string().optional(), { alias: 'X-Custom-Name', maxLength: 20 }), str('header', { max: 20 }, { optional: true }), cp(0, 20).optional()),
  session: row(Cookie(z.string().optional(), { minLength: 8, maxLength: 30, secret: true }), str('cookie', { min: 8, max: 30 }, { optional: true, secret: true }), cp(8, 30).optional()),
  count: row(Cookie(z.number().int(), { alias: 'cnt', ge: 0, le: 1_000_000, default: 0 }), repeated('cookie', int('cookie', { ge: 0, le: 1_000_000 }, { default: 0 })),
    z.number().int().min(0).max(1_000_000))
}

// --- Route 2: one JSON body model (native ajv path), and the same model forced onto zod ---------

const EMAIL = /^[^@\s]+@[^@\s]+$/
const Item = z.object({
  name: Field(z.string(), { minLength: 1, maxLength: 16 }),
  price: Field(z.number(), { gt: 0, le: 1_000_000 }),
  quantity: Field(z.number().int(), { ge: 0, lt: 1000, default: 1 }),
  available: z.boolean().default(true),
  category: z.enum(['tools', 'toys', 'food']).nullable(),
  size: z.literal(['S', 'M', 'L']).optional(),
  tags: Field(z.array(Field(z.string(), { maxLength: 8 })), { maxLength: 4, default: [] }),
  dims: z.object({ w: Field(z.number(), { ge: 0 }), h: Field(z.number(), { ge: 0 }) }).optional(),
  owner: z.object({
    email: Field(z.string(), { maxLength: 40, pattern: EMAIL.source }),
    password: Field(z.string(), { minLength: 8, maxLength: 64, secret: true })
  }),
  note: z.string().nullable().optional()
})
const ItemNode = object({
  name: str('json', { min: 1, max: 16 }),
  price: float('json', { gt: 0, le: 1_000_000 }),
  quantity: int('json', { ge: 0, lt: 1000 }, { default: 1 }),
  available: bool('json', { default: true }),
  category: choice('json', ['tools', 'toys', 'food'], { nullable: true }),
  size: choice('json', ['S', 'M', 'L'], { optional: true }),
  tags: list('json', str('json', { max: 8 }, { item: true }), { max: 4 }, { default: [] }),
  dims: object({ w: float('json', { ge: 0 }), h: float('json', { ge: 0 }) }, {}, { optional: true }),
  owner: object({ email: str('json', { max: 40, pattern: EMAIL }), password: str('json', { min: 8, max: 64 }, { secret: true }) }),
  note: str('json', {}, { nullable: true, optional: true })
})
const ItemCheck = z.object({
  name: cp(1, 16),
  price: z.number().gt(0).max(1_000_000),
  quantity: z.number().int().min(0).lt(1000),
  available: z.boolean(),
  category: z.enum(['tools', 'toys', 'food']).nullable(),
  size: z.enum(['S', 'M', 'L']).optional(),
  tags: z.array(cp(0, 8)).max(4),
  dims: z.object({ w: z.number().min(0), h: z.number().min(0) }).optional(),
  owner: z.object({ email: cp(0, 40, EMAIL), password: cp(8, 64) }),
  note: z.string().nullable().optional()
})
const BODY_LIMIT = 16 * 1024
const ITEM: Record<string, Row> = { item: row(Body(Item), ItemNode, ItemCheck) }
const ITEM_ZOD: Record<string, Row> = { item: row(Body(Item.refine(() => true)), ItemNode, ItemCheck) }

// --- Route 3: several body arguments (embedded by name), a union, a strict object, plus path and query

const CODE = /^[A-Z]{3}$/
const ORDER: Record<string, Row> = {
  orderId: row(Path(z.number().int(), { ge: 1 }), int('path', { ge: 1 }), z.number().int().min(1)),
  q: row(Query(z.string().optional()), str('query', {}, { optional: true }), z.string().optional()),
  item: row(Body(z.object({
    name: Field(z.string(), { minLength: 1, maxLength: 10 }),
    code: z.union([Field(z.number().int(), { ge: 0 }), Field(z.string(), { pattern: CODE.source })]),
    meta: z.strictObject({ a: z.number().optional(), b: z.string().optional() }).optional()
  })), object({
    name: str('json', { min: 1, max: 10 }),
    code: union([int('json', { ge: 0 }), str('json', { pattern: CODE })], fc.constantFrom(-1, -1000, 'abc', 'ABCD', 'AB', 1.5, true, [], {})),
    meta: object({ a: float('json', {}, { optional: true }), b: str('json', {}, { optional: true }) }, { strict: true }, { optional: true })
  }), z.object({
    name: cp(1, 10),
    code: z.union([z.number().int().min(0), z.string().regex(CODE)]),
    meta: z.strictObject({ a: z.number().optional(), b: z.string().optional() }).optional()
  })),
  user: row(Body(z.object({
    username: Field(z.string(), { minLength: 1, maxLength: 20 }),
    fullName: z.string().nullable().default(null),
    pin: Field(z.string(), { pattern: '^\\d{4}$', secret: true })
  })), object({
    username: str('json', { min: 1, max: 20 }),
    fullName: str('json', {}, { nullable: true, default: null }),
    pin: str('json', { pattern: /^\d{4}$/ }, { secret: true })
  }), z.object({ username: cp(1, 20), fullName: z.string().nullable(), pin: z.string().regex(/^\d{4}$/) })),
  importance: row(Body(z.number().int(), { gt: 0, le: 5 }), int('json', { gt: 0, le: 5 }), z.number().int().gt(0).max(5)),
  note: row(Body(z.string().optional(), { maxLength: 20 }), str('json', { max: 20 }, { optional: true }), cp(0, 20).optional())
}

// --- Route 4: form fields (urlencoded and multipart) ------------------------------------------

const USERNAME = /^[a-z0-9_]+$/
const LOGIN: Record<string, Row> = {
  username: row(Form(z.string(), { minLength: 3, maxLength: 20, pattern: USERNAME.source }), str('form', { min: 3, max: 20, pattern: USERNAME }), cp(3, 20, USERNAME)),
  password: row(Form(z.string(), { minLength: 6, maxLength: 50, secret: true }), str('form', { min: 6, max: 50 }, { secret: true }), cp(6, 50)),
  age: row(Form(z.number().int().optional(), { ge: 0, le: 150 }), int('form', { ge: 0, le: 150 }, { optional: true }), z.number().int().min(0).max(150).optional()),
  remember: row(Form(z.boolean(), { default: false }), repeated('form', bool('form', { default: false })), z.boolean()),
  scopes: row(Form(z.array(z.string()), { default: [] }), list('form', str('form', { cap: 10 }, { item: true }), {}, { default: [] }), z.array(z.string()), true)
}

const bodyArgs = (rows: Record<string, Row>, whole: boolean): BodyArg[] =>
  Object.entries(rows).filter(([, r]) => r.decl.in === 'body').map(([name, r]) => ({ name, key: whole ? undefined : name, node: r.node }))

const echo = (args: unknown) => args

async function buildApp (): Promise<FastifyInstance> {
  const app = Fastify({ frameworkErrors: (await import('../lib/index.js')).frameworkErrors })
  await app.register(fastapi)
  app.api.get('/items/:itemId/:slug', { args: declOf(PARAMS) }, echo)
  app.api.post('/items', { args: declOf(ITEM), statusCode: 201, bodyLimit: BODY_LIMIT }, echo)
  app.api.post('/items-zod', { args: declOf(ITEM_ZOD), statusCode: 201, bodyLimit: BODY_LIMIT }, echo)
  app.api.put('/orders/:orderId', { args: declOf(ORDER), bodyLimit: BODY_LIMIT }, echo)
  app.api.post('/login', { args: declOf(LOGIN) }, echo)
  await app.ready()
  return app
}

async function send (app: FastifyInstance, built: Built, url = built.inject.url, count = true): Promise<Exchange> {
  if (count) stats.requests++
  const res = await app.inject({ ...built.inject, url } as any)
  if (count) stats.statuses.set(res.statusCode, (stats.statuses.get(res.statusCode) ?? 0) + 1)
  return {
    request: { ...built.inject, url, payload: built.inject.payload as string | Buffer | undefined },
    response: { statusCode: res.statusCode, headers: res.headers, body: res.body }
  }
}

/** Runs a property; on failure, fails `t` with fast-check's report and how to replay it. */
async function fuzz (t: { fail: (message: string) => void, pass: (message: string) => void }, name: string, runs: number, arb: fc.Arbitrary<Drawing>, predicate: (d: Drawing) => Promise<void>) {
  const only = process.env.FUZZ_ONLY
  if (only !== undefined && only !== name) return
  const path = only === name ? process.env.FUZZ_PATH : undefined
  const property = fc.asyncProperty(arb, predicate)
  const first = await fc.check(property, { seed, numRuns: Math.ceil(runs * scale), path, endOnFailure: true })
  let details = first
  if (first.failed) {
    // Shrink from the failure found, for a bounded time: the smallest case found by then is reported.
    const shrunk = await fc.check(property, { seed, path: first.counterexamplePath ?? undefined, plugins: [fc.interruptAfterTimeLimit(SHRINK_MS)] })
    if (shrunk.failed) details = shrunk as typeof first
  }
  if (details.failed) {
    const example = fc.stringify(details.counterexample)
    t.fail([
      `${name}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
      `failed at run ${first.numRuns}, shrunk ${details.numShrinks} times; drawn: ${example.length > 1500 ? `${example.slice(0, 1500)}…` : example}`,
      `replay: FUZZ_SEED=${seed} FUZZ_ONLY=${name} FUZZ_PATH=${details.counterexamplePath ?? ''} npx tap test/fuzz.test.ts`
    ].join('\n'))
  } else {
    t.pass(`${details.numRuns} runs`)
  }
}

t.test(`fuzzing requests (FUZZ_SEED=${seed})`, async t => {
  const started = Date.now()
  const app = await buildApp()
  t.teardown(() => app.close())

  t.test('the bodies take the intended paths', async t => {
    t.not(compileFastParse(Item), null, 'Item is checked natively (ajv)')
    t.equal(compileFastParse(Item.refine(() => true)), null, 'the refined Item goes to zod')
  })

  const paramArgs = wireArgs(PARAMS)
  const paramInfo = routeInfo(PARAMS, 200)
  await t.test('path, query, header and cookie values', async t => {
    await fuzz(t, 'params', 3000, drawing(paramArgs, [], [['normal', 1]]), async d => {
      const built = buildRequest('GET', '/items/:itemId/:slug', paramArgs, [], d, 0)
      if (checkAnswer(paramInfo, built.exp, await send(app, built)) === 'success') stats.successes++
    })
  })

  const itemArgs = bodyArgs(ITEM, true)
  const itemInfo = routeInfo(ITEM, 201, Object.keys(Item.shape))
  const BODY_MODES: Array<[Mode, number]> = [['normal', 80], ['malformed', 6], ['proto', 4], ['oversize', 2], ['media', 5], ['empty', 3]]
  await t.test('a JSON body: the native and the zod path give the same answer', async t => {
    await fuzz(t, 'body', 2000, drawing([], itemArgs, BODY_MODES), async d => {
      const built = buildRequest('POST', '/items', [], itemArgs, d, BODY_LIMIT)
      const native = await send(app, built, '/items')
      const slow = await send(app, built, '/items-zod')
      const verdicts = [checkAnswer(itemInfo, built.exp, native), checkAnswer(itemInfo, built.exp, slow)]
      stats.successes += verdicts.filter(v => v === 'success').length
      if (verdicts.includes('known bug')) return
      const ok = verdicts[0] === 'success'
      if (native.response.statusCode !== slow.response.statusCode) {
        throw new Error(`native ${native.response.statusCode} ${native.response.body}\n  zod ${slow.response.statusCode} ${slow.response.body}`)
      }
      // A success keeps the client's key order natively, the model's on zod (README): compare values.
      const same = ok ? sameJson(native.response.body, slow.response.body) : native.response.body === slow.response.body
      if (!same) throw new Error(`native and zod bodies differ\n  native ${native.response.body}\n  zod    ${slow.response.body}`)
    })
  })

  const orderWire = wireArgs(ORDER)
  const orderBody = bodyArgs(ORDER, false)
  const orderInfo = routeInfo(ORDER, 200, orderBody.map(a => a.key!))
  await t.test('several body arguments, with a path and a query parameter', async t => {
    await fuzz(t, 'multi', 1500, drawing(orderWire, orderBody, BODY_MODES), async d => {
      const built = buildRequest('PUT', '/orders/:orderId', orderWire, orderBody, d, BODY_LIMIT)
      if (checkAnswer(orderInfo, built.exp, await send(app, built)) === 'success') stats.successes++
    })
  })

  const loginArgs = wireArgs(LOGIN)
  const loginInfo = routeInfo(LOGIN, 200)
  await t.test('form fields, urlencoded and multipart', async t => {
    await fuzz(t, 'form', 1500, drawing(loginArgs, [], [['normal', 9], ['media', 1]]), async d => {
      const built = buildRequest('POST', '/login', loginArgs, [], d, 0)
      if (checkAnswer(loginInfo, built.exp, await send(app, built)) === 'success') stats.successes++
    })
  })

  await t.test('the fuzzer fails, shrinks and names the seed when a handler breaks', async t => {
    if (process.env.FUZZ_ONLY !== undefined) return
    const broken = Fastify({ frameworkErrors: (await import('../lib/index.js')).frameworkErrors })
    t.teardown(() => broken.close())
    await broken.register(fastapi)
    broken.api.get('/items/:itemId/:slug', { args: declOf(PARAMS) }, (args: any) => {
      if (args.itemId % 7 === 0) throw new Error('a bug for every seventh item')
      return args
    })
    const property = fc.asyncProperty(drawing(paramArgs, [], [['normal', 1]]), async d => {
      const built = buildRequest('GET', '/items/:itemId/:slug', paramArgs, [], d, 0)
      checkAnswer(paramInfo, built.exp, await send(broken, built, built.inject.url, false))
    })
    const details = await fc.check(property, { seed, numRuns: 1000, plugins: [fc.interruptAfterTimeLimit(SHRINK_MS)] })
    t.ok(details.failed, 'the 500 is found')
    t.match(String(details.errorInstance), /server error 500[^]*request: GET \/items\/\d+/, 'the report names the rule and the request')
    t.equal(details.seed, seed, 'with the seed to replay it')
    const itemId = Number((details.counterexample as [Drawing] | null)?.[0].wire[0].sent)
    t.equal(itemId % 7, 0, `shrunk to a failing item id (${itemId})`)
    t.ok(details.numShrinks > 0, `shrunk ${details.numShrinks} times`)
  })

  t.test('enough requests, enough successes, in bounded time', async t => {
    const share = stats.successes / stats.requests
    const seconds = (Date.now() - started) / 1000
    const statuses = [...stats.statuses].sort(([a], [b]) => a - b).map(([code, n]) => `${code}: ${n}`).join(', ')
    t.comment(`${stats.requests} requests (${statuses}), ${(share * 100).toFixed(1)} % successes, ${seconds.toFixed(1)} s, FUZZ_SEED=${seed}`)
    for (const bug of KNOWN_BUGS) t.equal(bug.hits, 0, `known bug, ${bug.hits} answers: ${bug.id}`, { todo: bug.hits > 0 })
    if (process.env.FUZZ_ONLY !== undefined) return
    t.ok(stats.requests >= 10_000 * scale, `at least ${10_000 * scale} requests (${stats.requests})`)
    t.ok(share >= 0.3, `at least 30 % successes (${(share * 100).toFixed(1)} %)`)
  })
})

function sameJson (a: string, b: string): boolean {
  const sort = (v: unknown): unknown => Array.isArray(v)
    ? v.map(sort)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map(k => [k, sort((v as any)[k])])) : v
  return JSON.stringify(sort(JSON.parse(a))) === JSON.stringify(sort(JSON.parse(b)))
}
