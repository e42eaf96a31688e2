import t from 'tap'
import { z } from 'zod'
import { Body, Cookie, Field, Header, Path, Query } from '../lib/index.js'
import { build, checkResponse, missing, parsing } from './helper.js'

const SECRET = 'hunter2'
const STARS = '**********'

t.test('errors of every location come back together, path, query, header, cookie, body', async t => {
  const app = await build(t)
  // Declared in a scrambled order on purpose: the 422 order is FastAPI's, not the declaration's.
  app.api.post('/items/:itemId', {
    args: {
      item: Body(z.object({ name: z.string() })),
      session: Cookie(z.string()),
      xToken: Header(z.string()),
      q: Query(z.int()),
      itemId: Path(z.int())
    }
  }, args => args)
  const res = await app.inject({ method: 'POST', url: '/items/abc?q=x', payload: {} })
  checkResponse(t, res, 422, {
    detail: [
      parsing.int('abc', 'path', 'itemId'),
      parsing.int('x', 'query', 'q'),
      missing('header', 'x-token'),
      missing('cookie', 'session'),
      { ...missing('body', 'name'), input: {} }
    ]
  })
})

t.test('a body error and a query error together (Fastify alone would stop at the first part)', async t => {
  const app = await build(t)
  app.api.put('/items/:itemId', {
    args: { itemId: Path(z.int()), item: Body(z.object({ price: z.number() })), q: Query(z.string(), { minLength: 2 }) }
  }, args => args)
  const res = await app.inject({ method: 'PUT', url: '/items/1?q=a', payload: { price: 'free' } })
  checkResponse(t, res, 422, {
    detail: [
      { type: 'string_too_short', loc: ['query', 'q'], msg: 'String should have at least 2 characters', input: 'a', ctx: { min_length: 2 } },
      { type: 'float_type', loc: ['body', 'price'], msg: 'Input should be a valid number', input: 'free' }
    ]
  })
})

t.test('valid arguments do not appear among the errors', async t => {
  const app = await build(t)
  app.api.get('/', { args: { a: Query(z.int()), b: Query(z.int()), c: Query(z.int()) } }, args => args)
  const res = await app.inject({ url: '/?a=1&b=x&c=3' })
  checkResponse(t, res, 422, { detail: [parsing.int('x', 'query', 'b')] })
})

t.test('the handler is not called when validation fails', async t => {
  const app = await build(t)
  let calls = 0
  app.api.get('/', { args: { a: Query(z.int()) } }, () => { calls++ })
  await app.inject({ url: '/?a=x' })
  t.equal(calls, 0)
})

t.test('only the first failing rule per value', async t => {
  const app = await build(t)
  app.api.post('/', {
    args: {
      q: Query(z.string(), { minLength: 3, pattern: /^[a-z]+$/ }),
      item: Body(z.object({
        name: Field(z.string(), { minLength: 3, maxLength: 1, pattern: /^[a-z]+$/ }),
        n: z.int().multipleOf(3).min(10)
      }))
    }
  }, args => args)
  const res = await app.inject({ method: 'POST', url: '/?q=A', payload: { name: 'A', n: 4 } })
  checkResponse(t, res, 422, {
    detail: [
      { type: 'string_too_short', loc: ['query', 'q'], msg: 'String should have at least 3 characters', input: 'A', ctx: { min_length: 3 } },
      { type: 'string_too_short', loc: ['body', 'name'], msg: 'String should have at least 3 characters', input: 'A', ctx: { min_length: 3 } },
      { type: 'multiple_of', loc: ['body', 'n'], msg: 'Input should be a multiple of 3', input: 4, ctx: { multiple_of: 3 } }
    ]
  })
})

t.test('422 items per location carry the received strings', async t => {
  const app = await build(t)
  app.api.get('/:n', { args: { n: Path(z.int(), { gt: 0 }), f: Query(z.number(), { le: 1 }), h: Header(z.int(), { lt: 5 }) } }, args => args)
  const res = await app.inject({ url: '/0?f=1.5', headers: { h: '5' } })
  checkResponse(t, res, 422, {
    detail: [
      { type: 'greater_than', loc: ['path', 'n'], msg: 'Input should be greater than 0', input: '0', ctx: { gt: 0 } },
      { type: 'less_than_equal', loc: ['query', 'f'], msg: 'Input should be less than or equal to 1', input: '1.5', ctx: { le: 1 } },
      { type: 'less_than', loc: ['header', 'h'], msg: 'Input should be less than 5', input: '5', ctx: { lt: 5 } }
    ]
  })
})

