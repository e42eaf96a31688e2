/**
 * Type tests: dependencies (`dependency`, `Depends`, `Security`, `SecurityScopes`), their use in
 * routes and plugin options, and `app.dependencyOverrides`.
 * Each `@ts-expect-error` marks a declaration or use that must not compile.
 */
import { expectTypeOf } from 'expect-type'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { z } from 'zod'
import fastapi, {
  Body, Cookie, Depends, Form, Header, Path, Query, Security, SecurityScopes, dependency,
  DependencyOverrides,
  type Dependency, type DependencyValue, type DependsMarker, type Provides, type ValueOf
} from '../lib/index.js'

declare const app: FastifyInstance

interface Db { query: (sql: string) => Promise<unknown[]>, close: () => void }
declare const db: Db
interface User { id: number, name: string }
interface Admin extends User { admin: true }
declare const admin: Admin

const UserIn = z.object({
  name: z.string(),
  // Input and output differ, so the tests can tell z.input from z.output.
  age: z.string().transform(s => Number(s)).optional()
})

// ---------------------------------------------------------------------------
// dependency(args, fn): the function's arguments come from the declaration
// ---------------------------------------------------------------------------

const pagination = dependency({
  skip: Query(z.number().int(), { default: 0 }),
  limit: Query(z.number().int().optional()),
  xToken: Header(z.string())
}, function paginate (args, request, reply) {
  expectTypeOf(args).toEqualTypeOf<{ skip: number, limit: number | undefined, xToken: string }>()
  // `this` is the Fastify instance; request and reply are Fastify's.
  expectTypeOf(this).toEqualTypeOf<FastifyInstance>()
  expectTypeOf(request).toEqualTypeOf<FastifyRequest>()
  expectTypeOf(reply).toEqualTypeOf<FastifyReply>()
  return { skip: args.skip, limit: args.limit ?? 100 }
})
expectTypeOf(pagination).toExtend<Dependency<{ skip: number, limit: number }>>()
expectTypeOf<ValueOf<typeof pagination>>().toEqualTypeOf<{ skip: number, limit: number }>()
// The declaration is kept on the dependency, typed.
expectTypeOf(pagination.args.skip).toEqualTypeOf<ReturnType<typeof skipParam>>()
function skipParam () { return Query(z.number().int(), { default: 0 }) }

// A body model gives the function z.output of the model.
const newUser = dependency({ user: Body(UserIn) }, ({ user }) => {
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  expectTypeOf(user.age).toEqualTypeOf<number | undefined>()
  return user
})
expectTypeOf<ValueOf<typeof newUser>>().toEqualTypeOf<{ name: string, age?: number | undefined }>()

// Every marker works in a dependency's args, as in a route's. The object is built afresh for
// every call, so its arguments may be reassigned.
const allKinds = dependency({
  id: Path(z.number().int()),
  session: Cookie(z.string().optional()),
  username: Form(z.string()),
  theme: Cookie(z.enum(['light', 'dark']), { default: 'light' })
}, (args) => {
  expectTypeOf(args).toEqualTypeOf<{ id: number, session: string | undefined, username: string, theme: 'light' | 'dark' }>()
  args.session ??= 'anonymous'
  return args
})
expectTypeOf<ValueOf<typeof allKinds>['theme']>().toEqualTypeOf<'light' | 'dark'>()

// No arguments: the function gets an empty object.
const now = dependency({}, (args) => {
  expectTypeOf(args).toEqualTypeOf<{}>()
  return new Date()
}, { name: 'now' })
expectTypeOf<ValueOf<typeof now>>().toEqualTypeOf<Date>()

// @ts-expect-error a misspelt option
dependency({}, () => 1, { nmae: 'one' })

// @ts-expect-error an args value must be a marker, not a bare schema
dependency({ q: z.string() }, () => 1)

// @ts-expect-error args is an object of markers, not a list
dependency([Query(z.string())], () => 1)

// @ts-expect-error the function is required
dependency({ q: Query(z.string()) })

// @ts-expect-error `r` is not a declared argument
dependency({ q: Query(z.string()) }, ({ r }) => r)

dependency({ q: Query(z.string().optional()) }, ({ q }) => {
  // @ts-expect-error q may be undefined
  return q.toUpperCase()
})

