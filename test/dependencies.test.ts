/**
 * Dependencies: the graph (one 422 for every location of every node, in FastAPI's order),
 * the per-request cache, levels, `this`/request/reply, and the registration errors.
 * Teardown and overrides have their own files.
 */
import t from 'tap'
import Fastify from 'fastify'
import { z } from 'zod'
import fastapi, {
  Body, Cookie, Depends, Header, HTTPException, Path, Query, Security, SecurityScopes, dependency
} from '../lib/index.js'
import { build, checkResponse, missing, parsing } from './helper.js'

t.test('a dependency reads every location, and its errors join the route\'s in one 422', async t => {
  const app = await build(t)
  const deep = dependency({ session: Cookie(z.string()) }, ({ session }) => session)
  const mid = dependency({ s: Depends(deep), xToken: Header(z.string()) }, ({ s, xToken }) => `${s}/${xToken}`)
  const top = dependency({ m: Depends(mid), id: Path(z.number().int()), q: Query(z.number().int()) }, ({ m, id, q }) => ({ m, id, q }))
  app.api.post('/things/:id', {
    args: { top: Depends(top), item: Body(z.object({ name: z.string() })), limit: Query(z.number().int(), { default: 10 }) }
  }, ({ top, item, limit }) => ({ top, item, limit }))

  const ok = await app.inject({ method: 'POST', url: '/things/7?q=3', headers: { 'x-token': 'tok', cookie: 'session=abc' }, payload: { name: 'n' } })
  checkResponse(t, ok, 200, { top: { m: 'abc/tok', id: 7, q: 3 }, item: { name: 'n' }, limit: 10 })

  // FastAPI's order: depth first (the deepest dependency's own parameters first), the route's own last.
  const bad = await app.inject({ method: 'POST', url: '/things/x?q=y&limit=z', payload: {} })
  checkResponse(t, bad, 422, {
    detail: [
      missing('cookie', 'session'),
      missing('header', 'x-token'),
      parsing.int('x', 'path', 'id'),
      parsing.int('y', 'query', 'q'),
      parsing.int('z', 'query', 'limit'),
      { ...missing('body', 'name'), input: {} }
    ]
  })
})

t.test('a dependency whose parameters fail does not run; its siblings still do', async t => {
  const app = await build(t)
  const ran: string[] = []
  const needsQ = dependency({ q: Query(z.number().int()) }, ({ q }) => { ran.push('needsQ'); return q })
  const sibling = dependency({}, () => { ran.push('sibling'); return 1 })
  const parent = dependency({ v: Depends(needsQ) }, ({ v }) => { ran.push('parent'); return v })
  app.api.get('/', { args: { p: Depends(parent), s: Depends(sibling), r: Query(z.string()) } }, () => { ran.push('handler') })

  const res = await app.inject('/?q=x')
  checkResponse(t, res, 422, { detail: [parsing.int('x', 'query', 'q'), missing('query', 'r')] })
  t.strictSame(ran, ['sibling'])
})

t.test('a dependency that throws stops the request before the route\'s own parameters are read', async t => {
  const app = await build(t)
  const guard = dependency({ xKey: Header(z.string()) }, ({ xKey }) => {
    if (xKey !== 'k') throw new HTTPException(403, 'Forbidden key', { 'x-reason': 'key' })
  })
  app.api.get('/', { args: { g: Depends(guard), n: Query(z.number()) } }, ({ n }) => n)
  const res = await app.inject({ url: '/?n=x', headers: { 'x-key': 'nope' } })
  t.equal(res.statusCode, 403, 'the dependency ran first, as in FastAPI, so its 403 wins over the 422')
  t.equal(res.headers['x-reason'], 'key')
  t.strictSame(res.json(), { detail: 'Forbidden key' })
  const valid = await app.inject({ url: '/?n=1.5', headers: { 'x-key': 'k' } })
  checkResponse(t, valid, 200, 1.5)
})

