import t from 'tap'
import Fastify from 'fastify'
import { z } from 'zod'
import fastapi, { Body, Cookie, Field, Header, Path, Query, errorCodes } from '../lib/index.js'

type Teardown = { teardown: (fn: () => unknown) => void }

async function build (t: Teardown) {
  const app = Fastify()
  await app.register(fastapi)
  t.teardown(() => app.close())
  return app
}

// Every code the library exports. A new code must be added here (and to the README's table).
const CODES = [
  'FFA_ERR_BODY_NOT_ALLOWED',
  'FFA_ERR_BODY_PARSER_CONFLICT',
  'FFA_ERR_DEPENDS_CYCLE',
  'FFA_ERR_DEPENDS_INVALID',
  'FFA_ERR_DEPENDS_PARAM_CLASH',
  'FFA_ERR_FIELD_INVALID_OPTION',
  'FFA_ERR_OPTIONS_INVALID',
  'FFA_ERR_PARAM_DUPLICATE_NAME',
  'FFA_ERR_PARAM_INVALID_OPTION',
  'FFA_ERR_PARAM_INVALID_SCHEMA',
  'FFA_ERR_PARAM_NOT_A_MARKER',
  'FFA_ERR_PATH_PARAM_NOT_IN_URL',
  'FFA_ERR_PATH_PARAM_OPTIONAL',
  'FFA_ERR_PATH_PARAM_UNDECLARED',
  'FFA_ERR_RESPONSE_INVALID_MODEL',
  'FFA_ERR_ROUTE_INVALID_OPTION'
]

t.test('the catalogue of error codes', async t => {
  const exported = Object.keys(errorCodes).filter(key => key.startsWith('FFA_ERR_')).sort()
  t.equal(exported.length, 16)
  t.same(exported, CODES)
  t.same(Object.keys(errorCodes).sort(), CODES, 'errorCodes exports nothing else')
  for (const [key, ErrorClass] of Object.entries(errorCodes)) {
    const error = new (ErrorClass as new (...args: string[]) => Error & { code: string })('a', 'b', 'c', 'd', 'e')
    t.equal(error.code, key, `${key}.code`)
    t.ok(error instanceof Error)
    t.notMatch(error.message, '%s', `${key} fills every placeholder`)
  }
})

interface Case {
  name: string
  code: string
  /** Declares the faulty route. */
  declare: (app: Awaited<ReturnType<typeof build>>) => unknown
  /** What the message must say: the route, the argument, the fix. */
  message: RegExp[]
}

