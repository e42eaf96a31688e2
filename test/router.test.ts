/**
 * APIRouter: prefixes (router, include, Fastify's register prefix), FastAPI's merge order of tags,
 * dependencies and responses, deprecated/includeInSchema in the document, encapsulation,
 * registering one router twice, nesting, 404/405, and the registration errors.
 */
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { z } from 'zod'
import { APIRouter, Depends, Path, Query, dependency, type Dependency } from '../lib/index.js'
import { build, checkResponse, parsing } from './helper.js'

async function openapi (app: FastifyInstance): Promise<Record<string, any>> {
  const res = await app.inject('/openapi.json')
  if (res.statusCode !== 200) throw new Error(`GET /openapi.json: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** A dependency that records its name when it runs. */
function logged (log: string[], name: string): Dependency<void, {}> {
  return dependency({}, () => { log.push(name) }, { name })
}

t.test('the router is a Fastify plugin function and an APIRouter; its methods chain', async t => {
  const router = new APIRouter({ prefix: '/things' })
  t.type(router, 'function')
  t.ok(router instanceof APIRouter)
  t.equal(router.name, 'APIRouter(/things)', 'the name printPlugins() shows')
  t.equal(router.get('/a', {}, () => 'a').post('/b', {}, () => 'b').route(['PUT', 'PATCH'], '/c', {}, () => 'c'), router)
  const app = await build(t)
  await app.register(router)
  t.equal((await app.inject('/things/a')).json(), 'a')
  t.equal((await app.inject({ method: 'POST', url: '/things/b' })).json(), 'b')
  t.equal((await app.inject({ method: 'PATCH', url: '/things/c' })).json(), 'c')
  t.match(app.printPlugins(), /APIRouter\(\/things\)/)
})

t.test('a subclass keeps its fields and methods, and still registers', async t => {
  class AdminRouter extends APIRouter {
    readonly area = 'admin'
    ping (): string { return `${this.area} pong` }
  }
  const admin = new AdminRouter({ prefix: '/admin' })
  t.ok(admin instanceof AdminRouter)
  t.equal(admin.get('', {}, () => 'admin').ping(), 'admin pong')
  const app = await build(t)
  await app.register(admin)
  t.equal((await app.inject('/admin')).json(), 'admin')
})

t.test('every method shorthand declares its method', async t => {
  const router = new APIRouter()
  const methods = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'] as const
  // One path each: Fastify adds a HEAD route to every GET one.
  for (const method of methods) router[method](`/${method}`, {}, () => null)
  const app = await build(t)
  await app.register(router)
  for (const method of methods) {
    const res = await app.inject({ method: method.toUpperCase() as 'GET', url: `/${method}` })
    t.equal(res.statusCode, 200, method)
  }
})

t.test('prefixes: the register prefix, the routers\' and the includes\', with path parameters in each', async t => {
  const app = await build(t)
  const seen: string[] = []
  // A router-level dependency may read a parameter of the router's prefix, as in FastAPI;
  // then the route need not declare it.
  const org = dependency({ orgId: Path(z.string().min(2)) }, ({ orgId }) => { seen.push(orgId) })
  const files = new APIRouter({ prefix: '/projects/:projectId' })
  files.get('/files/{fileId}', {
    args: {
      tenant: Path(z.string()),
      teamId: Path(z.number().int()),
      projectId: Path(z.string()),
      fileId: Path(z.number().int())
    }
  }, function readFile (args) { return args })
  const teams = new APIRouter({ prefix: '/teams' })
  // FastAPI's `{name}` works in a prefix as in a path.
  teams.include(files, { prefix: '/{teamId}' })
  const orgs = new APIRouter({ prefix: '/orgs/:orgId', dependencies: [Depends(org)] })
  orgs.include(teams)
  await app.register(orgs, { prefix: '/v1/:tenant' })

  const ok = await app.inject('/v1/acme/orgs/o1/teams/7/projects/p9/files/3')
  checkResponse(t, ok, 200, { tenant: 'acme', teamId: 7, projectId: 'p9', fileId: 3 })
  t.same(seen, ['o1'])

  const bad = await app.inject('/v1/acme/orgs/o/teams/x/projects/p9/files/3')
  checkResponse(t, bad, 422, {
    detail: [
      { type: 'string_too_short', loc: ['path', 'orgId'], msg: 'String should have at least 2 characters', input: 'o', ctx: { min_length: 2 } },
      parsing.int('x', 'path', 'teamId')
    ]
  })

  const doc = await openapi(app)
  const path = '/v1/{tenant}/orgs/{orgId}/teams/{teamId}/projects/{projectId}/files/{fileId}'
  t.strictSame(Object.keys(doc.paths), [path])
  t.strictSame(doc.paths[path].get.parameters.map((p: any) => p.name), ['tenant', 'teamId', 'projectId', 'fileId', 'orgId'],
    'the route\'s own parameters first, then its dependencies\' (FastAPI\'s flat dependant)')
  t.equal(doc.paths[path].get.operationId, 'readFile_v1__tenant__orgs__orgId__teams__teamId__projects__projectId__files__fileId__get')
})

t.test('an empty route path under a prefix is the prefix itself; "/" is the prefix with a slash', async t => {
  const app = await build(t)
  const router = new APIRouter({ prefix: '/users' })
  router.get('', {}, () => 'list')
  router.post('/', {}, () => 'create')
  await app.register(router)
  t.equal((await app.inject('/users')).json(), 'list')
  t.equal((await app.inject({ method: 'POST', url: '/users/' })).json(), 'create')
  t.equal((await app.inject({ method: 'POST', url: '/users' })).statusCode, 405, 'FastAPI keeps the two paths apart too')
})

t.test('tags, dependencies and responses merge in FastAPI\'s order: outermost first, the route last', async t => {
  const log: string[] = []
  const app = await build(t, { dependencies: [Depends(logged(log, 'app'))] })
  const outer = new APIRouter({
    tags: ['outer'],
    dependencies: [Depends(logged(log, 'outer'))],
    responses: { 404: { description: 'outer 404' }, 409: { description: 'outer 409' }, 500: { description: 'outer 500' } }
  })
  const inner = new APIRouter({
    prefix: '/inner',
    tags: ['inner'],
    dependencies: [Depends(logged(log, 'inner'))],
    responses: { 404: { description: 'inner 404' } }
  })
  const decl = {
    tags: ['route'],
    dependencies: [Depends(logged(log, 'route'))],
    responses: { 409: { description: 'route 409' }, 418: { description: 'route 418' } },
    args: { a: Depends(logged(log, 'arg')), q: Query(z.string().optional()) }
  }
  inner.get('/x', decl, function readX () {
    log.push('handler')
    return 'ok'
  })
  outer.include(inner, {
    tags: ['include'],
    dependencies: [Depends(logged(log, 'include'))],
    responses: { 500: { description: 'include 500' } }
  })
  await app.register(outer, { tags: ['register'], dependencies: [Depends(logged(log, 'register'))] })

  const res = await app.inject('/inner/x')
  t.equal(res.statusCode, 200)
  t.strictSame(log, ['app', 'register', 'outer', 'include', 'inner', 'route', 'arg', 'handler'])

  const operation = (await openapi(app)).paths['/inner/x'].get
  t.strictSame(operation.tags, ['register', 'outer', 'include', 'inner', 'route'])
  t.strictSame(Object.fromEntries(Object.entries(operation.responses).map(([code, r]: [string, any]) => [code, r.description])), {
    200: 'Successful Response',
    404: 'inner 404',
    409: 'route 409',
    418: 'route 418',
    422: 'Validation Error',
    500: 'include 500'
  })
  t.strictSame(decl.tags, ['route'], 'the user\'s declaration is not changed')
  t.equal(decl.dependencies.length, 1)
})

t.test('deprecated: any level marks the route, and a route cannot undo it (FastAPI\'s `or`)', async t => {
  const app = await build(t)
  const old = new APIRouter({ prefix: '/old', deprecated: true })
  old.get('/a', {}, function a () { return 'a' })
  old.get('/b', { deprecated: false }, function b () { return 'b' })
  const plain = new APIRouter({ prefix: '/plain' })
  plain.get('/c', {}, function c () { return 'c' })
  plain.get('/d', { deprecated: true }, function d () { return 'd' })
  const viaInclude = new APIRouter({ prefix: '/inc' })
  viaInclude.get('/e', {}, function e () { return 'e' })
  const root = new APIRouter()
  root.include(viaInclude, { deprecated: true })
  const viaRegister = new APIRouter({ prefix: '/reg' })
  viaRegister.get('/f', {}, function f () { return 'f' })
  await app.register(old)
  await app.register(plain)
  await app.register(root)
  await app.register(viaRegister, { deprecated: true })

  const { paths } = await openapi(app)
  const cases: Array<[string, boolean]> = [['/old/a', true], ['/old/b', true], ['/plain/c', false], ['/plain/d', true], ['/inc/e', true], ['/reg/f', true]]
  for (const [path, deprecated] of cases) {
    t.equal(paths[path].get.deprecated, deprecated ? true : undefined, path)
    t.equal((await app.inject(path)).statusCode, 200, `${path} still answers`)
  }
})

t.test('includeInSchema: false at any level hides the route; a route cannot opt back in (FastAPI\'s `and`)', async t => {
  const app = await build(t)
  const hidden = new APIRouter({ prefix: '/hidden', includeInSchema: false })
  hidden.get('/a', { includeInSchema: true }, () => 'a')
  const shown = new APIRouter({ prefix: '/shown' })
  shown.get('/b', {}, () => 'b')
  shown.get('/c', { includeInSchema: false }, () => 'c')
  const inner = new APIRouter({ prefix: '/inner' })
  inner.get('/d', {}, () => 'd')
  shown.include(inner, { includeInSchema: false })
  const viaRegister = new APIRouter({ prefix: '/reg' })
  viaRegister.get('/e', {}, () => 'e')
  await app.register(hidden)
  await app.register(shown)
  await app.register(viaRegister, { includeInSchema: false })

  const { paths } = await openapi(app)
  t.strictSame(Object.keys(paths), ['/shown/b'])
  for (const path of ['/hidden/a', '/shown/b', '/shown/c', '/shown/inner/d', '/reg/e']) {
    t.equal((await app.inject(path)).statusCode, 200, `${path} answers`)
  }
})

t.test('encapsulation: a router registered inside a plugin gets its hooks, decorators and dependencies, and only it', async t => {
  const log: string[] = []
  const app = await build(t)
  app.decorateRequest('who', 'root')
  const router = new APIRouter({ prefix: '/me' })
  router.get('', {}, (args, request) => ({ who: (request as any).who }))
  await app.register(async scope => {
    scope.addHook('onRequest', async (request, reply) => { reply.header('x-scope', 'inside') })
    scope.addHook('onRequest', async request => { (request as any).who = 'scoped' })
    scope.api.addDependency(Depends(logged(log, 'scope')))
    await scope.register(router, { prefix: '/inside' })
  })
  await app.register(router, { prefix: '/outside' })

  const inside = await app.inject('/inside/me')
  checkResponse(t, inside, 200, { who: 'scoped' })
  t.equal(inside.headers['x-scope'], 'inside')
  t.strictSame(log, ['scope'])

  const outside = await app.inject('/outside/me')
  checkResponse(t, outside, 200, { who: 'root' })
  t.equal(outside.headers['x-scope'], undefined)
  t.strictSame(log, ['scope'], 'the scope\'s dependency stays in the scope')
})

t.test('one router registered twice, under two prefixes and with other settings', async t => {
  const log: string[] = []
  const app = await build(t)
  const items = new APIRouter({ prefix: '/items', tags: ['items'] })
  items.get('/:itemId', { args: { itemId: Path(z.number().int()) } }, function readItem ({ itemId }) { return { itemId } })
  await app.register(items, { prefix: '/v1' })
  await app.register(items, { prefix: '/v2', tags: ['v2'], dependencies: [Depends(logged(log, 'v2'))] })

  checkResponse(t, await app.inject('/v1/items/1'), 200, { itemId: 1 })
  t.strictSame(log, [])
  checkResponse(t, await app.inject('/v2/items/2'), 200, { itemId: 2 })
  t.strictSame(log, ['v2'])

  const { paths } = await openapi(app)
  t.strictSame(Object.keys(paths), ['/v1/items/{itemId}', '/v2/items/{itemId}'])
  t.strictSame(paths['/v1/items/{itemId}'].get.tags, ['items'], 'the second registration did not add to the first')
  t.strictSame(paths['/v2/items/{itemId}'].get.tags, ['v2', 'items'])
  t.equal(paths['/v1/items/{itemId}'].get.operationId, 'readItem_v1_items__itemId__get')
  t.equal(paths['/v2/items/{itemId}'].get.operationId, 'readItem_v2_items__itemId__get')
})

t.test('nested three levels deep; a router included before its routes are declared still gets them', async t => {
  const log: string[] = []
  const app = await build(t)
  const a = new APIRouter({ prefix: '/a', tags: ['a'], dependencies: [Depends(logged(log, 'a'))] })
  const b = new APIRouter({ prefix: '/b', tags: ['b'], dependencies: [Depends(logged(log, 'b'))] })
  const c = new APIRouter({ prefix: '/c', tags: ['c'], dependencies: [Depends(logged(log, 'c'))] })
  // Included first, declared later: FastAPI (since 0.137) keeps the router, not a copy of its routes.
  a.include(b, { prefix: '/ib', tags: ['ib'] })
  b.include(c, { prefix: '/ic', tags: ['ic'] })
  a.get('/own', {}, function ownA () { return 'a' })
  b.get('/own', {}, function ownB () { return 'b' })
  c.get('/own', { tags: ['route'] }, function ownC () { return 'c' })
  await app.register(a)

  t.equal((await app.inject('/a/own')).json(), 'a')
  t.equal((await app.inject('/a/ib/b/own')).json(), 'b')
  t.equal((await app.inject('/a/ib/b/ic/c/own')).json(), 'c')
  t.strictSame(log, ['a', 'a', 'b', 'a', 'b', 'c'])

  const { paths } = await openapi(app)
  // Each router's entries in declaration order, an include where it was made (FastAPI's route list).
  t.strictSame(Object.keys(paths), ['/a/ib/b/ic/c/own', '/a/ib/b/own', '/a/own'])
  t.strictSame(paths['/a/ib/b/ic/c/own'].get.tags, ['a', 'ib', 'b', 'ic', 'c', 'route'])
})

t.test('404 and 405 answer for router routes as for app.api routes', async t => {
  const app = await build(t)
  const router = new APIRouter({ prefix: '/items' })
  router.get('/:id', { args: { id: Path(z.number().int()) } }, ({ id }) => ({ id }))
  router.route(['PUT', 'PATCH'], '/:id/name', { args: { id: Path(z.string()) } }, ({ id }) => ({ id }))
  await app.register(router, { prefix: '/v1' })

  const cases = [
    { method: 'DELETE', url: '/v1/items/3', status: 405, allow: 'GET, HEAD' },
    { method: 'GET', url: '/v1/items/3/name', status: 405, allow: 'PUT, PATCH' },
    { method: 'GET', url: '/v1/nope', status: 404 },
    { method: 'GET', url: '/items/3', status: 404 }
  ] as const
  for (const c of cases) {
    const res = await app.inject({ method: c.method, url: c.url })
    t.equal(res.statusCode, c.status, `${c.method} ${c.url}`)
    t.same(res.json(), { detail: c.status === 404 ? 'Not Found' : 'Method Not Allowed' })
    t.equal(res.headers.allow, c.status === 405 ? c.allow : undefined)
  }
})

t.test('declaring on a router that was already registered throws, naming the route and the router', async t => {
  const app = await build(t)
  const inner = new APIRouter({ prefix: '/inner' })
  inner.get('/x', {}, () => 'x')
  const users = new APIRouter({ prefix: '/users' })
  users.include(inner)
  // Not yet run: Fastify loads plugins lazily, so this late route still counts.
  const registering = app.register(users)
  users.get('/early', {}, () => 'early')
  await registering

  t.throws(() => users.get('/late', {}, () => 'late'), {
    code: 'FFA_ERR_ROUTE_INVALID_OPTION',
    message: /^GET \/users\/late \(APIRouter prefix "\/users"\): this router was already registered .*before `await app\.register\(router\)`/
  })
  t.throws(() => inner.post('/late', {}, () => 'late'), { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /^POST \/inner\/late \(APIRouter prefix "\/inner"\)/ },
    'an included router is sealed with the one that includes it')
  t.throws(() => users.include(new APIRouter({ prefix: '/more' })), {
    code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /include\(\) of a router with prefix "\/more".*Include every router before/
  })
  t.equal((await app.inject('/users/early')).json(), 'early')
  t.equal((await app.inject('/users/late')).statusCode, 404)

  // Still usable as a whole: another router may include it, another app may register it.
  const other = new APIRouter({ prefix: '/other' })
  other.include(users)
  const app2 = await build(t)
  await app2.register(other)
  t.equal((await app2.inject('/other/users/inner/x')).json(), 'x')
})

t.test('option errors: constructor, include and route declaration', async t => {
  const router = new APIRouter({ prefix: '/r' })
  const notADep = { dep: 'nope' }
  const constructorCases: Array<[string, unknown, RegExp]> = [
    ['unknown key', { prefx: '/a' }, /^new APIRouter\(\): unknown option "prefx"\. The options are prefix, tags, dependencies, responses, deprecated, includeInSchema\.$/],
    ['not an object', 'users', /the options must be an object/],
    ['prefix without a leading slash', { prefix: 'users' }, /a path prefix must start with '\/', got "users"/],
    ['prefix with a trailing slash', { prefix: '/users/' }, /must not end with '\/'/],
    ['prefix not a string', { prefix: 1 }, /prefix must be a string, got 1/],
    ['tags not an array', { tags: 'users' }, /tags must be an array of strings/],
    ['tags of numbers', { tags: [1] }, /tags must be an array of strings/],
    ['dependencies not markers', { dependencies: [notADep] }, /dependencies must be an array such as \[Depends\(verifyKey\)\]/],
    ['responses not an object', { responses: [] }, /responses must be an object/],
    ['responses entry not an object', { responses: { 404: 'Not found' } }, /responses must be an object/],
    ['deprecated not a boolean', { deprecated: 'yes' }, /deprecated must be true or false, got "yes"/],
    ['includeInSchema not a boolean', { includeInSchema: 0 }, /includeInSchema must be true or false, got 0/]
  ]
  for (const [name, options, message] of constructorCases) {
    t.throws(() => new APIRouter(options as any), { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message }, `new APIRouter(): ${name}`)
    t.throws(() => router.include(new APIRouter(), options as any), { code: 'FFA_ERR_ROUTE_INVALID_OPTION' }, `include(): ${name}`)
  }

  const a = new APIRouter({ prefix: '/a' })
  const b = new APIRouter({ prefix: '/b' })
  const c = new APIRouter({ prefix: '/c' })
  a.include(b)
  b.include(c)
  t.throws(() => a.include(a), { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /^APIRouter prefix "\/a": include\(\): a router cannot include itself\.$/ })
  t.throws(() => c.include(a), { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /already includes this router.*cycle/ })
  t.throws(() => a.include((() => {}) as any), { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /must be made with new APIRouter\(\)/ })

  const routeCases: Array<[string, () => unknown, RegExp]> = [
    ['a path without a leading slash', () => router.get('items', {}, () => 1), /^GET \/ritems \(APIRouter prefix "\/r"\): the path must be '' or start with '\/', got "items"\.$/],
    ['a declaration that is not an object', () => router.get('/x', null as any, () => 1), /the declaration must be an object/],
    ['a handler that is not a function', () => router.get('/x', {}, 'nope' as any), /the handler must be a function/],
    ['no method', () => router.route([], '/x', {}, () => 1), /^ \/r\/x .*the method must be/],
    ['route tags not an array', () => router.get('/x', { tags: 'users' as any }, () => 1), /`tags` must be an array of strings/],
    ['route dependencies not an array', () => router.get('/x', { dependencies: {} as any }, () => 1), /`dependencies` must be an array/],
    ['route responses not an object', () => router.get('/x', { responses: [] as any }, () => 1), /`responses` must be an object/]
  ]
  for (const [name, declare, message] of routeCases) {
    t.throws(declare, { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message }, name)
  }
})

t.test('errors at registration reject app.register()', async t => {
  t.test('fastify-fastapi not registered', async t => {
    const app = Fastify()
    t.teardown(() => app.close())
    const router = new APIRouter({ prefix: '/users' })
    router.get('/', {}, () => null)
    // A Fastify instance is a thenable, not a promise: t.rejects wants a function.
    await t.rejects(async () => { await app.register(router) }, {
      code: 'FFA_ERR_ROUTE_INVALID_OPTION',
      message: /^app\.register\(APIRouter prefix "\/users"\): fastify-fastapi is not registered.*await app\.register\(fastapi\)/
    })
  })

  const cases: Array<[string, (router: APIRouter) => [APIRouter, Record<string, any>?], any]> = [
    ['an unknown register option', router => [router, { prefx: '/v1' }],
      { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /^app\.register\(APIRouter prefix "\/p"\): unknown option "prefx"\. The options are tags, dependencies, responses, deprecated, includeInSchema, prefix, logLevel, logSerializers\.$/ }],
    ['a bad register option', router => [router, { tags: 'v1' }], { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /tags must be an array/ }],
    ['a prefix parameter no argument reads', router => {
      const withParam = new APIRouter({ prefix: '/orgs/:orgId' })
      withParam.get('/x', { args: { q: Query(z.string()) } }, () => null)
      return [withParam]
    }, { code: 'FFA_ERR_PATH_PARAM_UNDECLARED', message: /^GET \/orgs\/:orgId\/x: the URL segment ":orgId" has no Path\(\) argument/ }],
    ['an option the route compiler refuses', router => {
      router.get('/x', { responseMdoel: z.string() } as any, () => null)
      return [router]
    }, { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /^GET \/p\/x: unknown option "responseMdoel"/ }],
    ['an empty prefix and an empty path', () => {
      const empty = new APIRouter()
      empty.get('', {}, () => null)
      return [empty]
    }, { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /^GET \(APIRouter prefix ""\): the prefix and the path cannot both be empty/ }]
  ]
  for (const [name, setup, expected] of cases) {
    t.test(name, async t => {
      const app = await build(t)
      const [router, options] = setup(new APIRouter({ prefix: '/p' }))
      await t.rejects(async () => { await app.register(router, options ?? {}) }, expected)
    })
  }

  t.test('an empty path is fine under a register prefix', async t => {
    const app = await build(t)
    const router = new APIRouter()
    router.get('', {}, () => 'root of v1')
    await app.register(router, { prefix: '/v1' })
    t.equal((await app.inject('/v1')).json(), 'root of v1')
  })
})

t.test('the handler gets the validated arguments, `this` and the request as with app.api', async t => {
  const app = await build(t)
  const router = new APIRouter({ prefix: '/items' })
  const Item = z.object({ id: z.number(), name: z.string() })
  router.get('/:id', { args: { id: Path(z.number().int()), q: Query(z.string().default('none')) }, responseModel: Item }, function readItem ({ id, q }, request) {
    t.equal(this, request.server, 'this is the encapsulated instance')
    return { id, name: q, secret: 'dropped' }
  })
  await app.register(router)
  checkResponse(t, await app.inject('/items/5?q=hi'), 200, { id: 5, name: 'hi' })
  checkResponse(t, await app.inject('/items/5'), 200, { id: 5, name: 'none' })
})