t.test('bodies across the graph: one body name is the whole body, several are embedded', async t => {
  const Item = z.object({ name: z.string() })
  t.test('the same Body declared by the route and a dependency reads the whole body', async t => {
    const app = await build(t)
    const dep = dependency({ item: Body(Item) }, ({ item }) => item.name.toUpperCase())
    app.api.post('/', { args: { item: Body(Item), upper: Depends(dep) } }, ({ item, upper }) => ({ item, upper }))
    checkResponse(t, await app.inject({ method: 'POST', url: '/', payload: { name: 'a' } }), 200, { item: { name: 'a' }, upper: 'A' })
  })
  t.test('two body names: each is read from body[name], as FastAPI embeds them', async t => {
    const app = await build(t)
    const dep = dependency({ user: Body(z.object({ id: z.number() })) }, ({ user }) => user.id)
    app.api.post('/', { args: { item: Body(Item), uid: Depends(dep) } }, ({ item, uid }) => ({ item, uid }))
    checkResponse(t, await app.inject({ method: 'POST', url: '/', payload: { item: { name: 'a' }, user: { id: 2 } } }), 200, { item: { name: 'a' }, uid: 2 })
    checkResponse(t, await app.inject({ method: 'POST', url: '/', payload: { name: 'a' } }), 422, {
      detail: [missing('body', 'user'), missing('body', 'item')]
    })
  })
})

t.test('per-request cache', async t => {
  t.test('a dependency used several times runs once per request', async t => {
    const app = await build(t)
    let calls = 0
    const counter = dependency({}, () => ++calls)
    const a = dependency({ c: Depends(counter) }, ({ c }) => c)
    const b = dependency({ c: Depends(counter) }, ({ c }) => c)
    app.api.get('/', { args: { a: Depends(a), b: Depends(b), c: Depends(counter) } }, args => args)
    checkResponse(t, await app.inject('/'), 200, { a: 1, b: 1, c: 1 })
    checkResponse(t, await app.inject('/'), 200, { a: 2, b: 2, c: 2 })
    t.equal(calls, 2, 'one call per request')
  })
  t.test('useCache: false runs it again', async t => {
    const app = await build(t)
    let calls = 0
    const counter = dependency({}, () => ++calls)
    app.api.get('/', { args: { a: Depends(counter), b: Depends(counter, { useCache: false }), c: Depends(counter) } }, args => args)
    checkResponse(t, await app.inject('/'), 200, { a: 1, b: 2, c: 1 })
  })
  t.test('a plain function is one dependency wherever it is used', async t => {
    const app = await build(t)
    let calls = 0
    function now () { return ++calls }
    const twice = dependency({ n: Depends(now) }, ({ n }) => n * 2)
    app.api.get('/', { args: { n: Depends(now), twice: Depends(twice) } }, args => args)
    checkResponse(t, await app.inject('/'), 200, { n: 1, twice: 2 })
  })
  t.test('a cached dependency with invalid parameters reports its errors once', async t => {
    const app = await build(t)
    const page = dependency({ limit: Query(z.number().int()) }, ({ limit }) => limit)
    const wrapped = dependency({ p: Depends(page) }, ({ p }) => p)
    app.api.get('/', { args: { a: Depends(page), b: Depends(wrapped) } }, args => args)
    checkResponse(t, await app.inject('/?limit=x'), 422, { detail: [parsing.int('x', 'query', 'limit')] })
    checkResponse(t, await app.inject('/?limit=3'), 200, { a: 3, b: 3 })
  })
  t.test('async dependencies are cached too, and a sync-only graph answers without a promise', async t => {
    const app = await build(t)
    let calls = 0
    const slow = dependency({}, async () => { await new Promise(resolve => setImmediate(resolve)); return ++calls })
    const plain = dependency({}, () => 'plain')
    app.api.get('/async', { args: { a: Depends(slow), b: Depends(slow) } }, args => args)
    app.api.get('/sync', { args: { p: Depends(plain), q: Query(z.string()) } }, args => args)
    checkResponse(t, await app.inject('/async'), 200, { a: 1, b: 1 })
    await app.ready()
    const route = app.api.routes.find(r => r.routeOptions.url === '/sync')
    const reply = { code () { return reply }, header () { return reply }, sent: false, raw: {} }
    const request = { query: { q: 'x' }, headers: {}, params: {}, raw: { rawHeaders: [] } }
    const out = (route?.routeOptions.handler as Function).call(app, request, reply)
    t.equal(typeof out?.then, 'undefined', 'no promise on a sync-only graph')
    t.equal(out, '{"p":"plain","q":"x"}')
  })
})