const cases: Case[] = [
  {
    name: 'a Path() argument that is not in the URL',
    code: 'FFA_ERR_PATH_PARAM_NOT_IN_URL',
    declare: app => app.api.get('/items', { args: { itemId: Path(z.number()) } }, () => null),
    message: [/^GET \/items: /, /"itemId"/, /Add ":itemId" to the URL/, /Query\(\)/]
  },
  {
    name: 'a Path() alias that is not in the URL',
    code: 'FFA_ERR_PATH_PARAM_NOT_IN_URL',
    declare: app => app.api.get('/items/:id', { args: { id: Path(z.number()), other: Path(z.number(), { alias: 'item_id' }) } }, () => null),
    message: [/^GET \/items\/:id: /, /"other"/, /":item_id"/]
  },
  {
    name: 'a URL parameter without a Path() argument',
    code: 'FFA_ERR_PATH_PARAM_UNDECLARED',
    declare: app => app.api.put('/users/:userId/items/:itemId', { args: { userId: Path(z.string()) } }, () => null),
    message: [/^PUT \/users\/:userId\/items\/:itemId: /, /":itemId"/, /itemId: Path\(z\.string\(\)\)/]
  },
  {
    name: 'an optional Path() argument',
    code: 'FFA_ERR_PATH_PARAM_OPTIONAL',
    declare: app => app.api.get('/items/:id', { args: { id: Path(z.string().optional()) } }, () => null),
    message: [/^GET \/items\/:id: /, /"id"/, /Remove \.optional\(\)\/default, or use Query\(\)/]
  },
  {
    name: 'a Path() argument with a default',
    code: 'FFA_ERR_PATH_PARAM_OPTIONAL',
    declare: app => app.api.get('/items/:id', { args: { id: Path(z.string(), { default: 'x' }) } }, () => null),
    message: [/^GET \/items\/:id: /, /"id"/]
  },
  {
    name: 'two query arguments reading one name through an alias',
    code: 'FFA_ERR_PARAM_DUPLICATE_NAME',
    declare: app => app.api.get('/search', { args: { q: Query(z.string()), text: Query(z.string(), { alias: 'q' }) } }, () => null),
    message: [/^GET \/search: /, /"q" and "text" both read query "q"/, /another name or alias/]
  },
  {
    name: 'header arguments xToken and x_token, both x-token',
    code: 'FFA_ERR_PARAM_DUPLICATE_NAME',
    declare: app => app.api.get('/h', { args: { xToken: Header(z.string()), x_token: Header(z.string()) } }, () => null),
    message: [/^GET \/h: /, /"xToken" and "x_token" both read header "x-token"/]
  },
  {
    name: 'two cookies with one name',
    code: 'FFA_ERR_PARAM_DUPLICATE_NAME',
    declare: app => app.api.get('/c', { args: { a: Cookie(z.string(), { alias: 'sid' }), b: Cookie(z.string(), { alias: 'sid' }) } }, () => null),
    message: [/"a" and "b" both read cookie "sid"/]
  },
  {
    name: 'an argument that is a bare zod schema',
    code: 'FFA_ERR_PARAM_NOT_A_MARKER',
    declare: app => app.api.get('/items', { args: { q: z.string() } } as any, () => null),
    message: [/^GET \/items: /, /"q"/, /`q: Query\(z\.string\(\)\)`/]
  },
  {
    name: 'a marker whose schema is not a zod schema',
    code: 'FFA_ERR_PARAM_INVALID_SCHEMA',
    declare: app => app.api.get('/items', { args: { q: Query({ type: 'string' } as any) } }, () => null),
    message: [/^GET \/items: /, /"q"/, /must be a zod schema, e\.g\. Query\(z\.string\(\)\)/]
  },
  {
    name: 'an object schema in a query',
    code: 'FFA_ERR_PARAM_INVALID_SCHEMA',
    declare: app => app.api.get('/items', { args: { filter: Query(z.object({ a: z.string() })) } }, () => null),
    message: [/^GET \/items: /, /"filter"/, /not an object/, /Parameter models .* are not supported: declare each parameter, or group them in a dependency/]
  },
  {
    name: 'a list as a path parameter',
    code: 'FFA_ERR_PARAM_INVALID_SCHEMA',
    declare: app => app.api.get('/items/:ids', { args: { ids: Path(z.array(z.string())) } }, () => null),
    message: [/^GET \/items\/:ids: /, /"ids"/, /cannot be a list/]
  },
  {
    name: 'an unknown parameter option',
    code: 'FFA_ERR_PARAM_INVALID_OPTION',
    declare: app => app.api.get('/items', { args: { q: Query(z.string(), { maxLen: 3 } as any) } }, () => null),
    message: [/^GET \/items: /, /"q"/, /unknown option "maxLen" for Query\(\)/]
  },
  {
    name: 'embed on a Query()',
    code: 'FFA_ERR_PARAM_INVALID_OPTION',
    declare: app => app.api.get('/items', { args: { q: Query(z.string(), { embed: true } as any) } }, () => null),
    message: [/unknown option "embed" for Query\(\)/]
  },
  {
    name: 'gt on a string',
    code: 'FFA_ERR_PARAM_INVALID_OPTION',
    declare: app => app.api.get('/items', { args: { q: Query(z.string(), { gt: 1 }) } }, () => null),
    message: [/^GET \/items: /, /"q"/, /`gt` applies to numbers, but the schema is a string/, /use minLength\/maxLength/]
  },
  {
    name: 'minLength on a number',
    code: 'FFA_ERR_PARAM_INVALID_OPTION',
    declare: app => app.api.get('/items/:id', { args: { id: Path(z.number(), { minLength: 2 }) } }, () => null),
    message: [/^GET \/items\/:id: /, /"id"/, /`minLength` applies to strings and lists, but the schema is a number/, /use gt\/ge\/lt\/le/]
  },
  {
    name: 'an invalid pattern',
    code: 'FFA_ERR_PARAM_INVALID_OPTION',
    declare: app => app.api.get('/items', { args: { q: Query(z.string(), { pattern: '([a-z' }) } }, () => null),
    message: [/^GET \/items: /, /"q"/, /`pattern` is not a valid regular expression/]
  },
  {
    name: 'an empty alias',
    code: 'FFA_ERR_PARAM_INVALID_OPTION',
    declare: app => app.api.get('/items', { args: { q: Query(z.string(), { alias: '' }) } }, () => null),
    message: [/"q"/, /`alias` must be a non-empty string/]
  },
  {
    name: 'a Body() on a GET route',
    code: 'FFA_ERR_BODY_NOT_ALLOWED',
    declare: app => app.api.get('/items', { args: { item: Body(z.object({ a: z.string() })) } }, () => null),
    message: [/^GET \/items: /, /"item"/, /Use POST\/PUT\/PATCH, or Query\(\)/]
  },
  {
    name: 'a Body() on a route for GET and POST',
    code: 'FFA_ERR_BODY_NOT_ALLOWED',
    declare: app => app.api.route(['POST', 'GET'], '/items', { args: { item: Body(z.object({ a: z.string() })) } }, () => null),
    message: [/^POST,GET \/items: /, /"item"/]
  },
  {
    name: 'a misspelt route option',
    code: 'FFA_ERR_ROUTE_INVALID_OPTION',
    declare: app => app.api.get('/items', { responseMdoel: z.object({}) } as any, () => null),
    message: [/^GET \/items: /, /unknown option "responseMdoel"/, /Check its spelling/]
  },
  {
    name: 'args that are not an object',
    code: 'FFA_ERR_ROUTE_INVALID_OPTION',
    declare: app => app.api.get('/items', { args: 'q' } as any, () => null),
    message: [/^GET \/items: /, /`args` must be an object/]
  },
  {
    name: 'a handler that is not a function',
    code: 'FFA_ERR_ROUTE_INVALID_OPTION',
    declare: app => app.api.get('/items', {}, 'handler' as any),
    message: [/^GET \/items: /, /the handler must be a function/]
  },
  ...[99, 600, 200.5, '201', Number.NaN].map((statusCode): Case => ({
    name: `statusCode ${String(statusCode)}`,
    code: 'FFA_ERR_ROUTE_INVALID_OPTION',
    declare: app => app.api.post('/items', { statusCode: statusCode as number }, () => null),
    message: [/^POST \/items: /, /statusCode must be an integer from 100 to 599/, new RegExp(`got ${String(statusCode).replace('.', '\\.')}`)]
  })),
  {
    name: 'a responseModel that is not a zod schema',
    code: 'FFA_ERR_RESPONSE_INVALID_MODEL',
    declare: app => app.api.get('/items', { responseModel: { type: 'object' } as any }, () => null),
    message: [/^GET \/items: /, /responseModel is not a zod schema/, /Pass a zod schema/]
  },
  {
    name: 'a responses model that is not a zod schema',
    code: 'FFA_ERR_RESPONSE_INVALID_MODEL',
    declare: app => app.api.get('/items', { responses: { 404: { model: {} as any } } }, () => null),
    message: [/^GET \/items: /, /responses\[404\]\.model is not a zod schema/]
  }
]

