import t from 'tap'
import { z } from 'zod'
import { build, logCapture } from './helper.js'
import { Field, HTTPException, Path, ResponseValidationError, isResponseValidationError } from '../lib/index.js'
import { compileResponseModel } from '../lib/response-model.js'
import { jsonSafe } from '../lib/error-items.js'

const Tag = z.object({ name: z.string() })
const Owner = z.object({ id: z.number(), profile: z.object({ nick: z.string() }) })
const Item = z.object({
  id: z.number(),
  name: z.string(),
  owner: Owner,
  tags: z.array(Tag),
  created: z.date()
})

const RETURNED = {
  id: 1,
  name: 'thing',
  secret: 'top',
  owner: { id: 2, password: 'hunter2', profile: { nick: 'ann', token: 'abc' } },
  tags: [{ name: 'a', internal: true }, { name: 'b', internal: false }],
  created: new Date('2024-05-06T07:08:09.010Z')
}

t.test('the model drops undeclared fields at every depth', async t => {
  const app = await build(t)
  app.api.get('/item', { responseModel: Item }, () => RETURNED)
  app.api.get('/items', { responseModel: z.array(Item) }, async () => [RETURNED, RETURNED])
  let res = await app.inject({ method: 'GET', url: '/item' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  const expected = {
    id: 1,
    name: 'thing',
    owner: { id: 2, profile: { nick: 'ann' } },
    tags: [{ name: 'a' }, { name: 'b' }],
    created: '2024-05-06T07:08:09.010Z'
  }
  t.same(res.json(), expected)
  for (const leaked of ['top', 'hunter2', 'token', 'internal', 'secret', 'password']) t.notMatch(res.body, leaked)

  res = await app.inject({ method: 'GET', url: '/items' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), [expected, expected])
  t.notMatch(res.body, 'hunter2')
  // The handler's own value is left as it was.
  t.equal(RETURNED.owner.password, 'hunter2')
})

t.test('a Date becomes an ISO 8601 string, with or without a model', async t => {
  const app = await build(t)
  const when = new Date('2030-12-31T23:59:59.999Z')
  app.api.get('/model', { responseModel: z.object({ when: z.date(), list: z.array(z.date()) }) }, () => ({ when, list: [when] }))
  app.api.get('/plain', {}, () => ({ when }))
  t.same((await app.inject({ method: 'GET', url: '/model' })).json(), { when: '2030-12-31T23:59:59.999Z', list: ['2030-12-31T23:59:59.999Z'] })
  t.same((await app.inject({ method: 'GET', url: '/plain' })).json(), { when: '2030-12-31T23:59:59.999Z' })
})

t.test('responseModelExcludeNone drops null fields at every depth; an empty string stays', async t => {
  const Model = z.object({
    a: z.string().nullable(),
    b: z.string().nullish(),
    c: z.string(),
    nested: z.object({ x: z.number().nullable(), y: z.number() }),
    list: z.array(z.object({ v: z.string().nullable() }))
  })
  const value = { a: null, c: '', nested: { x: null, y: 1 }, list: [{ v: null }, { v: 'z' }] }
  const app = await build(t)
  app.api.get('/none', { responseModel: Model, responseModelExcludeNone: true }, () => value)
  app.api.get('/all', { responseModel: Model }, () => value)
  let res = await app.inject({ method: 'GET', url: '/none' })
  t.equal(res.body, '{"c":"","nested":{"y":1},"list":[{},{"v":"z"}]}')
  res = await app.inject({ method: 'GET', url: '/all' })
  t.same(res.json(), { a: null, c: '', nested: { x: null, y: 1 }, list: [{ v: null }, { v: 'z' }] })
})

t.test('responseModelExcludeUnset keeps only the fields the handler set', async t => {
  const Model = z.object({
    name: z.string(),
    description: z.string().nullable().default(null),
    price: z.number(),
    tax: z.number().default(10.5),
    tags: z.array(z.string()).default([]),
    meta: z.object({ a: z.number().default(1), b: z.number().default(2) }).optional()
  })
  const app = await build(t)
  app.api.get('/unset', { responseModel: Model, responseModelExcludeUnset: true }, () => ({ name: 'Foo', price: 50.2, meta: { b: 3 } }))
  app.api.get('/set', { responseModel: Model, responseModelExcludeUnset: true }, () => ({ name: 'Bar', price: 62, tax: 10.5, description: null }))
  app.api.get('/filled', { responseModel: Model }, () => ({ name: 'Foo', price: 50.2 }))
  t.same((await app.inject({ method: 'GET', url: '/unset' })).json(), { name: 'Foo', price: 50.2, meta: { b: 3 } })
  t.same((await app.inject({ method: 'GET', url: '/set' })).json(), { name: 'Bar', description: null, price: 62, tax: 10.5 })
  t.same((await app.inject({ method: 'GET', url: '/filled' })).json(), { name: 'Foo', description: null, price: 50.2, tax: 10.5, tags: [] })
})

t.test('responseModelExcludeDefaults drops fields equal to their default', async t => {
  const Model = z.object({
    name: z.string(),
    tax: z.number().default(10.5),
    tags: z.array(z.string()).default([]),
    nested: z.object({ flag: z.boolean().default(false), n: z.number() })
  })
  const app = await build(t)
  app.api.get('/x', { responseModel: Model, responseModelExcludeDefaults: true }, () =>
    ({ name: 'Baz', tax: 10.5, tags: [], nested: { flag: false, n: 1 } }))
  app.api.get('/y', { responseModel: Model, responseModelExcludeDefaults: true }, () =>
    ({ name: 'Baz', tax: 20, tags: ['t'], nested: { flag: true, n: 1 } }))
  t.same((await app.inject({ method: 'GET', url: '/x' })).json(), { name: 'Baz', nested: { n: 1 } })
  t.same((await app.inject({ method: 'GET', url: '/y' })).json(), { name: 'Baz', tax: 20, tags: ['t'], nested: { flag: true, n: 1 } })
})

t.test('responseModelInclude and responseModelExclude pick top-level fields', async t => {
  const Model = z.object({ name: z.string(), description: z.string(), price: z.number(), tax: z.number() })
  const value = { name: 'Foo', description: 'd', price: 1, tax: 2 }
  const app = await build(t)
  app.api.get('/include', { responseModel: Model, responseModelInclude: ['name', 'description'] }, () => value)
  app.api.get('/exclude', { responseModel: Model, responseModelExclude: ['tax'] }, () => value)
  app.api.get('/both', { responseModel: Model, responseModelInclude: ['name', 'tax'], responseModelExclude: ['tax'] }, () => value)
  t.same((await app.inject({ method: 'GET', url: '/include' })).json(), { name: 'Foo', description: 'd' })
  t.same((await app.inject({ method: 'GET', url: '/exclude' })).json(), { name: 'Foo', description: 'd', price: 1 })
  t.same((await app.inject({ method: 'GET', url: '/both' })).json(), { name: 'Foo' })
})

t.test('statusCode applies to every successful answer of its route', async t => {
  const app = await build(t)
  const Model = z.object({ id: z.number() })
  app.api.post('/created', { statusCode: 201, responseModel: Model }, () => ({ id: 1, extra: 2 }))
  app.api.post('/accepted', { statusCode: 202 }, async () => ({ queued: true }))
  app.api.get('/ok', { responseModel: Model }, () => ({ id: 3 }))
  let res = await app.inject({ method: 'POST', url: '/created' })
  t.equal(res.statusCode, 201)
  t.same(res.json(), { id: 1 })
  res = await app.inject({ method: 'POST', url: '/accepted' })
  t.equal(res.statusCode, 202)
  t.same(res.json(), { queued: true })
  res = await app.inject({ method: 'GET', url: '/ok' })
  t.equal(res.statusCode, 200)
})

t.test('a return value that breaks the model is a 500, logged without the value', async t => {
  const Model = z.object({ id: z.number(), name: z.string(), tags: z.array(z.object({ n: z.string() })) })
  const cases: Array<[string, unknown, Array<Record<string, unknown>>]> = [
    ['a missing field', { id: 1, password: 'hunter2', tags: [] },
      [{ type: 'missing', loc: ['response', 'name'], msg: 'Field required' }]],
    ['a wrong type', { id: 'hunter2', name: 'x', tags: [] },
      [{ type: 'float_type', loc: ['response', 'id'], msg: 'Input should be a valid number' }]],
    ['a missing nested field', { id: 1, name: 'x', tags: [{ token: 'hunter2' }] },
      [{ type: 'missing', loc: ['response', 'tags', 0, 'n'], msg: 'Field required' }]],
    ['not an object', 'hunter2',
      [{ type: 'model_attributes_type', loc: ['response'], msg: 'Input should be a valid dictionary or object to extract fields from' }]]
  ]
  for (const [name, value, errors] of cases) {
    t.test(name, async t => {
      const logs = logCapture()
      const app = await build(t, {}, { logger: { stream: logs.stream } })
      app.api.get('/bad', { responseModel: Model }, () => value as z.input<typeof Model>)
      const res = await app.inject({ method: 'GET', url: '/bad' })
      t.equal(res.statusCode, 500)
      t.equal(res.body, '{"detail":"Internal Server Error"}')
      const errorLines = logs.lines.filter(line => line.level === 50)
      t.equal(errorLines.length, 1)
      t.match(errorLines[0].msg, /response validation/i)
      t.same(errorLines[0].errors, errors)
      for (const line of logs.raw) t.notMatch(line, 'hunter2')
    })
  }

  t.test('a secret field that breaks the model is not logged either', async t => {
    const logs = logCapture()
    const app = await build(t, {}, { logger: { stream: logs.stream } })
    const Secretive = z.object({ pin: Field(z.string(), { secret: true, minLength: 20 }) })
    app.api.get('/bad', { responseModel: Secretive }, () => ({ pin: 'hunter2' }))
    const res = await app.inject({ method: 'GET', url: '/bad' })
    t.equal(res.statusCode, 500)
    t.match(logs.lines.find(line => line.level === 50), { errors: [{ type: 'string_too_short', loc: ['response', 'pin'] }] })
    for (const line of logs.raw) t.notMatch(line, 'hunter2')
  })

  t.test('an exception handler sees a ResponseValidationError with the items', async t => {
    const app = await build(t)
    app.api.addExceptionHandler(ResponseValidationError, (error, request, reply) =>
      reply.code(500).send({ custom: error.errors().map(item => item.loc) }))
    app.api.get('/bad', { responseModel: Model }, () => ({ id: 1 }) as z.input<typeof Model>)
    const res = await app.inject({ method: 'GET', url: '/bad' })
    t.equal(res.statusCode, 500)
    t.same(res.json(), { custom: [['response', 'name'], ['response', 'tags']] })
    t.ok(isResponseValidationError(new ResponseValidationError([])))
  })
})

t.test('a field marked secret reads "**********" after the exclude options, as pydantic\'s SecretStr', async t => {
  const app = await build(t)
  const Account = z.object({
    user: z.string(),
    password: Field(z.string(), { secret: true }),
    hint: Field(z.string().nullable(), { secret: true }),
    pin: Field(z.string(), { secret: true, default: '0000' }),
    backup: Field(z.string().optional(), { secret: true })
  })
  const value = { user: 'ann', password: 'hunter2', hint: null, pin: '0000' }
  app.api.get('/none', { responseModel: Account, responseModelExcludeNone: true }, () => value)
  app.api.get('/defaults', { responseModel: Account, responseModelExcludeDefaults: true }, () => value)
  app.api.get('/unset', { responseModel: Account, responseModelExcludeUnset: true }, () => ({ user: 'ann', password: 'hunter2', hint: 'h' }))
  app.api.get('/exclude', { responseModel: Account, responseModelExclude: ['user'] }, () => ({ ...value, backup: 'b' }))
  const get = async (url: string) => (await app.inject({ url })).json()
  // A null secret stays null (dropped by excludeNone); a default equal to its value is dropped
  // by excludeDefaults, compared before the value is hidden.
  t.same(await get('/none'), { user: 'ann', password: '**********', pin: '**********' })
  t.same(await get('/defaults'), { user: 'ann', password: '**********', hint: null })
  t.same(await get('/unset'), { user: 'ann', password: '**********', hint: '**********' })
  t.same(await get('/exclude'), { password: '**********', hint: null, pin: '**********', backup: '**********' })
})

t.test('compileResponseModel redacts a secret inside a list, a record, a union or a catchall', async t => {
  const Secret = Field(z.string(), { secret: true })
  const filter = compileResponseModel(z.object({
    list: z.array(z.object({ s: Secret })),
    map: z.record(z.string(), Secret),
    either: z.union([z.number(), Secret]),
    rest: z.object({}).catchall(Secret)
  }), {})
  t.same(filter({ list: [{ s: 'x' }], map: { k: 'x' }, either: 'x', rest: { k: 'x' } }),
    { list: [{ s: '**********' }], map: { k: '**********' }, either: '**********', rest: { k: '**********' } })
  // A union member that is not secret is sent as it is.
  t.same(filter({ list: [], map: {}, either: 5, rest: {} }), { list: [], map: {}, either: 5, rest: {} })
})

t.test('the input of a failing return value: any depth, shared or cyclic, non-finite numbers', async t => {
  const logs = logCapture()
  const app = await build(t, {}, { logger: { stream: logs.stream } })
  const cyclic: Record<string, unknown> = { n: Infinity }
  cyclic.self = cyclic
  cyclic.again = cyclic
  app.api.get('/cyclic', { responseModel: z.object({ name: z.string() }) }, () => cyclic as any)
  const res = await app.inject({ url: '/cyclic' })
  t.equal(res.statusCode, 500)
  // Described (not a stack overflow in the item's input copy).
  t.match(logs.lines.find(line => line.level === 50), { msg: /Response validation failed/, errors: [{ type: 'missing', loc: ['response', 'name'] }] })

  let deep: unknown = [Infinity, 10n]
  for (let i = 0; i < 100_000; i++) deep = [deep]
  let copy = jsonSafe(deep)
  for (let i = 0; i < 100_000; i++) copy = (copy as unknown[])[0]
  t.same(copy, ['Infinity', '10'], 'a 100,000-level value, copied without recursion')
  const shared = { x: -Infinity }
  t.same(jsonSafe({ a: shared, b: [shared], c: 1 }), { a: { x: '-Infinity' }, b: [{ x: '-Infinity' }], c: 1 })
  const flat = { a: 1, b: 'x', c: null }
  t.equal(jsonSafe(flat), flat, 'unchanged: the value itself')
  const nested = { a: [{ b: 1 }] }
  t.equal(jsonSafe(nested), nested, 'unchanged nested: the value itself')
  const proto = JSON.parse('{"__proto__": {"x": NaN}, "y": 1}'.replace('NaN', '1e999'))
  const safe = jsonSafe(proto) as object
  t.ok(Object.hasOwn(safe, '__proto__'), 'a "__proto__" key stays a key')
  t.equal(JSON.stringify(safe), '{"__proto__":{"x":"Infinity"},"y":1}')
})

t.test('the responses option is accepted and does not change the answer', async t => {
  const app = await build(t)
  app.api.get('/items/:id', {
    args: { id: Path(z.string()) },
    responseModel: z.object({ id: z.string() }),
    responses: {
      404: { model: z.object({ detail: z.string() }), description: 'Item not found' },
      '5XX': { description: 'Server trouble' }
    }
  }, ({ id }) => {
    if (id === 'missing') throw new HTTPException(404, 'Item not found')
    return { id, hidden: true }
  })
  let res = await app.inject({ method: 'GET', url: '/items/abc' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { id: 'abc' })
  res = await app.inject({ method: 'GET', url: '/items/missing' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { detail: 'Item not found' })
})