t.test('Security scopes add up along the graph and reach SecurityScopes()', async t => {
  const app = await build(t)
  const seen: string[][] = []
  const scopesOf = dependency({ securityScopes: SecurityScopes() }, ({ securityScopes }) => {
    seen.push(securityScopes.scopes)
    return securityScopes.scopeStr
  })
  const user = dependency({ s: Security(scopesOf, { scopes: ['me'] }) }, ({ s }) => s)
  app.api.get('/', {
    args: { a: Security(user, { scopes: ['items', 'me'] }), b: Security(scopesOf, { scopes: ['admin'] }), c: Depends(scopesOf) }
  }, args => args)
  // Three distinct scope sets → three cache keys → three calls, as FastAPI keys the cache by scopes.
  checkResponse(t, await app.inject('/'), 200, { a: 'items me', b: 'admin', c: '' })
  t.strictSame(seen, [['items', 'me'], ['admin'], []])
})

t.test('dependencies: [...] at app, plugin and route level run first, in that order, for effect', async t => {
  const ran: string[] = []
  const mark = (name: string) => dependency({}, () => { ran.push(name); return name }, { name })
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastapi, { dependencies: [Depends(mark('app'))] })
  await app.register(async child => {
    child.api.addDependency(Depends(mark('plugin')))
    await child.register(async grandchild => {
      grandchild.api.get('/deep', { dependencies: [Depends(mark('route'))], args: { v: Depends(mark('arg')) } }, ({ v }) => v)
    })
  }, { prefix: '/p' })
  app.api.get('/root', {}, () => 'root')
  await app.register(async sibling => {
    sibling.api.get('/sibling', {}, () => 'sibling')
  })

  checkResponse(t, await app.inject('/p/deep'), 200, 'arg')
  t.strictSame(ran, ['app', 'plugin', 'route', 'arg'])
  ran.length = 0
  checkResponse(t, await app.inject('/root'), 200, 'root')
  checkResponse(t, await app.inject('/sibling'), 200, 'sibling')
  t.strictSame(ran, ['app', 'app'], 'the plugin\'s dependency stays inside it')
})

t.test('a level dependency that throws answers for every route below it', async t => {
  const verifyKey = dependency({ xKey: Header(z.string()) }, ({ xKey }) => {
    if (xKey !== 'key') throw new HTTPException(400, 'X-Key header invalid')
  })
  const app = await build(t, { dependencies: [Depends(verifyKey)] })
  app.api.get('/items', {}, () => ['a'])
  checkResponse(t, await app.inject({ url: '/items', headers: { 'x-key': 'bad' } }), 400, { detail: 'X-Key header invalid' })
  checkResponse(t, await app.inject('/items'), 422, { detail: [missing('header', 'x-key')] })
  checkResponse(t, await app.inject({ url: '/items', headers: { 'x-key': 'key' } }), 200, ['a'])
  t.equal(app.api.routes[0].args[0].wire, 'x-key', 'its parameters are the route\'s (for OpenAPI)')
})

t.test('a dependency gets the instance as this, and the request and reply', async t => {
  const app = await build(t)
  app.decorate('greeting', 'hi')
  const dep = dependency({}, function (this: any, args, request, reply) {
    reply.header('x-dep', 'set')
    return `${this.greeting as string} ${request.method} ${JSON.stringify(args)}`
  })
  app.api.get('/', { args: { d: Depends(dep) } }, ({ d }) => d)
  const res = await app.inject('/')
  checkResponse(t, res, 200, 'hi GET {}')
  t.equal(res.headers['x-dep'], 'set')
})