t.test('developer mistakes throw at registration', async t => {
  for (const c of cases) {
    t.test(c.name, async t => {
      const app = await build(t)
      let thrown: any
      try {
        c.declare(app)
      } catch (error) {
        thrown = error
      }
      t.ok(thrown, 'throws')
      t.equal(thrown?.code, c.code)
      for (const part of c.message) t.match(thrown?.message, part)
      t.equal(thrown?.name, 'FastifyError')
    })
  }
})

t.test('a route with URL params and no args declared at all is allowed', async t => {
  const app = await build(t)
  app.api.get('/items/:id', {}, (args, request) => request.params)
  const res = await app.inject({ method: 'GET', url: '/items/3' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { id: '3' })
})

t.test('FastAPI-style {param} URLs are checked too', async t => {
  const app = await build(t)
  t.throws(() => app.api.get('/items/{item_id}', { args: { id: Path(z.number()) } }, () => null), {
    code: 'FFA_ERR_PATH_PARAM_NOT_IN_URL',
    message: /^GET \/items\/:item_id: argument "id"/
  })
})

t.test('Field() with bad options throws FFA_ERR_FIELD_INVALID_OPTION where the model is defined', async t => {
  const bad: Array<[string, () => unknown, RegExp]> = [
    ['an unknown option', () => Field(z.string(), { minLenght: 3 } as any), /^Field\(\): unknown option "minLenght"/],
    ['alias (a marker option)', () => Field(z.string(), { alias: 'x' } as any), /unknown option "alias"/],
    ['gt on a string', () => Field(z.string(), { gt: 0 }), /`gt` applies to numbers, but the schema is a string/],
    ['maxLength on a boolean', () => Field(z.boolean(), { maxLength: 1 }), /`maxLength` applies to strings and lists, but the schema is a boolean/],
    ['a negative minLength', () => Field(z.string(), { minLength: -1 }), /`minLength` must be a non-negative integer/],
    ['pattern on a number', () => Field(z.number(), { pattern: /x/ } as any), /`pattern` applies to strings/],
    ['an invalid pattern', () => Field(z.string(), { pattern: '[' }), /`pattern` is not a valid regular expression/],
    ['examples that are not a list', () => Field(z.string(), { examples: 'x' as any }), /`examples` must be an array/],
    ['a schema that is not zod', () => Field({} as any), /the first argument must be a zod schema/]
  ]
  for (const [name, make, message] of bad) {
    t.throws(make, { code: 'FFA_ERR_FIELD_INVALID_OPTION', message }, name)
  }
})
