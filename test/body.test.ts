import t from 'tap'
import { z } from 'zod'
import { Body, Field } from '../lib/index.js'
import { build, missing, runEchoCases, type EchoCase } from './helper.js'

const B = 'body'
const json = (payload: unknown) => ({ method: 'POST' as const, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } })
const raw = (payload: string) => ({ method: 'POST' as const, payload, headers: { 'content-type': 'application/json' } })

const Item = z.object({
  name: z.string(),
  price: z.number(),
  tax: z.number().optional()
})
const User = z.object({ username: z.string() })

const cases: EchoCase[] = [
  // a single body receives the whole JSON
  { name: 'single: whole JSON', method: 'POST', args: { item: Body(Item) }, request: json({ name: 'Foo', price: 1.5 }), status: 200, body: { item: { name: 'Foo', price: 1.5 } } },
  {
    name: 'single: missing field, loc ["body", field], input the object',
    method: 'POST',
    args: { item: Body(Item) },
    request: json({ name: 'Foo' }),
    status: 422,
    body: { detail: [{ ...missing(B, 'price'), input: { name: 'Foo' } }] }
  },
  {
    name: 'single: every missing field',
    method: 'POST',
    args: { item: Body(Item) },
    request: json({}),
    status: 422,
    body: { detail: [{ ...missing(B, 'name'), input: {} }, { ...missing(B, 'price'), input: {} }] }
  },
  { name: 'single: no body at all', method: 'POST', args: { item: Body(Item) }, request: { method: 'POST' }, status: 422, body: { detail: [missing(B)] } },
  { name: 'single: empty body with content-type json', method: 'POST', args: { item: Body(Item) }, request: raw(''), status: 422, body: { detail: [missing(B)] } },
  // FastAPI treats a JSON null body like no body.
  { name: 'single: null body is a missing body', method: 'POST', args: { item: Body(Item) }, request: raw('null'), status: 422, body: { detail: [missing(B)] } },
  { name: 'single: null body for an optional body', method: 'POST', args: { item: Body(Item.optional()) }, request: raw('null'), status: 200, body: {} },
  { name: 'single: optional body, none sent', method: 'POST', args: { item: Body(Item.optional()) }, request: { method: 'POST' }, status: 200, body: {} },
  { name: 'single: body with default', method: 'POST', args: { item: Body(User, { default: { username: 'anon' } }) }, request: raw(''), status: 200, body: { item: { username: 'anon' } } },
  { name: 'single: extra keys are stripped', method: 'POST', args: { item: Body(Item) }, request: json({ name: 'Foo', price: 2, color: 'red' }), status: 200, body: { item: { name: 'Foo', price: 2 } } },
  {
    name: 'single: strictObject forbids extra keys',
    method: 'POST',
    args: { item: Body(z.strictObject({ name: z.string() })) },
    request: json({ name: 'Foo', color: 'red', size: 2 }),
    status: 422,
    body: {
      detail: [
        { type: 'extra_forbidden', loc: [B, 'color'], msg: 'Extra inputs are not permitted', input: 'red' },
        { type: 'extra_forbidden', loc: [B, 'size'], msg: 'Extra inputs are not permitted', input: 2 }
      ]
    }
  },
  {
    name: 'single: not an object',
    method: 'POST',
    args: { item: Body(Item) },
    request: json([1, 2]),
    status: 422,
    body: { detail: [{ type: 'model_attributes_type', loc: [B], msg: 'Input should be a valid dictionary or object to extract fields from', input: [1, 2] }] }
  },
  {
    name: 'single: a JSON string for a model',
    method: 'POST',
    args: { item: Body(Item) },
    request: json('Foo'),
    status: 422,
    body: { detail: [{ type: 'model_attributes_type', loc: [B], msg: 'Input should be a valid dictionary or object to extract fields from', input: 'Foo' }] }
  },
  { name: 'single: a scalar body', method: 'POST', args: { count: Body(z.int()) }, request: json(3), status: 200, body: { count: 3 } },
  // bodies are strict: no string coercion (a documented deviation from pydantic's lax mode)
  {
    name: 'strict: string for int is int_type',
    method: 'POST',
    args: { item: Body(z.object({ n: z.int() })) },
    request: json({ n: '1' }),
    status: 422,
    body: { detail: [{ type: 'int_type', loc: [B, 'n'], msg: 'Input should be a valid integer', input: '1' }] }
  },
  {
    name: 'strict: string for float is float_type',
    method: 'POST',
    args: { item: Body(Item) },
    request: json({ name: 'x', price: '1.5' }),
    status: 422,
    body: { detail: [{ type: 'float_type', loc: [B, 'price'], msg: 'Input should be a valid number', input: '1.5' }] }
  },
  {
    name: 'strict: number for string is string_type, bool for bool',
    method: 'POST',
    args: { item: Body(z.object({ name: z.string(), ok: z.boolean() })) },
    request: json({ name: 5, ok: 'yes' }),
    status: 422,
    body: {
      detail: [
        { type: 'string_type', loc: [B, 'name'], msg: 'Input should be a valid string', input: 5 },
        { type: 'bool_type', loc: [B, 'ok'], msg: 'Input should be a valid boolean', input: 'yes' }
      ]
    }
  },
  {
    name: 'int_from_float',
    method: 'POST',
    args: { item: Body(z.object({ n: z.int() })) },
    request: json({ n: 1.5 }),
    status: 422,
    body: { detail: [{ type: 'int_from_float', loc: [B, 'n'], msg: 'Input should be a valid integer, got a number with a fractional part', input: 1.5 }] }
  },
  { name: 'int accepts 2.0 (JSON has one number type)', method: 'POST', args: { item: Body(z.object({ n: z.int() })) }, request: raw('{"n": 2.0}'), status: 200, body: { item: { n: 2 } } },
  // several Body arguments, or embed: a keyed object
  {
    name: 'several: keyed by name',
    method: 'POST',
    args: { item: Body(Item), user: Body(User), importance: Body(z.int()) },
    request: json({ item: { name: 'Foo', price: 1 }, user: { username: 'dave' }, importance: 5 }),
    status: 200,
    body: { item: { name: 'Foo', price: 1 }, user: { username: 'dave' }, importance: 5 }
  },
  {
    name: 'several: missing ones, loc ["body", name]',
    method: 'POST',
    args: { item: Body(Item), user: Body(User) },
    request: json({ item: { name: 'Foo', price: 1 } }),
    status: 422,
    body: { detail: [missing(B, 'user')] }
  },
  {
    name: 'several: no body',
    method: 'POST',
    args: { item: Body(Item), user: Body(User) },
    request: { method: 'POST' },
    status: 422,
    body: { detail: [missing(B, 'item'), missing(B, 'user')] }
  },
  {
    name: 'several: nested errors, loc ["body", name, field]',
    method: 'POST',
    args: { item: Body(Item), user: Body(User) },
    request: json({ item: { name: 'Foo' }, user: { username: 7 } }),
    status: 422,
    body: {
      detail: [
        { ...missing(B, 'item', 'price'), input: { name: 'Foo' } },
        { type: 'string_type', loc: [B, 'user', 'username'], msg: 'Input should be a valid string', input: 7 }
      ]
    }
  },
  {
    name: 'several: optional one left out',
    method: 'POST',
    args: { item: Body(Item), note: Body(z.string().optional()) },
    request: json({ item: { name: 'Foo', price: 1 } }),
    status: 200,
    body: { item: { name: 'Foo', price: 1 } }
  },
  {
    name: 'several: alias is the key',
    method: 'POST',
    args: { item: Body(Item), userInfo: Body(User, { alias: 'user_info' }) },
    request: json({ item: { name: 'Foo', price: 1 } }),
    status: 422,
    body: { detail: [missing(B, 'user_info')] }
  },
  { name: 'embed: keyed object', method: 'POST', args: { item: Body(Item, { embed: true }) }, request: json({ item: { name: 'Foo', price: 3 } }), status: 200, body: { item: { name: 'Foo', price: 3 } } },
  { name: 'embed: bare object is missing the key', method: 'POST', args: { item: Body(Item, { embed: true }) }, request: json({ name: 'Foo', price: 3 }), status: 422, body: { detail: [missing(B, 'item')] } },
  // nested objects and lists
  {
    name: 'nested: loc with indexes',
    method: 'POST',
    args: {
      offer: Body(z.object({
        name: z.string(),
        items: z.array(z.object({ name: z.string(), tags: z.array(z.string()) }))
      }))
    },
    request: json({ name: 'o', items: [{ name: 'a', tags: ['x'] }, { name: 1, tags: ['y', 2] }, { tags: [] }] }),
    status: 422,
    body: {
      detail: [
        { type: 'string_type', loc: [B, 'items', 1, 'name'], msg: 'Input should be a valid string', input: 1 },
        { type: 'string_type', loc: [B, 'items', 1, 'tags', 1], msg: 'Input should be a valid string', input: 2 },
        { ...missing(B, 'items', 2, 'name'), input: { tags: [] } }
      ]
    }
  },
  {
    name: 'nested: stripped at every depth',
    method: 'POST',
    args: { offer: Body(z.object({ items: z.array(z.object({ name: z.string() })) })) },
    request: json({ items: [{ name: 'a', x: 1 }], y: 2 }),
    status: 200,
    body: { offer: { items: [{ name: 'a' }] } }
  },
  {
    name: 'nested: list_type',
    method: 'POST',
    args: { offer: Body(z.object({ tags: z.array(z.string()) })) },
    request: json({ tags: 'a' }),
    status: 422,
    body: { detail: [{ type: 'list_type', loc: [B, 'tags'], msg: 'Input should be a valid list', input: 'a' }] }
  },
  {
    name: 'nested: dict values',
    method: 'POST',
    args: { weights: Body(z.record(z.string(), z.number())) },
    request: json({ a: 1, b: 'x' }),
    status: 422,
    body: { detail: [{ type: 'float_type', loc: [B, 'b'], msg: 'Input should be a valid number', input: 'x' }] }
  },
  // malformed JSON
  {
    name: 'json_invalid',
    method: 'POST',
    args: { item: Body(Item) },
    request: raw('{"name": }'),
    status: 422,
    body: { detail: [{ type: 'json_invalid', loc: [B, 9], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } }] }
  },
  {
    name: 'json_invalid: property name',
    method: 'POST',
    args: { item: Body(Item) },
    request: raw("{'name': 1}"),
    status: 422,
    body: { detail: [{ type: 'json_invalid', loc: [B, 1], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting property name enclosed in double quotes' } }] }
  },
  {
    name: 'json_invalid: several bodies',
    method: 'POST',
    args: { item: Body(Item), user: Body(User) },
    request: raw('{"item": {}, }'),
    status: 422,
    // Python 3.13 names a trailing comma, at the comma.
    body: { detail: [{ type: 'json_invalid', loc: [B, 11], msg: 'JSON decode error', input: {}, ctx: { error: 'Illegal trailing comma before end of object' } }] }
  }
]

// Constraint messages and ctx, as pydantic words them.
interface Expected { type: string, msg: string, ctx?: Record<string, unknown> }
const constraint = (name: string, schema: z.ZodType, value: unknown, { type, msg, ctx }: Expected): EchoCase => ({
  name,
  method: 'POST',
  args: { m: Body(z.object({ v: schema })) },
  request: json({ v: value }),
  status: 422,
  body: { detail: [ctx === undefined ? { type, loc: [B, 'v'], msg, input: value } : { type, loc: [B, 'v'], msg, input: value, ctx }] }
})

cases.push(
  constraint('string_too_short', Field(z.string(), { minLength: 3 }), 'ab',
    { type: 'string_too_short', msg: 'String should have at least 3 characters', ctx: { min_length: 3 } }),
  constraint('string_too_short: singular', Field(z.string(), { minLength: 1 }), '',
    { type: 'string_too_short', msg: 'String should have at least 1 character', ctx: { min_length: 1 } }),
  constraint('string_too_long', Field(z.string(), { maxLength: 10 }), 'abcdefghijk',
    { type: 'string_too_long', msg: 'String should have at most 10 characters', ctx: { max_length: 10 } }),
  constraint('string_too_long: singular', z.string().max(1), 'ab',
    { type: 'string_too_long', msg: 'String should have at most 1 character', ctx: { max_length: 1 } }),
  constraint('string_too_long: counts code points', z.string().max(1), '😀😀',
    { type: 'string_too_long', msg: 'String should have at most 1 character', ctx: { max_length: 1 } }),
  constraint('string_pattern_mismatch', Field(z.string(), { pattern: /^[a-z-]+$/ }), 'Bad Name',
    { type: 'string_pattern_mismatch', msg: "String should match pattern '^[a-z-]+$'", ctx: { pattern: '^[a-z-]+$' } }),
  constraint('string_pattern_mismatch: string pattern', Field(z.string(), { pattern: '^\\d{3}$' }), '12',
    { type: 'string_pattern_mismatch', msg: "String should match pattern '^\\d{3}$'", ctx: { pattern: '^\\d{3}$' } }),
  constraint('greater_than', Field(z.number(), { gt: 0 }), 0,
    { type: 'greater_than', msg: 'Input should be greater than 0', ctx: { gt: 0 } }),
  constraint('greater_than_equal', Field(z.int(), { ge: 1 }), 0,
    { type: 'greater_than_equal', msg: 'Input should be greater than or equal to 1', ctx: { ge: 1 } }),
  constraint('less_than', Field(z.number(), { lt: 10.5 }), 11,
    { type: 'less_than', msg: 'Input should be less than 10.5', ctx: { lt: 10.5 } }),
  constraint('less_than_equal', Field(z.number(), { le: 1000 }), 1000.5,
    { type: 'less_than_equal', msg: 'Input should be less than or equal to 1000', ctx: { le: 1000 } }),
  constraint('zod .positive() is greater_than 0', z.number().positive(), -1,
    { type: 'greater_than', msg: 'Input should be greater than 0', ctx: { gt: 0 } }),
  constraint('multiple_of', z.number().multipleOf(0.5), 0.7,
    { type: 'multiple_of', msg: 'Input should be a multiple of 0.5', ctx: { multiple_of: 0.5 } }),
  constraint('enum', z.enum(['alexnet', 'resnet', 'lenet']), 'vgg',
    { type: 'enum', msg: "Input should be 'alexnet', 'resnet' or 'lenet'", ctx: { expected: "'alexnet', 'resnet' or 'lenet'" } }),
  constraint('enum of one', z.enum(['only']), 'other',
    { type: 'enum', msg: "Input should be 'only'", ctx: { expected: "'only'" } }),
  constraint('literal_error', z.literal(['a', 'b', 'c']), 'd',
    { type: 'literal_error', msg: "Input should be 'a', 'b' or 'c'", ctx: { expected: "'a', 'b' or 'c'" } }),
  constraint('literal_error: mixed', z.literal([1, 'x', true]), 2,
    { type: 'literal_error', msg: "Input should be 1, 'x' or True", ctx: { expected: "1, 'x' or True" } }),
  constraint('list too_short', z.array(z.int()).min(2), [1],
    { type: 'too_short', msg: 'List should have at least 2 items after validation, not 1', ctx: { field_type: 'List', min_length: 2, actual_length: 1 } }),
  constraint('list too_short: singular', Field(z.array(z.int()), { minLength: 1 }), [],
    { type: 'too_short', msg: 'List should have at least 1 item after validation, not 0', ctx: { field_type: 'List', min_length: 1, actual_length: 0 } }),
  constraint('list too_long', z.array(z.int()).max(2), [1, 2, 3],
    { type: 'too_long', msg: 'List should have at most 2 items after validation, not 3', ctx: { field_type: 'List', max_length: 2, actual_length: 3 } }),
  constraint('refine → value_error', z.string().refine(v => v.includes('@'), 'must contain @'), 'nobody',
    { type: 'value_error', msg: 'Value error, must contain @', ctx: { error: 'must contain @' } }),
  constraint('model_attributes_type for a nested model', z.object({ a: z.int() }), 5,
    { type: 'model_attributes_type', msg: 'Input should be a valid dictionary or object to extract fields from' })
)

// Unions: every member's error under the member's name.
cases.push(
  {
    name: 'union: member errors',
    method: 'POST',
    args: { m: Body(z.object({ v: z.union([z.string(), z.int()]) })) },
    request: json({ v: null }),
    status: 422,
    body: {
      detail: [
        { type: 'string_type', loc: [B, 'v', 'str'], msg: 'Input should be a valid string', input: null },
        { type: 'int_type', loc: [B, 'v', 'int'], msg: 'Input should be a valid integer', input: null }
      ]
    }
  },
  {
    name: 'union: float and int_from_float members',
    method: 'POST',
    args: { m: Body(z.object({ v: z.union([z.int(), z.boolean()]) })) },
    request: json({ v: 1.5 }),
    status: 422,
    body: {
      detail: [
        { type: 'int_from_float', loc: [B, 'v', 'int'], msg: 'Input should be a valid integer, got a number with a fractional part', input: 1.5 },
        { type: 'bool_type', loc: [B, 'v', 'bool'], msg: 'Input should be a valid boolean', input: 1.5 }
      ]
    }
  },
  {
    name: 'union: a missing value is just missing',
    method: 'POST',
    args: { m: Body(z.object({ v: z.union([z.string(), z.int()]) })) },
    request: json({}),
    status: 422,
    body: { detail: [{ ...missing(B, 'v'), input: {} }] }
  },
  {
    name: 'union: one member fails on a rule, the other on the type: both reported',
    method: 'POST',
    args: { m: Body(z.object({ v: z.union([z.int(), z.string().min(3)]) })) },
    request: json({ v: 'ab' }),
    status: 422,
    body: {
      detail: [
        { type: 'int_type', loc: [B, 'v', 'int'], msg: 'Input should be a valid integer', input: 'ab' },
        { type: 'string_too_short', loc: [B, 'v', 'str'], msg: 'String should have at least 3 characters', input: 'ab', ctx: { min_length: 3 } }
      ]
    }
  },
  {
    name: 'union of objects: a nested rule failure lists every member',
    method: 'POST',
    args: { m: Body(z.union([z.object({ a: z.string().max(1) }), z.object({ b: z.int() })])) },
    request: json({ a: 'xy' }),
    status: 422,
    body: {
      detail: [
        { type: 'string_too_long', loc: [B, 'dict', 'a'], msg: 'String should have at most 1 character', input: 'xy', ctx: { max_length: 1 } },
        { ...missing(B, 'dict', 'b'), input: { a: 'xy' } }
      ]
    }
  },
  {
    name: 'X | None is nullable X: no member names',
    method: 'POST',
    args: { m: Body(z.object({ v: z.union([z.string().max(3), z.null()]), w: z.union([z.null(), z.int()]) })) },
    request: json({ v: 'toolong', w: 'x' }),
    status: 422,
    body: {
      detail: [
        { type: 'string_too_long', loc: [B, 'v'], msg: 'String should have at most 3 characters', input: 'toolong', ctx: { max_length: 3 } },
        { type: 'int_type', loc: [B, 'w'], msg: 'Input should be a valid integer', input: 'x' }
      ]
    }
  },
  { name: 'X | None accepts null', method: 'POST', args: { m: Body(z.object({ v: z.union([z.string(), z.null()]) })) }, request: json({ v: null }), status: 200, body: { m: { v: null } } },
  { name: 'union: passes', method: 'POST', args: { m: Body(z.object({ v: z.union([z.string(), z.int()]) })) }, request: json({ v: 3 }), status: 200, body: { m: { v: 3 } } }
)

const Pet = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cat'), meows: z.int() }),
  z.object({ kind: z.literal('dog'), barks: z.number() })
])
cases.push(
  { name: 'discriminated: passes', method: 'POST', args: { pet: Body(Pet) }, request: json({ kind: 'dog', barks: 2.5 }), status: 200, body: { pet: { kind: 'dog', barks: 2.5 } } },
  {
    name: 'discriminated: tag not found',
    method: 'POST',
    args: { pet: Body(Pet) },
    request: json({ meows: 1 }),
    status: 422,
    body: { detail: [{ type: 'union_tag_not_found', loc: [B], msg: "Unable to extract tag using discriminator 'kind'", input: { meows: 1 }, ctx: { discriminator: "'kind'" } }] }
  },
  {
    name: 'discriminated: tag invalid',
    method: 'POST',
    args: { pet: Body(Pet) },
    request: json({ kind: 'fish' }),
    status: 422,
    body: {
      detail: [{
        type: 'union_tag_invalid',
        loc: [B],
        msg: "Input tag 'fish' found using 'kind' does not match any of the expected tags: 'cat', 'dog'",
        input: { kind: 'fish' },
        ctx: { discriminator: "'kind'", tag: 'fish', expected_tags: "'cat', 'dog'" }
      }]
    }
  },
  {
    name: 'discriminated: member errors carry the tag in loc',
    method: 'POST',
    args: { pet: Body(Pet) },
    request: json({ kind: 'cat', meows: 'x' }),
    status: 422,
    body: { detail: [{ type: 'int_type', loc: [B, 'cat', 'meows'], msg: 'Input should be a valid integer', input: 'x' }] }
  },
  {
    name: 'discriminated: nested inside an object and a list',
    method: 'POST',
    args: { home: Body(z.object({ pets: z.array(Pet) })) },
    request: json({ pets: [{ kind: 'dog', barks: 1 }, { kind: 'dog' }] }),
    status: 422,
    body: { detail: [{ ...missing(B, 'pets', 1, 'dog', 'barks'), input: { kind: 'dog' } }] }
  }
)

