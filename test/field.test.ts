import t from 'tap'
import Fastify from 'fastify'
import { z } from 'zod'
import fastapi, { Body, Field } from '../lib/index.js'

type Teardown = { teardown: (fn: () => unknown) => void }

const Item = z.object({
  price: Field(z.number(), { gt: 0, le: 100 }),
  qty: Field(z.number().int(), { ge: 1, lt: 10 }),
  name: Field(z.string(), { minLength: 2, maxLength: 4, pattern: '^[a-z]+$' }),
  tags: Field(z.array(z.string()), { minLength: 1, maxLength: 2 }),
  note: Field(z.string(), { default: 'none', description: 'A note' }),
  pin: Field(z.string(), { minLength: 4, secret: true }).optional()
})

async function build (t: Teardown) {
  const app = Fastify()
  await app.register(fastapi)
  app.api.post('/items', { args: { item: Body(Item) } }, ({ item }) => item)
  t.teardown(() => app.close())
  return app
}

t.test('Field constraints apply in bodies, with pydantic messages', async t => {
  const cases: Array<[string, Record<string, unknown>, unknown[]]> = [
    ['lower bounds', { price: 0, qty: 0, name: 'a', tags: [] }, [
      { type: 'greater_than', loc: ['body', 'price'], msg: 'Input should be greater than 0', input: 0, ctx: { gt: 0 } },
      { type: 'greater_than_equal', loc: ['body', 'qty'], msg: 'Input should be greater than or equal to 1', input: 0, ctx: { ge: 1 } },
      { type: 'string_too_short', loc: ['body', 'name'], msg: 'String should have at least 2 characters', input: 'a', ctx: { min_length: 2 } },
      { type: 'too_short', loc: ['body', 'tags'], msg: 'List should have at least 1 item after validation, not 0', input: [], ctx: { field_type: 'List', min_length: 1, actual_length: 0 } }
    ]],
    ['upper bounds', { price: 100.5, qty: 10, name: 'abcde', tags: ['a', 'b', 'c'] }, [
      { type: 'less_than_equal', loc: ['body', 'price'], msg: 'Input should be less than or equal to 100', input: 100.5, ctx: { le: 100 } },
      { type: 'less_than', loc: ['body', 'qty'], msg: 'Input should be less than 10', input: 10, ctx: { lt: 10 } },
      { type: 'string_too_long', loc: ['body', 'name'], msg: 'String should have at most 4 characters', input: 'abcde', ctx: { max_length: 4 } },
      { type: 'too_long', loc: ['body', 'tags'], msg: 'List should have at most 2 items after validation, not 3', input: ['a', 'b', 'c'], ctx: { field_type: 'List', max_length: 2, actual_length: 3 } }
    ]],
    ['a pattern', { price: 1, qty: 1, name: 'AB', tags: ['x'] }, [
      { type: 'string_pattern_mismatch', loc: ['body', 'name'], msg: "String should match pattern '^[a-z]+$'", input: 'AB', ctx: { pattern: '^[a-z]+$' } }
    ]],
    ['a secret too short, never echoed', { price: 1, qty: 1, name: 'ab', tags: ['x'], pin: '123' }, [
      { type: 'string_too_short', loc: ['body', 'pin'], msg: 'String should have at least 4 characters', input: '**********', ctx: { min_length: 4 } }
    ]]
  ]
  for (const [name, payload, detail] of cases) {
    t.test(name, async t => {
      const app = await build(t)
      const res = await app.inject({ method: 'POST', url: '/items', payload })
      t.equal(res.statusCode, 422)
      t.same(res.json(), { detail })
      if (typeof payload.pin === 'string') t.notMatch(res.body, payload.pin)
    })
  }

  t.test('constraints count characters, not UTF-16 units', async t => {
    const app = Fastify()
    await app.register(fastapi)
    const Emoji = z.object({ short: Field(z.string(), { maxLength: 2 }), long: Field(z.string(), { minLength: 3 }) })
    app.api.post('/emoji', { args: { body: Body(Emoji) } }, ({ body }) => body)
    t.teardown(() => app.close())
    let res = await app.inject({ method: 'POST', url: '/emoji', payload: { short: '😀😀', long: 'abc' } })
    t.equal(res.statusCode, 200, 'two emoji are two characters')
    res = await app.inject({ method: 'POST', url: '/emoji', payload: { short: 'ab', long: '😀😀' } })
    t.equal(res.statusCode, 422, 'two emoji are fewer than three characters')
    t.same(res.json(), {
      detail: [{ type: 'string_too_short', loc: ['body', 'long'], msg: 'String should have at least 3 characters', input: '😀😀', ctx: { min_length: 3 } }]
    })
  })
})

t.test('a default makes the field optional and fills it in', async t => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/items', payload: { price: 1.5, qty: 2, name: 'ab', tags: ['x'] } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { price: 1.5, qty: 2, name: 'ab', tags: ['x'], note: 'none' })

  const withNote = await app.inject({ method: 'POST', url: '/items', payload: { price: 1.5, qty: 2, name: 'ab', tags: ['x'], note: 'mine' } })
  t.equal(withNote.json().note, 'mine')

  const schema = Field(z.number(), { default: 5 })
  t.equal(schema.parse(undefined), 5)
  t.equal(schema.parse(7), 7)
  t.equal(Field(z.string(), { minLength: 3, default: 'abc' }).safeParse('ab').success, false, 'constraints still apply')
})

t.test("metadata lands in zod's registry", async t => {
  const schema = Field(z.string(), { title: 'Name', description: 'The name', examples: ['ann', 'bob'], deprecated: true })
  t.same(z.globalRegistry.get(schema), { title: 'Name', description: 'The name', examples: ['ann', 'bob'], deprecated: true })

  t.test('merged with metadata the schema already had, except its id', async t => {
    // The described schema is another schema: it documents as a reference to 'Nick' plus its own keys.
    const described = Field(z.string().meta({ id: 'Nick', description: 'old' }), { description: 'new', title: 'Nick' })
    t.strictSame(z.globalRegistry.get(described), { description: 'new', title: 'Nick' })
  })

  t.test('kept with constraints and a default', async t => {
    const both = Field(z.number(), { ge: 1, default: 3, title: 'Count' })
    t.match(z.globalRegistry.get(both), { title: 'Count' })
    t.match(z.toJSONSchema(z.object({ n: both }), { io: 'input' }), {
      properties: { n: { type: 'number', minimum: 1, default: 3, title: 'Count' } }
    })
  })

  t.test('Field without options returns the same schema', async t => {
    const plain = z.string()
    t.equal(Field(plain), plain)
  })
})

t.test('secret sets writeOnly (and format password for strings)', async t => {
  t.same(z.globalRegistry.get(Field(z.string(), { secret: true })), { writeOnly: true, format: 'password' })
  t.same(z.globalRegistry.get(Field(z.number(), { secret: true })), { writeOnly: true })
  t.equal(z.globalRegistry.get(Field(z.string(), { secret: false })), undefined)
  t.match(z.toJSONSchema(z.object({ pw: Field(z.string(), { secret: true, minLength: 5 }) })), {
    properties: { pw: { type: 'string', minLength: 5, writeOnly: true, format: 'password' } }
  })
})
