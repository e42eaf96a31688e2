/**
 * `app.dependencyOverrides`: replace a dependency (for tests), checked when set, undone by
 * delete/clear, and never changing what the route documents.
 */
import t from 'tap'
import { z } from 'zod'
import { Depends, Header, Path, Query, dependency } from '../lib/index.js'
import { build, checkResponse, missing } from './helper.js'

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

interface Db { name: string, close: () => void }

function setup () {
  const closed: string[] = []
  const getDb = dependency({}, async function * getDb () {
    const db: Db = { name: 'real', close: () => closed.push('real') }
    try { yield db } finally { db.close() }
  })
  const repo = dependency({ db: Depends(getDb) }, ({ db }) => ({ find: (id: number) => `${db.name}:${id}` }), { name: 'repo' })
  return { closed, getDb, repo }
}

t.test('an override replaces the dependency in routes declared before and after, until cleared', async t => {
  const app = await build(t)
  const { closed, getDb, repo } = setup()
  app.api.get('/users/:id', { args: { r: Depends(repo), id: Path(z.number().int()) } }, ({ r, id }) => r.find(id))

  app.dependencyOverrides.set(getDb, async function * fakeDb () {
    yield { name: 'fake', close: () => closed.push('fake') }
    closed.push('fake teardown')
  })
  t.ok(app.dependencyOverrides.has(getDb))
  t.equal(app.dependencyOverrides.size, 1)
  // Declared after set(), before the app starts: compiled with the override already in force.
  app.api.get('/later/:id', { args: { r: Depends(repo), id: Path(z.number().int()) } }, ({ r, id }) => r.find(id))
  checkResponse(t, await app.inject('/users/2'), 200, 'fake:2')
  checkResponse(t, await app.inject('/later/3'), 200, 'fake:3')
  await tick()
  t.strictSame(closed, ['fake teardown', 'fake teardown'], 'the replacement\'s own teardown runs')

  app.dependencyOverrides.clear()
  t.equal(app.dependencyOverrides.size, 0)
  checkResponse(t, await app.inject('/users/4'), 200, 'real:4')
  checkResponse(t, await app.inject('/later/5'), 200, 'real:5')
  await tick()
  t.strictSame(closed.slice(2), ['real', 'real'])
  // And again while the app runs.
  app.dependencyOverrides.set(getDb, function * () { yield { name: 'again', close () {} } })
  checkResponse(t, await app.inject('/users/6'), 200, 'again:6')
})

t.test('delete restores one dependency; a plain function can be overridden by a function', async t => {
  const app = await build(t)
  function currentUser () { return 'alice' }
  function clock () { return 1 }
  app.api.get('/', { args: { user: Depends(currentUser), now: Depends(clock) } }, args => args)
  app.dependencyOverrides.set(currentUser, () => 'test-user').set(clock, () => 0)
  checkResponse(t, await app.inject('/'), 200, { user: 'test-user', now: 0 })
  t.equal(app.dependencyOverrides.delete(currentUser), true)
  t.equal(app.dependencyOverrides.delete(currentUser), false, 'nothing left to delete')
  checkResponse(t, await app.inject('/'), 200, { user: 'alice', now: 0 })
})

t.test('a replacement with its own parameters validates them; the documented parameters stay the original\'s', async t => {
  const app = await build(t)
  const token = dependency({ authorization: Header(z.string()) }, ({ authorization }) => authorization)
  app.api.get('/', { args: { token: Depends(token) } }, ({ token }) => token)
  app.dependencyOverrides.set(token, dependency({ asUser: Query(z.string()) }, ({ asUser }) => `as ${asUser}`))
  checkResponse(t, await app.inject('/?asUser=bob'), 200, 'as bob')
  checkResponse(t, await app.inject('/'), 422, { detail: [missing('query', 'asUser')] })
  t.strictSame(app.api.routes[0].args.map(a => a.wire), ['authorization'], 'FastAPI documents the declared graph')
})

t.test('an override that makes a cycle or a clash is refused by set(), and changes nothing', async t => {
  const app = await build(t)
  const base = dependency({}, () => 'base', { name: 'base' })
  const user = dependency({ b: Depends(base) }, ({ b }) => `user(${b})`, { name: 'user' })
  const q = dependency({ q: Query(z.string()) }, ({ q }) => q, { name: 'q' })
  app.api.get('/', { args: { u: Depends(user), q: Query(z.string()) } }, ({ u, q }) => `${u} ${q}`)

  t.throws(() => app.dependencyOverrides.set(base, user), { code: 'FFA_ERR_DEPENDS_CYCLE', message: /user → base|base|user/ })
  t.equal(app.dependencyOverrides.size, 0)
  t.throws(() => app.dependencyOverrides.set(base, dependency({ q: Query(z.number()) }, ({ q }) => String(q), { name: 'numeric' })), {
    code: 'FFA_ERR_DEPENDS_PARAM_CLASH'
  })
  t.equal(app.dependencyOverrides.size, 0)
  checkResponse(t, await app.inject('/?q=x'), 200, 'user(base) x')
  app.dependencyOverrides.set(base, q)
  checkResponse(t, await app.inject('/?q=x'), 200, 'user(x) x')
  t.throws(() => app.dependencyOverrides.set(42 as any, base), { code: 'FFA_ERR_DEPENDS_INVALID' })
  t.throws(() => app.dependencyOverrides.set(base, 'nope' as any), { code: 'FFA_ERR_DEPENDS_INVALID' })
})

t.test('overrides are per app', async t => {
  const a = await build(t)
  const b = await build(t)
  const dep = dependency({}, () => 'real')
  a.api.get('/', { args: { v: Depends(dep) } }, ({ v }) => v)
  b.api.get('/', { args: { v: Depends(dep) } }, ({ v }) => v)
  a.dependencyOverrides.set(dep, () => 'fake')
  checkResponse(t, await a.inject('/'), 200, 'fake')
  checkResponse(t, await b.inject('/'), 200, 'real')
})
