/**
 * examples/dependencies: every route's answers, connections always given back, rollback on errors,
 * the x-key / x-token checks, and dependencyOverrides swapping the database.
 */
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { Depends } from '../../lib/index.js'
import { build, getDb, Pool, transaction } from '../../examples/dependencies/index.js'

const KEY = { 'x-key': 'fake-super-secret-key' }
const ADMIN = { ...KEY, 'x-token': 'fake-super-secret-token' }

// A dependency's code after `yield` runs once the response is sent: let it run before counting.
const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

// Each test builds its own app (and so its own pool) and closes it when it ends.
async function app (t: { teardown: (fn: () => unknown) => void }) {
  const instance = await build()
  t.teardown(() => instance.close())
  return instance
}

/** The pool's counters once every teardown has run. */
async function counters (instance: FastifyInstance) {
  await tick()
  const { opened, released, rolledBack } = instance.pool
  return { opened, released, rolledBack }
}

const names = (instance: FastifyInstance) => instance.pool.items.map(item => item.name)

t.test('pagination', async t => {
  const cases = [
    { url: '/items', body: [{ id: 1, name: 'Foo' }, { id: 2, name: 'Bar' }, { id: 3, name: 'Baz' }] },
    { url: '/items?skip=1&limit=1', body: [{ id: 2, name: 'Bar' }] },
    { url: '/items?skip=2&limit=1000', body: [{ id: 3, name: 'Baz' }] },
    { url: '/users', body: [{ username: 'Rick' }, { username: 'Morty' }] },
    { url: '/users?skip=1', body: [{ username: 'Morty' }] },
    { url: '/users?limit=1', body: [{ username: 'Rick' }] }
  ]
  for (const { url, body } of cases) {
    t.test(`GET ${url}`, async t => {
      const instance = await app(t)
      const res = await instance.inject({ method: 'GET', url })
      t.equal(res.statusCode, 200)
      t.same(res.json(), body)
    })
  }

  for (const path of ['/items', '/users']) {
    t.test(`GET ${path}: 422 for limit above 1000`, async t => {
      const res = await (await app(t)).inject({ method: 'GET', url: `${path}?limit=1001` })
      t.equal(res.statusCode, 422)
      t.same(res.json(), {
        detail: [{ type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 1000', input: '1001', ctx: { le: 1000 } }]
      })
    })

    t.test(`GET ${path}: 422 for every bad pagination value at once`, async t => {
      const res = await (await app(t)).inject({ method: 'GET', url: `${path}?skip=first&limit=1.5` })
      t.equal(res.statusCode, 422)
      t.same(res.json(), {
        detail: [
          { type: 'int_parsing', loc: ['query', 'skip'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'first' },
          { type: 'int_parsing', loc: ['query', 'limit'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: '1.5' }
        ]
      })
    })
  }
})

t.test('getDb: one connection per request, always given back', async t => {
  t.test('after a success', async t => {
    const instance = await app(t)
    await instance.inject({ method: 'GET', url: '/items' })
    await instance.inject({ method: 'GET', url: '/items?skip=1' })
    t.same(await counters(instance), { opened: 2, released: 2, rolledBack: 0 })
  })

  t.test('after a 422', async t => {
    const instance = await app(t)
    const res = await instance.inject({ method: 'GET', url: '/items?limit=5000' })
    t.equal(res.statusCode, 422)
    const { opened, released } = await counters(instance)
    t.equal(released, opened)
  })

  t.test('routes without getDb open none', async t => {
    const instance = await app(t)
    await instance.inject({ method: 'GET', url: '/users' })
    t.same(await counters(instance), { opened: 0, released: 0, rolledBack: 0 })
  })
})

t.test('GET /search: q, or else the last_query cookie', async t => {
  const cases: Array<{ name: string, url: string, cookies: Record<string, string>, body: unknown }> = [
    { name: 'neither', url: '/search', cookies: {}, body: { q_or_cookie: null } },
    { name: 'q only', url: '/search?q=plumbus', cookies: {}, body: { q_or_cookie: 'plumbus' } },
    { name: 'cookie only', url: '/search', cookies: { last_query: 'portal gun' }, body: { q_or_cookie: 'portal gun' } },
    { name: 'q wins over the cookie', url: '/search?q=plumbus', cookies: { last_query: 'portal gun' }, body: { q_or_cookie: 'plumbus' } },
    { name: 'an empty q falls back to the cookie', url: '/search?q=', cookies: { last_query: 'portal gun' }, body: { q_or_cookie: 'portal gun' } }
  ]
  for (const { name, url, cookies, body } of cases) {
    t.test(name, async t => {
      const res = await (await app(t)).inject({ method: 'GET', url, cookies })
      t.equal(res.statusCode, 200)
      t.same(res.json(), body)
    })
  }
})

t.test('POST /admin/items: a transaction', async t => {
  t.test('201, committed once the response is sent', async t => {
    const instance = await app(t)
    const res = await instance.inject({ method: 'POST', url: '/admin/items', headers: ADMIN, payload: [{ name: 'Qux' }, { name: 'Quux' }] })
    t.equal(res.statusCode, 201)
    t.same(res.json(), [{ id: 4, name: 'Qux' }, { id: 5, name: 'Quux' }])
    // Two connections: the transaction's, and the audit log's own (useCache: false).
    t.same(await counters(instance), { opened: 2, released: 2, rolledBack: 0 })
    t.same(names(instance), ['Foo', 'Bar', 'Baz', 'Qux', 'Quux'])
    t.same(instance.pool.auditLog, ['create Qux, Quux'])
    const list = await instance.inject({ method: 'GET', url: '/items?skip=3' })
    t.same(list.json(), [{ id: 4, name: 'Qux' }, { id: 5, name: 'Quux' }])
  })

  t.test('an HTTPException from the handler rolls back; the audit entry stays', async t => {
    const instance = await app(t)
    const res = await instance.inject({ method: 'POST', url: '/admin/items', headers: ADMIN, payload: [{ name: 'Qux' }, { name: 'Foo' }] })
    t.equal(res.statusCode, 409)
    t.same(res.json(), { detail: 'Item Foo already exists' })
    t.same(await counters(instance), { opened: 2, released: 2, rolledBack: 1 })
    t.same(names(instance), ['Foo', 'Bar', 'Baz'], 'Qux, inserted before the conflict, is gone')
    t.same(instance.pool.auditLog, ['create Qux, Foo'], 'written on its own connection, outside the transaction')
  })

  t.test('an unexpected error rolls back too, and answers 500', async t => {
    const instance = await app(t)
    instance.api.post('/broken', { args: { db: Depends(transaction) } }, async function broken ({ db }) {
      await db.insertItem('Half-written')
      throw new Error('disk full')
    })
    const res = await instance.inject({ method: 'POST', url: '/broken' })
    t.equal(res.statusCode, 500)
    t.same(res.json(), { detail: 'Internal Server Error' })
    t.same(await counters(instance), { opened: 1, released: 1, rolledBack: 1 })
    t.same(names(instance), ['Foo', 'Bar', 'Baz'])
  })

  t.test('422 for an invalid body; every connection given back', async t => {
    const instance = await app(t)
    const res = await instance.inject({ method: 'POST', url: '/admin/items', headers: ADMIN, payload: [{ name: 'Qux' }, { name: '' }] })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [{ type: 'string_too_short', loc: ['body', 1, 'name'], msg: 'String should have at least 1 character', input: '', ctx: { min_length: 1 } }]
    })
    const { opened, released } = await counters(instance)
    t.equal(released, opened)
    t.same(names(instance), ['Foo', 'Bar', 'Baz'])
    t.same(instance.pool.auditLog, [])
  })
})

t.test('x-key on every /admin route, x-token on POST /admin/items', async t => {
  const cases = [
    {
      name: 'POST without either header: both missing',
      method: 'POST' as const,
      url: '/admin/items',
      headers: {},
      status: 422,
      body: {
        detail: [
          { type: 'missing', loc: ['header', 'x-key'], msg: 'Field required', input: null },
          { type: 'missing', loc: ['header', 'x-token'], msg: 'Field required', input: null }
        ]
      }
    },
    {
      name: 'POST with a wrong key',
      method: 'POST' as const,
      url: '/admin/items',
      headers: { ...ADMIN, 'x-key': 'fake-key' },
      status: 400,
      body: { detail: 'X-Key header invalid' }
    },
    {
      name: 'POST with a wrong token',
      method: 'POST' as const,
      url: '/admin/items',
      headers: { ...ADMIN, 'x-token': 'fake-token' },
      status: 400,
      body: { detail: 'X-Token header invalid' }
    },
    {
      name: 'POST with the key but no token',
      method: 'POST' as const,
      url: '/admin/items',
      headers: KEY,
      status: 422,
      body: { detail: [{ type: 'missing', loc: ['header', 'x-token'], msg: 'Field required', input: null }] }
    },
    {
      name: 'GET /admin/audit needs the key only',
      method: 'GET' as const,
      url: '/admin/audit',
      headers: KEY,
      status: 200,
      body: []
    },
    {
      name: 'GET /admin/audit with a wrong key',
      method: 'GET' as const,
      url: '/admin/audit',
      headers: { 'x-key': 'fake-key' },
      status: 400,
      body: { detail: 'X-Key header invalid' }
    },
    {
      name: 'GET /admin/audit without the key',
      method: 'GET' as const,
      url: '/admin/audit',
      headers: { 'x-token': 'fake-super-secret-token' },
      status: 422,
      body: { detail: [{ type: 'missing', loc: ['header', 'x-key'], msg: 'Field required', input: null }] }
    }
  ]
  for (const { name, method, url, headers, status, body } of cases) {
    t.test(name, async t => {
      const instance = await app(t)
      const res = await instance.inject({ method, url, headers, payload: method === 'POST' ? [{ name: 'Qux' }] : undefined })
      t.equal(res.statusCode, status)
      t.same(res.json(), body)
      const { opened, released } = await counters(instance)
      t.equal(released, opened, 'every connection given back')
      t.same(names(instance), ['Foo', 'Bar', 'Baz'], 'nothing written')
    })
  }

  t.test('a bad header is refused before any connection is opened', async t => {
    const instance = await app(t)
    for (const headers of [{ ...ADMIN, 'x-key': 'fake-key' }, { ...ADMIN, 'x-token': 'fake-token' }]) {
      const res = await instance.inject({ method: 'POST', url: '/admin/items', headers, payload: [{ name: 'Qux' }] })
      t.equal(res.statusCode, 400)
    }
    t.same(await counters(instance), { opened: 0, released: 0, rolledBack: 0 })
  })

  t.test('the public routes need neither header', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/users?limit=1' })
    t.equal(res.statusCode, 200)
  })
})

t.test('dependencyOverrides swaps the database, for getDb and for everything built on it', async t => {
  const instance = await app(t)
  const fakePool = new Pool(['Fake item'])
  const fakeDb = await fakePool.connect()
  instance.dependencyOverrides.set(getDb, async function * fakeGetDb () { yield fakeDb })

  const list = await instance.inject({ method: 'GET', url: '/items' })
  t.equal(list.statusCode, 200)
  t.same(list.json(), [{ id: 1, name: 'Fake item' }])

  // transaction depends on getDb, so it now runs on the fake connection.
  const created = await instance.inject({ method: 'POST', url: '/admin/items', headers: ADMIN, payload: [{ name: 'Test item' }] })
  t.equal(created.statusCode, 201)
  t.same(created.json(), [{ id: 2, name: 'Test item' }])
  await tick()
  t.same(fakePool.items.map(item => item.name), ['Fake item', 'Test item'])
  t.same(fakePool.auditLog, ['create Test item'])
  t.same(await counters(instance), { opened: 0, released: 0, rolledBack: 0 }, 'the real pool was never used')
  t.same(names(instance), ['Foo', 'Bar', 'Baz'])

  instance.dependencyOverrides.clear()
  const real = await instance.inject({ method: 'GET', url: '/items?limit=1' })
  t.same(real.json(), [{ id: 1, name: 'Foo' }])
  t.same(await counters(instance), { opened: 1, released: 1, rolledBack: 0 })
})