t.test('secrets are never echoed', async t => {
  const Password = Field(z.string(), { secret: true, minLength: 8 })
  const cases: Array<{ name: string, args: any, request: any, detail: unknown[] }> = [
    {
      name: 'a failing secret field',
      args: { user: Body(z.object({ name: z.string(), password: Password })) },
      request: { payload: { name: 'ann', password: SECRET } },
      detail: [{ type: 'string_too_short', loc: ['body', 'password'], msg: 'String should have at least 8 characters', input: STARS, ctx: { min_length: 8 } }]
    },
    {
      name: 'a secret of the wrong type',
      args: { user: Body(z.object({ password: Password })) },
      request: { payload: { password: 1234567 } },
      detail: [{ type: 'string_type', loc: ['body', 'password'], msg: 'Input should be a valid string', input: STARS }]
    },
    {
      name: 'the parent object echoed for a missing sibling',
      args: { user: Body(z.object({ name: z.string(), password: Field(z.string(), { secret: true }) })) },
      request: { payload: { password: SECRET } },
      detail: [{ ...missing('body', 'name'), input: { password: STARS } }]
    },
    {
      name: 'inside nested objects and lists',
      args: {
        team: Body(z.object({
          members: z.array(z.object({ login: z.object({ password: Field(z.string(), { secret: true }) }), age: z.int() }))
        }))
      },
      request: { payload: { members: [{ login: { password: SECRET }, age: 'x' }, { login: { password: SECRET } }] } },
      detail: [
        { type: 'int_type', loc: ['body', 'members', 0, 'age'], msg: 'Input should be a valid integer', input: 'x' },
        { ...missing('body', 'members', 1, 'age'), input: { login: { password: STARS } } }
      ]
    },
    {
      name: 'a refine over an object holding secrets',
      args: {
        change: Body(z.object({ password: Field(z.string(), { secret: true }), confirm: Field(z.string(), { secret: true }) })
          .refine(v => v.password === v.confirm, 'passwords do not match'))
      },
      request: { payload: { password: SECRET, confirm: SECRET + '!' } },
      detail: [{ type: 'value_error', loc: ['body'], msg: 'Value error, passwords do not match', input: { password: STARS, confirm: STARS }, ctx: { error: 'passwords do not match' } }]
    },
    {
      name: 'Body(..., { secret: true }) among several bodies',
      args: { name: Body(z.string()), password: Body(z.string(), { secret: true, minLength: 8 }) },
      request: { payload: { name: 1, password: SECRET } },
      detail: [
        { type: 'string_type', loc: ['body', 'name'], msg: 'Input should be a valid string', input: 1 },
        { type: 'string_too_short', loc: ['body', 'password'], msg: 'String should have at least 8 characters', input: STARS, ctx: { min_length: 8 } }
      ]
    },
    {
      name: 'a secret single body',
      args: { password: Body(z.string(), { secret: true, pattern: /^\d+$/ }) },
      request: { payload: JSON.stringify(SECRET), headers: { 'content-type': 'application/json' } },
      detail: [{ type: 'string_pattern_mismatch', loc: ['body'], msg: "String should match pattern '^\\d+$'", input: STARS, ctx: { pattern: '^\\d+$' } }]
    },
    {
      name: 'a list of secrets',
      args: { keys: Body(z.object({ keys: z.array(Field(z.string(), { secret: true })).min(2) })) },
      request: { payload: { keys: [SECRET] } },
      detail: [{
        type: 'too_short',
        loc: ['body', 'keys'],
        msg: 'List should have at least 2 items after validation, not 1',
        input: [STARS],
        ctx: { field_type: 'List', min_length: 2, actual_length: 1 }
      }]
    },
    {
      name: 'a secret inside a union member',
      args: { cred: Body(z.object({ key: z.union([z.int(), Field(z.string(), { secret: true, minLength: 8 })]) })) },
      request: { payload: { key: SECRET } },
      detail: [
        { type: 'int_type', loc: ['body', 'key', 'int'], msg: 'Input should be a valid integer', input: STARS },
        { type: 'string_too_short', loc: ['body', 'key', 'str'], msg: 'String should have at least 8 characters', input: STARS, ctx: { min_length: 8 } }
      ]
    },
    {
      name: 'a secret inside a discriminated union member',
      args: {
        auth: Body(z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('password'), password: Password }),
          z.object({ kind: z.literal('token'), token: z.string() })
        ]))
      },
      request: { payload: { kind: 'password', password: SECRET } },
      detail: [{ type: 'string_too_short', loc: ['body', 'password', 'password'], msg: 'String should have at least 8 characters', input: STARS, ctx: { min_length: 8 } }]
    },
    {
      name: 'a secret query parameter',
      args: { token: Query(z.string(), { secret: true, minLength: 8 }) },
      request: { method: 'GET', url: `/?token=${SECRET}` },
      detail: [{ type: 'string_too_short', loc: ['query', 'token'], msg: 'String should have at least 8 characters', input: STARS, ctx: { min_length: 8 } }]
    },
    {
      name: 'a secret header',
      args: { xApiKey: Header(z.string(), { secret: true, pattern: /^key-/ }) },
      request: { method: 'GET', headers: { 'x-api-key': SECRET } },
      detail: [{ type: 'string_pattern_mismatch', loc: ['header', 'x-api-key'], msg: "String should match pattern '^key-'", input: STARS, ctx: { pattern: '^key-' } }]
    },
    {
      name: 'a secret cookie',
      args: { session: Cookie(z.string(), { secret: true, minLength: 8 }) },
      request: { method: 'GET', headers: { cookie: `session=${SECRET}` } },
      detail: [{ type: 'string_too_short', loc: ['cookie', 'session'], msg: 'String should have at least 8 characters', input: STARS, ctx: { min_length: 8 } }]
    }
  ]
  for (const c of cases) {
    t.test(c.name, async t => {
      const app = await build(t)
      const method = c.request.method ?? 'POST'
      app.api.route(method, '/', { args: c.args }, args => args)
      const res = await app.inject({ method, url: '/', ...c.request })
      checkResponse(t, res, 422, { detail: c.detail })
      t.notOk(res.body.includes(SECRET), 'the secret is nowhere in the response')
    })
  }
})