dependency({ id: Path(z.number().int()) },
  // @ts-expect-error an annotation that contradicts the declaration
  ({ id }: { id: string }) => id)

// ---------------------------------------------------------------------------
// The value a dependency provides: sync, async, generator, async generator
// ---------------------------------------------------------------------------

const syncDep = dependency({}, () => 'token')
expectTypeOf<ValueOf<typeof syncDep>>().toEqualTypeOf<string>()

// Async: the promise is unwrapped.
const asyncDep = dependency({}, async () => ({ id: 1, name: 'Ada' }) as User)
expectTypeOf<ValueOf<typeof asyncDep>>().toEqualTypeOf<User>()

// Generator: the value is what it yields, not the generator; its return value is ignored.
const getDb = dependency({}, function * () {
  try {
    yield db
  } finally {
    db.close()
  }
  return 'closed'
})
expectTypeOf<ValueOf<typeof getDb>>().toEqualTypeOf<Db>()

// Async generator: the yielded value, unwrapped.
const getSession = dependency({ sid: Header(z.string()) }, async function * ({ sid }) {
  expectTypeOf(sid).toEqualTypeOf<string>()
  yield { sid, startedAt: Date.now() }
})
expectTypeOf<ValueOf<typeof getSession>>().toEqualTypeOf<{ sid: string, startedAt: number }>()

// The same rules on DependencyValue itself.
expectTypeOf<DependencyValue<number>>().toEqualTypeOf<number>()
expectTypeOf<DependencyValue<Promise<number>>>().toEqualTypeOf<number>()
expectTypeOf<DependencyValue<Generator<number, string, unknown>>>().toEqualTypeOf<number>()
expectTypeOf<DependencyValue<AsyncGenerator<number, void, unknown>>>().toEqualTypeOf<number>()

// ---------------------------------------------------------------------------
// Depends(): nested dependencies, plain functions, options
// ---------------------------------------------------------------------------

expectTypeOf(Depends(getDb)).toEqualTypeOf<DependsMarker<Db>>()
expectTypeOf(Depends(getSession, { useCache: false })).toEqualTypeOf<DependsMarker<{ sid: string, startedAt: number }>>()

// A dependency of a dependency receives the other's value.
const currentUser = dependency({
  db: Depends(getDb),
  session: Depends(getSession),
  token: Header(z.string(), { alias: 'authorization' })
}, async ({ db, session, token }) => {
  expectTypeOf(db).toEqualTypeOf<Db>()
  expectTypeOf(session.sid).toEqualTypeOf<string>()
  expectTypeOf(token).toEqualTypeOf<string>()
  const rows = await db.query('select id, name from users')
  return rows[0] as User
})
expectTypeOf<ValueOf<typeof currentUser>>().toEqualTypeOf<User>()

// Plain functions of no declared arguments work with Depends(), each kind.
function plainSync () { return 42 }
async function plainAsync () { return 'async' }
function * plainGenerator () { yield db }
async function * plainAsyncGenerator () { yield admin }
expectTypeOf(Depends(plainSync)).toEqualTypeOf<DependsMarker<number>>()
expectTypeOf(Depends(plainAsync)).toEqualTypeOf<DependsMarker<string>>()
expectTypeOf(Depends(plainGenerator)).toEqualTypeOf<DependsMarker<Db>>()
expectTypeOf(Depends(plainAsyncGenerator)).toEqualTypeOf<DependsMarker<Admin>>()
expectTypeOf(Depends(() => true)).toEqualTypeOf<DependsMarker<boolean>>()
// A plain function may still use this, request and reply.
expectTypeOf(Depends(function (this: FastifyInstance, args: {}, request: FastifyRequest) {
  return request.headers['x-key']
})).toEqualTypeOf<DependsMarker<string | string[] | undefined>>()

// A plain function's parameters are typed from context too.
expectTypeOf(Depends((args, request, reply) => {
  expectTypeOf(args).toEqualTypeOf<{}>()
  expectTypeOf(reply).toEqualTypeOf<FastifyReply>()
  return request.ip
})).toEqualTypeOf<DependsMarker<string>>()
expectTypeOf(Depends(function () { return this.prefix })).toEqualTypeOf<DependsMarker<string>>()

// @ts-expect-error a plain function gets no arguments, so it cannot require some
Depends((args: { q: string }) => args.q)