runEchoCases(t, cases)

t.test('a body on GET is a developer error', async t => {
  const app = await build(t)
  t.throws(() => app.api.get('/', { args: { item: Body(Item) } }, () => null), { code: 'FFA_ERR_BODY_NOT_ALLOWED' })
})

t.test('malformed JSON keeps the connection open (the body was read to its end), a body too large closes it', async t => {
  const app = await build(t)
  app.api.post('/items', { args: { item: Body(z.object({ name: z.string() })) }, bodyLimit: 100 }, ({ item }) => item)
  app.post('/plain', async () => 'plain')
  let res = await app.inject({ method: 'POST', url: '/items', headers: { 'content-type': 'application/json' }, payload: '{"name":' })
  t.equal(res.statusCode, 422)
  t.equal(res.headers.connection, undefined, 'no connection: close, as uvicorn')
  res = await app.inject({ method: 'POST', url: '/items', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(200) }) })
  t.equal(res.statusCode, 413)
  t.equal(res.headers.connection, 'close', 'the rest of an oversized body is not read: the connection closes')
  // A plain Fastify route keeps Fastify's own answer.
  res = await app.inject({ method: 'POST', url: '/plain', headers: { 'content-type': 'application/json' }, payload: '{"name":' })
  t.equal(res.statusCode, 400)
  t.equal(res.headers.connection, 'close')
})