t.test('registration errors name the route, the argument and the fix', async t => {
  const someDep = dependency({ q: Query(z.string()) }, ({ q }) => q, { name: 'someDep' })
  const cases: Array<{ name: string, code: string, declare: (app: any) => unknown, message: RegExp[] }> = [
    {
      name: 'Depends of something else',
      code: 'FFA_ERR_DEPENDS_INVALID',
      declare: app => app.api.get('/', { args: { d: Depends(42 as any) } }, () => null),
      message: [/^GET \/: argument "d"/, /dependency\(args, fn\)/]
    },
    {
      name: 'a bad useCache',
      code: 'FFA_ERR_DEPENDS_INVALID',
      declare: app => app.api.get('/', { args: { d: Depends(someDep, { useCache: 'no' as any }) } }, () => null),
      message: [/useCache/]
    },
    {
      name: 'an unknown Depends option',
      code: 'FFA_ERR_DEPENDS_INVALID',
      declare: app => app.api.get('/', { args: { d: Depends(someDep, { cache: false } as any) } }, () => null),
      message: [/unknown option "cache"/]
    },
    {
      name: 'options that are not an object',
      code: 'FFA_ERR_DEPENDS_INVALID',
      declare: app => app.api.get('/', { args: { d: Depends(someDep, 'fresh' as any) } }, () => null),
      message: [/must be an object/]
    },
    {
      name: 'a value JSON Schema cannot describe, read by two nodes through different schema objects',
      code: 'FFA_ERR_DEPENDS_PARAM_CLASH',
      declare: app => {
        const custom = () => z.custom<string>(value => typeof value === 'string')
        const dep = dependency({ n: Query(custom()) }, ({ n }) => n, { name: 'customDep' })
        return app.api.get('/', { args: { d: Depends(dep), n: Query(custom()) } }, () => null)
      },
      message: [/"n" and "customDep\.n"/]
    },
    {
      name: 'scopes that are not strings',
      code: 'FFA_ERR_DEPENDS_INVALID',
      declare: app => app.api.get('/', { args: { d: Security(someDep, { scopes: [1] as any }) } }, () => null),
      message: [/scopes/]
    },
    {
      name: 'a dependencies entry that is not Depends()',
      code: 'FFA_ERR_DEPENDS_INVALID',
      declare: app => app.api.get('/', { dependencies: [someDep as any] }, () => null),
      message: [/argument "dependencies\[0\]"/, /Depends\(dep\)/]
    },
    {
      name: 'dependencies that is not an array',
      code: 'FFA_ERR_ROUTE_INVALID_OPTION',
      declare: app => app.api.get('/', { dependencies: Depends(someDep) as any }, () => null),
      message: [/must be an array/]
    },
    {
      name: 'a dependency argument that is not a marker',
      code: 'FFA_ERR_PARAM_NOT_A_MARKER',
      declare: app => app.api.get('/', { args: { d: Depends(dependency({ x: z.string() } as any, () => 1, { name: 'bad' })) } }, () => null),
      message: [/argument "bad\.x"/]
    },
    {
      name: 'a bad option inside a dependency',
      code: 'FFA_ERR_PARAM_INVALID_OPTION',
      declare: app => app.api.get('/', { args: { d: Depends(dependency({ n: Query(z.string(), { gt: 1 } as any) }, () => 1, { name: 'lim' })) } }, () => null),
      message: [/^GET \/: argument "lim\.n"/]
    },
    {
      name: 'a Path in a dependency that the URL lacks',
      code: 'FFA_ERR_PATH_PARAM_NOT_IN_URL',
      declare: app => app.api.get('/items', { args: { d: Depends(dependency({ id: Path(z.string()) }, () => 1, { name: 'byId' })) } }, () => null),
      message: [/argument "id"/, /":id"/]
    },
    {
      name: 'a Body in a dependency of a GET route',
      code: 'FFA_ERR_BODY_NOT_ALLOWED',
      declare: app => app.api.get('/', { args: { d: Depends(dependency({ b: Body(z.string()) }, () => 1, { name: 'withBody' })) } }, () => null),
      message: [/argument "withBody\.b"/]
    },
    {
      name: 'two names for one value inside a dependency',
      code: 'FFA_ERR_PARAM_DUPLICATE_NAME',
      declare: app => app.api.get('/', { args: { d: Depends(dependency({ a: Query(z.string(), { alias: 'q' }), b: Query(z.string(), { alias: 'q' }) }, () => 1, { name: 'dup' })) } }, () => null),
      message: [/"dup\.a" and "dup\.b"/]
    },
    {
      name: 'a dependency and the route reading one value differently',
      code: 'FFA_ERR_DEPENDS_PARAM_CLASH',
      declare: app => app.api.get('/', { args: { d: Depends(someDep), q: Query(z.number()) } }, () => null),
      message: [/arguments "q" and "someDep\.q" both read query "q"/]
    },
    {
      name: 'dependency args that are not an object',
      code: 'FFA_ERR_ROUTE_INVALID_OPTION',
      declare: app => app.api.get('/', { args: { d: Depends(dependency(null as any, () => 1, { name: 'nul' })) } }, () => null),
      message: [/`args` of dependency "nul"/]
    }
  ]
  for (const c of cases) {
    t.test(c.name, async t => {
      const app = await build(t)
      let thrown: any
      try { c.declare(app) } catch (error) { thrown = error }
      t.equal(thrown?.code, c.code)
      for (const part of c.message) t.match(thrown?.message, part)
    })
  }

  t.test('the same value read the same way by two nodes is fine', async t => {
    const app = await build(t)
    const a = dependency({ q: Query(z.string().min(1)) }, ({ q }) => q)
    app.api.get('/', { args: { a: Depends(a), q: Query(z.string().min(1)) } }, args => args)
    checkResponse(t, await app.inject('/?q=x'), 200, { a: 'x', q: 'x' })
    t.equal(app.api.routes[0].args.length, 1, 'documented once')
  })

  t.test('a cycle', async t => {
    const app = await build(t)
    const a = dependency({} as Record<string, any>, () => 1, { name: 'a' })
    const b = dependency({ a: Depends(a) }, () => 2, { name: 'b' })
    ;(a.args as Record<string, unknown>).b = Depends(b)
    t.throws(() => app.api.get('/', { args: { x: Depends(b) } }, () => null), {
      code: 'FFA_ERR_DEPENDS_CYCLE',
      message: /^GET \/: argument "a\.b" closes a dependency cycle: b → a → b/
    })
  })

  t.test('a bad plugin option and a bad addDependency', async t => {
    const app = Fastify()
    t.teardown(() => app.close())
    await t.rejects(async () => { await app.register(fastapi, { dependencies: [someDep as any] }) }, { code: 'FFA_ERR_OPTIONS_INVALID' })
    const other = await build(t)
    t.throws(() => other.api.addDependency(someDep as any), { code: 'FFA_ERR_DEPENDS_INVALID' })
  })
})

t.test('a dependency that is not a generator but returns a promise is awaited; a rejection is answered', async t => {
  const app = await build(t)
  const later = dependency({}, () => Promise.resolve('later'))
  const failing = dependency({}, () => Promise.reject(new HTTPException(418, 'teapot')))
  app.api.get('/ok', { args: { v: Depends(later) } }, ({ v }) => v)
  app.api.get('/fail', { args: { v: Depends(failing) } }, ({ v }) => v)
  checkResponse(t, await app.inject('/ok'), 200, 'later')
  checkResponse(t, await app.inject('/fail'), 418, { detail: 'teapot' })
})