// @ts-expect-error its first parameter is the (empty) arguments object, not the request
Depends((request: FastifyRequest) => request.ip)

// @ts-expect-error useCache is a boolean
Depends(getDb, { useCache: 'no' })

// @ts-expect-error scopes belong to Security()
Depends(getDb, { scopes: ['read'] })

// @ts-expect-error Depends() takes a dependency or a function, not a marker
Depends(Query(z.string()))

// @ts-expect-error nor a value
Depends('getDb')

dependency({ db: Depends(getDb) }, ({ db }) => {
  // @ts-expect-error the value is the yielded Db, which has no `execute`
  return db.execute('select 1')
})

// ---------------------------------------------------------------------------
// Security() and SecurityScopes()
// ---------------------------------------------------------------------------

const scopedUser = dependency({
  securityScopes: SecurityScopes(),
  user: Depends(currentUser)
}, ({ securityScopes, user }) => {
  expectTypeOf(securityScopes).toEqualTypeOf<SecurityScopes>()
  expectTypeOf(securityScopes.scopes).toEqualTypeOf<string[]>()
  expectTypeOf(securityScopes.scopeStr).toEqualTypeOf<string>()
  expectTypeOf(securityScopes).toExtend<{ scopes: string[], scopeStr: string }>()
  // @ts-expect-error the scopes are read, not set
  securityScopes.scopeStr = ''
  return user
})

expectTypeOf(Security(scopedUser, { scopes: ['items'] })).toEqualTypeOf<DependsMarker<User>>()
expectTypeOf(Security(scopedUser)).toEqualTypeOf<DependsMarker<User>>()
expectTypeOf(Security(scopedUser, { scopes: ['me'], useCache: false })).toEqualTypeOf<DependsMarker<User>>()
expectTypeOf(Security(plainAsync, { scopes: ['a'] })).toEqualTypeOf<DependsMarker<string>>()
const scopeList = ['a', 'b'] as const
Security(scopedUser, { scopes: scopeList })

// Security() in a dependency's args, and SecurityScopes() as a route argument.
const itemsReader = dependency({ user: Security(scopedUser, { scopes: ['items'] }) }, ({ user }) => {
  expectTypeOf(user).toEqualTypeOf<User>()
  return user.id
})
expectTypeOf<ValueOf<typeof itemsReader>>().toEqualTypeOf<number>()
app.api.get('/scopes', { args: { securityScopes: SecurityScopes(), reader: Security(itemsReader, { scopes: ['x'] }) } }, (args) => {
  expectTypeOf(args).toEqualTypeOf<{ securityScopes: SecurityScopes, reader: number }>()
})

// @ts-expect-error scopes is a list
Security(scopedUser, { scopes: 'items' })

// @ts-expect-error scopes are strings
Security(scopedUser, { scopes: [1] })

// ---------------------------------------------------------------------------
// Route handlers receive the values
// ---------------------------------------------------------------------------

app.api.get('/items', {
  args: {
    page: Depends(pagination),
    user: Depends(currentUser),
    db: Depends(plainGenerator),
    q: Query(z.string().optional())
  }
}, function listItems ({ page, user, db, q }, request, reply) {
  expectTypeOf(page).toEqualTypeOf<{ skip: number, limit: number }>()
  expectTypeOf(user).toEqualTypeOf<User>()
  expectTypeOf(db).toEqualTypeOf<Db>()
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(this).toEqualTypeOf<FastifyInstance>()
  expectTypeOf(request).toEqualTypeOf<FastifyRequest>()
  expectTypeOf(reply).toEqualTypeOf<FastifyReply>()
  return { page, user }
})

app.api.get('/users/me', {
  args: { me: Security(scopedUser, { scopes: ['me'] }), session: Depends(getSession, { useCache: false }) }
}, ({ me, session }) => {
  expectTypeOf(me).toEqualTypeOf<User>()
  expectTypeOf(session.startedAt).toEqualTypeOf<number>()
  return me
})

// With a response model, the handler's return is still checked against it.
app.api.get('/me', {
  args: { user: Depends(currentUser) },
  responseModel: z.object({ id: z.number(), name: z.string() })
}, ({ user }) => user)