t.test('non-finite numbers are never echoed as numbers', async t => {
  const app = await build(t)
  app.api.post('/', { args: { m: Body(z.object({ x: z.number(), n: z.int(), c: z.enum(['a']).optional() })) } }, args => args)
  // 1e999 is valid JSON; JSON.parse makes it Infinity.
  const res = await app.inject({ method: 'POST', url: '/', payload: '{"x": 1e999, "n": -1e999}', headers: { 'content-type': 'application/json' } })
  checkResponse(t, res, 422, {
    detail: [
      { type: 'finite_number', loc: ['body', 'x'], msg: 'Input should be a finite number', input: 'Infinity' },
      { type: 'finite_number', loc: ['body', 'n'], msg: 'Input should be a finite number', input: '-Infinity' }
    ]
  })

  const nested = await app.inject({ method: 'POST', url: '/', payload: '{"x": [1e999], "c": "b"}', headers: { 'content-type': 'application/json' } })
  checkResponse(t, nested, 422, {
    detail: [
      { type: 'float_type', loc: ['body', 'x'], msg: 'Input should be a valid number', input: ['Infinity'] },
      { ...missing('body', 'n'), input: { x: ['Infinity'], c: 'b' } },
      { type: 'enum', loc: ['body', 'c'], msg: "Input should be 'a'", input: 'b', ctx: { expected: "'a'" } }
    ]
  })

  const query = await app.inject({ method: 'POST', url: '/', payload: { x: 1, n: 1 } })
  t.equal(query.statusCode, 200, 'finite numbers pass')
})

t.test('inf and nan in a query stay strings', async t => {
  const app = await build(t)
  app.api.get('/', { args: { a: Query(z.number()), b: Query(z.number()), c: Query(z.int()) } }, args => args)
  const res = await app.inject({ url: '/?a=inf&b=NaN&c=1e999' })
  checkResponse(t, res, 422, {
    detail: [parsing.float('inf', 'query', 'a'), parsing.float('NaN', 'query', 'b'), parsing.int('1e999', 'query', 'c')]
  })
})

t.test("errorFormat 'fastify' answers Fastify's 400 shape", async t => {
  const app = await build(t, { errorFormat: 'fastify' })
  app.api.get('/', { args: { a: Query(z.int()), b: Header(z.string()) } }, args => args)
  const res = await app.inject({ url: '/?a=x' })
  checkResponse(t, res, 400, {
    statusCode: 400,
    code: 'FST_ERR_VALIDATION',
    error: 'Bad Request',
    message: 'query/a Input should be a valid integer, unable to parse string as an integer, header/b Field required'
  })
})

t.test('an absent enum or literal is missing, as in pydantic (zod says invalid option)', async t => {
  const app = await build(t)
  app.api.post('/', {
    args: { kind: Query(z.enum(['a', 'b'])), m: Body(z.object({ e: z.enum(['x', 'y']), l: z.literal('z') })) }
  }, args => args)
  const res = await app.inject({ method: 'POST', url: '/', payload: { other: 1 } })
  t.equal(res.statusCode, 422)
  t.strictSame(JSON.parse(res.body), {
    detail: [
      { type: 'missing', loc: ['query', 'kind'], msg: 'Field required', input: null },
      { type: 'missing', loc: ['body', 'e'], msg: 'Field required', input: { other: 1 } },
      { type: 'missing', loc: ['body', 'l'], msg: 'Field required', input: { other: 1 } }
    ]
  })
})