app.api.get('/me', {
  args: { user: Depends(currentUser) },
  responseModel: z.object({ id: z.string() })
  // @ts-expect-error a User's id is a number, the model wants a string
}, ({ user }) => user)

app.api.get('/items', { args: { page: Depends(pagination) } }, ({ page }) => {
  // @ts-expect-error the pagination value has no `offset`
  return page.offset
})

app.api.get('/me', { args: { user: Security(scopedUser, { scopes: ['me'] }) } }, ({ user }) => {
  // @ts-expect-error a User has no `email`
  return user.email
})

app.api.get('/me', { args: { user: Depends(currentUser) } }, (args) => {
  // @ts-expect-error the value is the resolved User, not a promise
  return args.user.then
})

// @ts-expect-error an args value must be Depends(dep), not the dependency itself
app.api.get('/me', { args: { user: currentUser } }, () => null)

// @ts-expect-error nor a bare function
app.api.get('/me', { args: { user: plainSync } }, () => null)

// ---------------------------------------------------------------------------
// dependencies: [...] on a route, on the plugin, and api.addDependency()
// ---------------------------------------------------------------------------

const verifyKey = dependency({ xKey: Header(z.string()) }, ({ xKey }) => {
  if (xKey !== 'secret') throw new Error('bad key')
})

app.api.get('/items', {
  dependencies: [Depends(verifyKey), Security(scopedUser, { scopes: ['items'] }), Depends(plainSync)],
  args: { page: Depends(pagination) }
}, ({ page }, request) => {
  // Dependencies run for effect: their values do not reach the handler.
  expectTypeOf(page).toEqualTypeOf<{ skip: number, limit: number }>()
  return page
})

app.api.get('/items', { dependencies: [] }, (args) => {
  expectTypeOf(args).toEqualTypeOf<{}>()
})

const routeDependencies = [Depends(verifyKey)] as const
app.api.get('/items', { dependencies: routeDependencies }, () => null)

// @ts-expect-error a dependency must be wrapped in Depends()
app.api.get('/items', { dependencies: [verifyKey] }, () => null)

// @ts-expect-error a bare function as well
app.api.get('/items', { dependencies: [plainSync] }, () => null)

// @ts-expect-error a parameter marker is not a dependency
app.api.get('/items', { dependencies: [Query(z.string())] }, () => null)

// @ts-expect-error dependencies is a list
app.api.get('/items', { dependencies: Depends(verifyKey) }, () => null)

// Values of route-level dependencies are not handler arguments.
app.api.get('/items', { dependencies: [Depends(currentUser)] },
  // @ts-expect-error `user` is not a declared argument
  ({ user }) => user)

const server = Fastify()
await server.register(fastapi, { dependencies: [Depends(verifyKey), Security(scopedUser, { scopes: ['a'] })] })
await server.register(fastapi, { errorFormat: 'fastify', dependencies: [] })

// @ts-expect-error the plugin option takes markers, not dependencies
await server.register(fastapi, { dependencies: [verifyKey] })

// @ts-expect-error nor functions
await server.register(fastapi, { dependencies: [plainSync] })

// @ts-expect-error nor a single marker
await server.register(fastapi, { dependencies: Depends(verifyKey) })

await server.register(async (child) => {
  expectTypeOf(child.api.addDependency(Depends(verifyKey))).toEqualTypeOf<void>()
  child.api.addDependency(Security(scopedUser, { scopes: ['admin'] }))
  // @ts-expect-error addDependency takes a marker
  child.api.addDependency(verifyKey)
  // @ts-expect-error one marker, not a list
  child.api.addDependency([Depends(verifyKey)])
})

// ---------------------------------------------------------------------------
// app.dependencyOverrides
// ---------------------------------------------------------------------------

const overrides = app.dependencyOverrides
expectTypeOf(overrides).toEqualTypeOf<DependencyOverrides>()
expectTypeOf(server.dependencyOverrides).toEqualTypeOf<DependencyOverrides>()

// The same value type, by a dependency or a function of each kind.
expectTypeOf(overrides.set(syncDep, () => 'fake token')).toEqualTypeOf<DependencyOverrides>()
overrides.set(syncDep, dependency({}, () => 'fake token'))
overrides.set(syncDep, async () => 'fake token')
overrides.set(syncDep, function * () { yield 'fake token' })
overrides.set(syncDep, async function * () { yield 'fake token' })
overrides.set(getDb, () => db)
overrides.set(getDb, function * () {
  try {
    yield db
  } finally {
    db.close()
  }
})
// Sets chain, as Map#set.
overrides.set(syncDep, () => 'a').set(getDb, () => db)

// A subtype of the value.
overrides.set(currentUser, () => admin)
overrides.set(currentUser, async () => admin)
overrides.set(currentUser, dependency({}, async function * () { yield admin }))
overrides.set(syncDep, () => 'literal' as const)

// A value with literal types: TypeScript widens the literals of a replacement written inline
// (`() => ({ role: 'admin' })` gives `role: string`), because the expected type is still
// generic when the function is checked. Annotating or `satisfies` keeps them.
interface Member { id: number, role: 'admin' | 'member' }
const currentMember = dependency({}, (): Member => ({ id: 1, role: 'member' }))
overrides.set(currentMember, (): Member => ({ id: 2, role: 'admin' }))
overrides.set(currentMember, () => ({ id: 2, role: 'admin' }) satisfies Member)
overrides.set(currentMember, () => ({ id: 2, role: 'admin' as const }))
overrides.set(currentMember, dependency({}, (): Member => ({ id: 2, role: 'admin' })))

// The replacement may declare arguments of its own (a dependency, not a plain function).
overrides.set(currentUser, dependency({ id: Query(z.number().int()) }, ({ id }) => ({ id, name: 'test' })))
overrides.set(currentUser, dependency({ db: Depends(getDb) }, async ({ db }) => (await db.query('x'))[0] as User))

// A plain function can be the original too.
overrides.set(plainSync, () => 7)
overrides.set(plainGenerator, async () => db)
overrides.set(plainAsyncGenerator, dependency({}, () => admin))

// @ts-expect-error a number where a string is expected
overrides.set(syncDep, () => 1)

// @ts-expect-error a promise of the wrong type
overrides.set(syncDep, async () => 1)

// @ts-expect-error a generator yielding the wrong type
overrides.set(getDb, function * () { yield 'not a db' })

// @ts-expect-error a dependency with the wrong value
overrides.set(syncDep, dependency({}, () => 1))

// @ts-expect-error a supertype: a User is not necessarily an Admin
overrides.set(plainAsyncGenerator, async (): Promise<User> => ({ id: 1, name: 'x' }))

// @ts-expect-error a plain function replacement gets no arguments
overrides.set(syncDep, (args: { q: string }) => args.q)

// @ts-expect-error the original must be a dependency or a function
overrides.set('syncDep', () => 'x')

// @ts-expect-error the original must not be a marker
overrides.set(Depends(syncDep), () => 'x')

// @ts-expect-error the replacement is required
overrides.set(syncDep)

expectTypeOf(overrides.delete(syncDep)).toEqualTypeOf<boolean>()
expectTypeOf(overrides.delete(plainSync)).toEqualTypeOf<boolean>()
expectTypeOf(overrides.has(getDb)).toEqualTypeOf<boolean>()
expectTypeOf(overrides.has(plainGenerator)).toEqualTypeOf<boolean>()
expectTypeOf(overrides.clear()).toEqualTypeOf<void>()
expectTypeOf(overrides.size).toEqualTypeOf<number>()

// @ts-expect-error delete takes a dependency or a function, not a marker
overrides.delete(Depends(syncDep))

// @ts-expect-error has takes one as well
overrides.has('getDb')

// @ts-expect-error size is read-only
overrides.size = 0

// @ts-expect-error the overrides object itself cannot be replaced
app.dependencyOverrides = overrides

// @ts-expect-error the constructor is internal to the plugin; it needs the apply callback
const made = new DependencyOverrides()

// Provides<T>: what a replacement may give back.
expectTypeOf<string>().toExtend<Provides<string>>()
expectTypeOf<Promise<string>>().toExtend<Provides<string>>()
expectTypeOf<Generator<string, void, unknown>>().toExtend<Provides<string>>()
expectTypeOf<AsyncGenerator<'x', void, unknown>>().toExtend<Provides<string>>()
expectTypeOf<number>().not.toExtend<Provides<string>>()
expectTypeOf<Promise<number>>().not.toExtend<Provides<string>>()

export { pagination, currentUser }
