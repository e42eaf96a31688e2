/**
 * Secrets (issue 6, item 5): a value marked `secret` (`Field(schema, { secret: true })`, `secret: true`
 * on a marker, the OAuth2 password form's password and client_secret) reaches neither a client nor a
 * log line at the default level (info): not a 422 `input` at any depth (nested object, list item,
 * union member, the parent object echoed for a missing sibling), not a response filtered by a
 * response model, not the log lines of a 422, a 500, a response-model failure or a teardown failure.
 * Every answer and every captured log line is searched for the secret's text.
 *
 * FastAPI echoes passwords in a 422 (README "Deviations"); pydantic's SecretStr shows "**********",
 * which is what a redacted value reads here. Known bugs are assertions marked `todo` (they run, report
 * "not ok # TODO" without failing the suite, and turn "ok # TODO" once fixed: then drop the todo).
 */
import t from 'tap'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { z } from 'zod'
import fastapi, {
  BackgroundTasks, Body, Cookie, Depends, Field, Form, Header, OAuth2PasswordRequestForm, Path, Query, RequestValidationError, dependency,
  type FastifyFastapiOptions
} from '../lib/index.js'
import { build as buildSecurityExample } from '../examples/security/index.js'
import { build as buildUsersExample } from '../examples/users/index.js'
import { checkResponse, logCapture, missing } from './helper.js'
import { compileFastItems } from '../lib/ajv-error-items.js'
import { pushIssueItems } from '../lib/error-items.js'
import type { ErrorItem } from '../lib/exceptions.js'

/** The secret every test sends: it must appear in no answer and no log line. */
const SECRET = 'hunter2-SECRET-s3cr3t'
const STARS = '**********'
const JSON_TYPE = { 'content-type': 'application/json' }
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' }
const INTERNAL = { detail: 'Internal Server Error' }

const Password = Field(z.string(), { secret: true })
const LongPassword = Field(z.string(), { secret: true, minLength: 30 })

/** An app logging at the default level (info) into a capture; closed by the test's teardown. */
async function setup (t: any, options: FastifyFastapiOptions = {}, server: FastifyServerOptions = {}) {
  const capture = logCapture()
  const app = Fastify({ logger: { stream: capture.stream }, ...server })
  t.teardown(() => app.close())
  await app.register(fastapi, options)
  return { app, capture }
}

/** The answer and every log line so far hold no trace of `secret`. */
function noTrace (t: any, res: { body: string } | null, lines: readonly string[], options: { todo?: string } = {}, secret = SECRET): void {
  if (res !== null) t.notMatch(res.body, secret, 'not in the answer')
  const leaking = lines.filter(line => line.includes(secret))
  t.strictSame(leaking, [], 'not in any log line', options)
}

/** Lets what runs after the response (teardown, the "request completed" line) finish. */
function settle (): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 20))
}

const tooShort = (loc: Array<string | number>, input: unknown = STARS) =>
  ({ type: 'string_too_short', loc, msg: 'String should have at least 30 characters', input, ctx: { min_length: 30 } })

t.test('422 input: secrets are redacted at every depth', async t => {
  const Tree: z.ZodType = z.lazy(() => z.object({ password: Password, kids: z.array(Tree), n: z.number() }))
  const variants = z.union([
    z.object({ kind: z.literal('a'), password: Password, n: z.number() }),
    z.object({ kind: z.literal('b'), token: z.string() })
  ])
  const tagged = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('a'), password: Password, n: z.number() }),
    z.object({ kind: z.literal('b'), token: z.string() })
  ])
  const confirm = dependency({ password: Body(LongPassword, { embed: true }) }, ({ password }) => password)

  const cases: Array<{ name: string, args: Record<string, any>, payload: unknown, detail: unknown[] }> = [
    {
      name: 'the secret itself fails',
      args: { b: Body(z.object({ user: z.object({ password: LongPassword, age: z.number() }) })) },
      payload: { user: { password: SECRET, age: 1 } },
      detail: [tooShort(['body', 'user', 'password'])]
    },
    {
      name: 'nested object: the parent echoed for a missing sibling',
      args: { b: Body(z.object({ user: z.object({ password: Password, age: z.number() }) })) },
      payload: { user: { password: SECRET } },
      detail: [{ type: 'missing', loc: ['body', 'user', 'age'], msg: 'Field required', input: { password: STARS } }]
    },
    {
      name: 'a secret of the wrong type',
      args: { b: Body(z.object({ password: Password })) },
      payload: { password: 12345 },
      detail: [{ type: 'string_type', loc: ['body', 'password'], msg: 'Input should be a valid string', input: STARS }]
    },
    {
      name: 'list item: the item echoed for a missing sibling',
      args: { b: Body(z.array(z.object({ password: Password, n: z.number() }))) },
      payload: [{ password: SECRET, n: 1 }, { password: SECRET }],
      detail: [{ type: 'missing', loc: ['body', 1, 'n'], msg: 'Field required', input: { password: STARS } }]
    },
    {
      name: 'a list of secrets echoed whole (too long)',
      args: { b: Body(z.array(Password).max(1)) },
      payload: [SECRET, SECRET],
      detail: [{ type: 'too_long', loc: ['body'], msg: 'List should have at most 1 item after validation, not 2', input: [STARS, STARS], ctx: { field_type: 'List', max_length: 1, actual_length: 2 } }]
    },
    {
      name: 'union: every member\'s items, each echo redacted',
      args: { b: Body(variants) },
      payload: { kind: 'a', password: SECRET },
      detail: [
        { type: 'missing', loc: ['body', 'dict', 'n'], msg: 'Field required', input: { kind: 'a', password: STARS } },
        { type: 'literal_error', loc: ['body', 'dict', 'kind'], msg: 'Input should be \'b\'', input: 'a', ctx: { expected: '\'b\'' } },
        { type: 'missing', loc: ['body', 'dict', 'token'], msg: 'Field required', input: { kind: 'a', password: STARS } }
      ]
    },
    {
      name: 'discriminated union: the chosen member',
      args: { b: Body(tagged) },
      payload: { kind: 'a', password: SECRET },
      detail: [{ type: 'missing', loc: ['body', 'a', 'n'], msg: 'Field required', input: { kind: 'a', password: STARS } }]
    },
    {
      name: 'a refinement of the parent echoes it whole',
      args: { b: Body(z.object({ password: Password, confirm: Password }).refine(o => o.password === o.confirm, 'Passwords differ')) },
      payload: { password: SECRET, confirm: `${SECRET}!` },
      detail: [{ type: 'value_error', loc: ['body'], msg: 'Value error, Passwords differ', input: { password: STARS, confirm: STARS }, ctx: { error: 'Passwords differ' } }]
    },
    {
      name: 'record values',
      args: { b: Body(z.record(z.string(), LongPassword)) },
      payload: { main: SECRET },
      detail: [tooShort(['body', 'main'])]
    },
    {
      name: 'record of objects: the value echoed for a missing sibling',
      args: { b: Body(z.object({ m: z.record(z.string(), z.object({ password: Password, n: z.number() })) })) },
      payload: { m: { main: { password: SECRET } } },
      detail: [{ type: 'missing', loc: ['body', 'm', 'main', 'n'], msg: 'Field required', input: { password: STARS } }]
    },
    {
      name: 'optional, nullable, nullish and default wrappers',
      args: {
        b: Body(z.object({
          a: Field(z.string().optional(), { secret: true }),
          b: Password.nullable(),
          c: Password.nullish(),
          d: Field(z.string(), { secret: true, default: 'x' }),
          n: z.number()
        }))
      },
      payload: { a: SECRET, b: SECRET, c: SECRET, d: SECRET },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: { a: STARS, b: STARS, c: STARS, d: STARS } }]
    },
    {
      name: 'tuple',
      args: { b: Body(z.tuple([Password, z.number()])) },
      payload: [SECRET],
      detail: [{ type: 'too_short', loc: ['body'], msg: 'List should have at least 2 items after validation, not 1', input: [STARS], ctx: { field_type: 'List', min_length: 2, actual_length: 1 } }]
    },
    {
      name: 'recursive (lazy) model, two levels down',
      args: { b: Body(Tree) },
      payload: { password: SECRET, n: 1, kids: [{ password: SECRET, kids: [] }] },
      detail: [{ type: 'missing', loc: ['body', 'kids', 0, 'n'], msg: 'Field required', input: { password: STARS, kids: [] } }]
    },
    {
      name: 'a transformed secret (a pipe)',
      args: { b: Body(z.object({ password: Password.transform(s => s.length), n: z.number() })) },
      payload: { password: SECRET },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: { password: STARS } }]
    },
    {
      name: 'a loose object keeps unknown keys, the secret still redacted',
      args: { b: Body(z.looseObject({ password: Password, n: z.number() })) },
      payload: { password: SECRET, other: 'shown' },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: { password: STARS, other: 'shown' } }]
    },
    {
      name: 'a whole body marked secret',
      args: { b: Body(z.object({ password: z.string(), n: z.number() }), { secret: true }) },
      payload: { password: SECRET },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: STARS }]
    },
    {
      name: 'a whole body marked secret, of the wrong type',
      args: { b: Body(z.object({ password: z.string() }), { secret: true }) },
      payload: [SECRET],
      detail: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: STARS }]
    },
    {
      name: 'embedded body arguments',
      args: { password: Body(LongPassword), n: Body(z.number()) },
      payload: { password: SECRET },
      detail: [tooShort(['body', 'password']), missing('body', 'n')]
    },
    {
      name: 'a dependency\'s body argument',
      args: { p: Depends(confirm), n: Body(z.number(), { embed: true }) },
      payload: { password: SECRET },
      detail: [tooShort(['body', 'password']), missing('body', 'n')]
    }
  ]
  for (const c of cases) {
    t.test(c.name, async t => {
      const { app, capture } = await setup(t)
      app.api.post('/', { args: c.args }, () => ({ ok: true }))
      const res = await app.inject({ method: 'POST', url: '/', headers: JSON_TYPE, payload: JSON.stringify(c.payload) })
      checkResponse(t, res, 422, { detail: c.detail })
      await settle()
      noTrace(t, res, capture.raw)
    })
  }

  t.test('path, query, header, cookie and form secrets', async t => {
    const { app, capture } = await setup(t)
    app.api.get('/items/:key', {
      args: {
        key: Path(z.string().min(30), { secret: true }),
        q: Query(z.string().min(30), { secret: true }),
        pin: Query(z.number().int(), { secret: true }),
        xKey: Header(z.string().min(30), { secret: true }),
        session: Cookie(z.string().min(30), { secret: true })
      }
    }, () => ({ ok: true }))
    app.api.post('/form', { args: { password: Form(LongPassword) } }, () => ({ ok: true }))
    const res = await app.inject({ url: `/items/${SECRET}?q=${SECRET}&pin=${SECRET}`, headers: { 'x-key': SECRET, cookie: `session=${SECRET}` } })
    checkResponse(t, res, 422, {
      detail: [
        tooShort(['path', 'key']),
        tooShort(['query', 'q']),
        { type: 'int_parsing', loc: ['query', 'pin'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: STARS },
        tooShort(['header', 'x-key']),
        tooShort(['cookie', 'session'])
      ]
    })
    t.notMatch(res.body, SECRET)
    const form = await app.inject({ method: 'POST', url: '/form', headers: FORM_TYPE, payload: `password=${SECRET}` })
    checkResponse(t, form, 422, { detail: [tooShort(['body', 'password'])] })
    await settle()
    // The URL (path and query) is in Fastify's "incoming request" line: see the test on URLs below.
    noTrace(t, null, capture.raw.filter(line => !line.includes('"incoming request"')))
  })

  t.test('the OAuth2 password form: password and client_secret', async t => {
    const { app, capture } = await setup(t)
    app.api.post('/token', { args: { form: Depends(OAuth2PasswordRequestForm) } }, () => ({ ok: true }))
    const res = await app.inject({ method: 'POST', url: '/token', headers: FORM_TYPE, payload: `password=${SECRET}&client_secret=${SECRET}` })
    checkResponse(t, res, 422, { detail: [missing('body', 'username')] })
    await settle()
    noTrace(t, res, capture.raw)
  })

  // Under a value marked secret, everything is secret; and the shapes that hide a secret
  // further (a catchall, an intersection, a union member marked whole), or a key named like an
  // Object.prototype member next to it.
  const more: Array<{ name: string, args: Record<string, any>, url?: string, payload?: unknown, detail: unknown[] }> = [
    {
      name: 'a list marked secret: an item that fails',
      args: { b: Body(z.object({ tokens: Field(z.array(z.string().min(30)), { secret: true }) })) },
      payload: { tokens: [SECRET] },
      detail: [tooShort(['body', 'tokens', 0])]
    },
    {
      name: 'a list marked secret (not an exact schema): an item that fails',
      args: { b: Body(z.object({ tokens: Field(z.array(z.string().min(30).trim()), { secret: true }), n: z.number().refine(n => n > 0) })) },
      payload: { tokens: [SECRET], n: 1 },
      detail: [tooShort(['body', 'tokens', 0])]
    },
    {
      name: 'a list query parameter marked secret: an item that fails',
      args: { keys: Query(z.array(z.string().min(30)), { secret: true }) },
      url: `/?keys=${SECRET}`,
      detail: [tooShort(['query', 'keys', 0])]
    },
    {
      name: 'a list header marked secret: an item of the wrong type',
      args: { xPins: Header(z.array(z.number()), { secret: true }) },
      url: '/',
      detail: [{ type: 'float_parsing', loc: ['header', 'x-pins', 0], msg: 'Input should be a valid number, unable to parse string as a number', input: STARS }]
    },
    {
      name: 'an object marked secret: a field inside it that fails',
      args: { b: Body(z.object({ creds: Field(z.object({ user: z.string(), pin: z.string().min(30) }), { secret: true }) })) },
      payload: { creds: { user: 'ann', pin: SECRET } },
      detail: [tooShort(['body', 'creds', 'pin'])]
    },
    {
      name: 'an object marked secret: a field missing inside it',
      args: { b: Body(z.object({ creds: Field(z.object({ user: z.string(), pin: z.string() }), { secret: true }) })) },
      payload: { creds: { pin: SECRET } },
      detail: [{ type: 'missing', loc: ['body', 'creds', 'user'], msg: 'Field required', input: STARS }]
    },
    {
      name: 'a record marked secret: a value that fails',
      args: { b: Body(z.object({ vault: Field(z.record(z.string(), z.string().min(30)), { secret: true }) })) },
      payload: { vault: { main: SECRET } },
      detail: [tooShort(['body', 'vault', 'main'])]
    },
    {
      name: 'a union marked secret: every member\'s items',
      args: { b: Body(z.object({ cred: Field(z.union([z.object({ pin: z.string().min(30) }), z.number()]), { secret: true }) })) },
      payload: { cred: { pin: SECRET } },
      detail: [
        tooShort(['body', 'cred', 'dict', 'pin']),
        { type: 'float_type', loc: ['body', 'cred', 'float'], msg: 'Input should be a valid number', input: STARS }
      ]
    },
    {
      name: 'a union with a secret member: the other member\'s items keep the right types',
      args: { b: Body(z.object({ cred: z.union([Field(z.string().min(30), { secret: true }), z.object({ n: z.number() })]) })) },
      payload: { cred: { n: 'x' } },
      detail: [
        { type: 'string_type', loc: ['body', 'cred', 'str'], msg: 'Input should be a valid string', input: STARS },
        { type: 'float_type', loc: ['body', 'cred', 'dict', 'n'], msg: 'Input should be a valid number', input: STARS }
      ]
    },
    {
      name: 'secret catchall values: the parent echoed for a missing sibling',
      args: { b: Body(z.object({ n: z.number() }).catchall(Password)) },
      payload: { token: SECRET },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: { token: STARS } }]
    },
    {
      name: 'secret catchall values: one that fails',
      args: { b: Body(z.object({ n: z.number() }).catchall(LongPassword)) },
      payload: { n: 1, token: SECRET },
      detail: [tooShort(['body', 'token'])]
    },
    {
      name: 'an intersection: the parent echoed for a missing sibling',
      args: { b: Body(z.intersection(z.object({ password: Password }), z.object({ n: z.number() }))) },
      payload: { password: SECRET },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: { password: STARS } }]
    },
    {
      name: 'an intersection: the secret inside it fails',
      args: { b: Body(z.intersection(z.object({ password: LongPassword }), z.object({ n: z.number() }))) },
      payload: { password: SECRET, n: 1 },
      detail: [tooShort(['body', 'password'])]
    },
    ...['constructor', 'toString', 'hasOwnProperty', 'valueOf'].map(key => ({
      name: `an extra key "${key}" next to a secret`,
      args: { b: Body(z.object({ password: Password, n: z.number() })) },
      payload: { password: SECRET, [key]: 'x' },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: { password: STARS, [key]: 'x' } }]
    })),
    {
      name: 'a forbidden extra key "constructor" next to a secret',
      args: { b: Body(z.strictObject({ password: Password })) },
      payload: { password: SECRET, constructor: 'x' },
      detail: [{ type: 'extra_forbidden', loc: ['body', 'constructor'], msg: 'Extra inputs are not permitted', input: 'x' }]
    }
  ]
  for (const c of more) {
    t.test(c.name, async t => {
      const { app, capture } = await setup(t)
      app.api.route(c.payload === undefined ? 'GET' : 'POST', '/', { args: c.args }, () => ({ ok: true }))
      const res = c.payload === undefined
        ? await app.inject({ url: c.url ?? '/', headers: { 'x-pins': [SECRET, '1'] } })
        : await app.inject({ method: 'POST', url: '/', headers: JSON_TYPE, payload: JSON.stringify(c.payload) })
      checkResponse(t, res, 422, { detail: c.detail })
      await settle()
      noTrace(t, res, capture.raw.filter(line => !line.includes('"incoming request"')))
    })
  }

  t.test('the fast items (ajv) and zod\'s agree under a value marked secret', async t => {
    const schema = z.object({ tokens: Field(z.array(z.string().min(30)), { secret: true }), creds: Field(z.object({ a: z.string(), b: z.number() }), { secret: true }) })
    const fast = compileFastItems(schema)
    if (fast === null) return t.fail('expected an exact schema')
    for (const value of [{ tokens: [SECRET, 'x'], creds: { b: 'x' } }, { tokens: 'x', creds: [SECRET] }, { creds: { a: SECRET, b: 1 } }]) {
      const context = { loc: ['body'], input: value, schema, fromString: false, hasSecrets: true }
      const viaAjv: ErrorItem[] = []
      t.ok(fast(value, context, viaAjv), 'the fast walk concludes')
      const viaZod: ErrorItem[] = []
      pushIssueItems(schema.safeParse(value).error?.issues ?? [], context, viaZod)
      t.strictSame(viaAjv, viaZod)
      t.notOk(JSON.stringify(viaAjv).includes(SECRET))
    }
  })
})

t.test('responses', async t => {
  t.test('a response model drops an undeclared secret at any depth', async t => {
    const { app, capture } = await setup(t)
    const User = z.object({ name: z.string() })
    app.api.get('/user', { responseModel: z.object({ user: User, friends: z.array(User) }) }, () => ({
      user: { name: 'ann', password: SECRET },
      friends: [{ name: 'bob', password: SECRET, hashed_password: SECRET }],
      token: SECRET
    }))
    const res = await app.inject({ url: '/user' })
    checkResponse(t, res, 200, { user: { name: 'ann' }, friends: [{ name: 'bob' }] })
    await settle()
    noTrace(t, res, capture.raw)
  })

  t.test('the examples: /users answers without the password, /users/me without the hashed one', async t => {
    const users = logCapture()
    const usersApp = await buildUsersExample({ logger: { stream: users.stream } })
    t.teardown(() => usersApp.close())
    const created = await usersApp.inject({ method: 'POST', url: '/users', payload: { name: 'ann', password: SECRET } })
    t.equal(created.statusCode, 201)
    t.strictSame(Object.keys(JSON.parse(created.body)).sort(), ['creation_date', 'id', 'name'])
    const refused = await usersApp.inject({ method: 'POST', url: '/users', payload: { password: SECRET } })
    checkResponse(t, refused, 422, { detail: [{ type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: { password: STARS } }] })
    await settle()
    noTrace(t, created, users.raw)
    noTrace(t, refused, users.raw)

    const security = logCapture()
    const securityApp = await buildSecurityExample({ logger: { stream: security.stream } })
    t.teardown(() => securityApp.close())
    const wrong = await securityApp.inject({ method: 'POST', url: '/token', headers: FORM_TYPE, payload: `username=johndoe&password=${SECRET}` })
    checkResponse(t, wrong, 400, { detail: 'Incorrect username or password' })
    const me = await securityApp.inject({ url: '/users/me', headers: { authorization: 'Bearer johndoe' } })
    checkResponse(t, me, 200, { username: 'johndoe', email: 'johndoe@example.com', full_name: 'John Doe', disabled: false })
    await settle()
    noTrace(t, wrong, security.raw)
    noTrace(t, me, security.raw, {}, 'fakehashedsecret')
  })

  t.test('without a response model, the return value is sent as returned', async t => {
    // Nothing declares what to send, so nothing is filtered: as FastAPI returning a dict. (FastAPI
    // returning a pydantic model whose field is a SecretStr would show "**********"; a plain JS
    // object carries no such mark.) Use a response model to keep a password out of an answer.
    const { app } = await setup(t)
    app.api.post('/echo', { args: { b: Body(z.object({ password: Password })) } }, ({ b }) => b)
    checkResponse(t, await app.inject({ method: 'POST', url: '/echo', payload: { password: SECRET } }), 200, { password: SECRET })
  })

  t.test('a secret declared in a response model reads "**********", as pydantic\'s SecretStr', async t => {
    // A field marked secret is documented writeOnly; FastAPI serializes a SecretStr as "**********".
    // The exact model takes the compiled serializer; the trimmed one, and a value that falls
    // back to zod (a Date given as a string), the zod path: the same bytes.
    const { app } = await setup(t)
    const Account = z.object({ user: z.string(), password: Password, since: z.date().optional() })
    const value = { user: 'ann', password: SECRET }
    app.api.get('/account', { responseModel: Account }, () => value)
    app.api.get('/trimmed', { responseModel: Account, responseModelExcludeNone: true }, () => value)
    app.api.get('/zod', { responseModel: Account.refine(() => true) }, () => value)
    for (const url of ['/account', '/trimmed', '/zod']) {
      const res = await app.inject({ url })
      t.equal(res.statusCode, 200)
      t.equal(res.body, `{"user":"ann","password":"${STARS}"}`, `${url}: redacted`)
    }
  })

  t.test('a secret in a response model, nested, listed, nullable or absent', async t => {
    const { app } = await setup(t)
    const Model = z.object({
      pins: z.array(Field(z.number(), { secret: true })),
      creds: Field(z.object({ key: z.string() }), { secret: true }).nullable(),
      hint: Password.optional(),
      deep: z.object({ token: Password.nullable() }),
      length: Password.transform(s => s.length)
    })
    app.api.get('/', { responseModel: Model }, () => ({ pins: [1234], creds: { key: SECRET }, deep: { token: null }, length: SECRET }))
    checkResponse(t, await app.inject({ url: '/' }), 200, { pins: [STARS], creds: STARS, deep: { token: null }, length: STARS })
  })
})

t.test('log lines at the default level (info)', async t => {
  t.test('a 422: only Fastify\'s request lines, nothing of the body or headers', async t => {
    const { app, capture } = await setup(t)
    app.api.post('/login', {
      args: { b: Body(z.object({ user: z.string(), password: LongPassword })), xKey: Header(z.string().min(30), { secret: true }) }
    }, () => ({ ok: true }))
    const res = await app.inject({ method: 'POST', url: '/login', headers: { 'x-key': SECRET }, payload: { password: SECRET } })
    t.equal(res.statusCode, 422)
    await settle()
    t.ok(capture.lines.length >= 2, 'the request was logged')
    noTrace(t, res, capture.raw)
  })

  t.test('a 422 with errorFormat "fastify": the message names the fields only', async t => {
    const { app, capture } = await setup(t, { errorFormat: 'fastify' })
    app.api.post('/login', { args: { b: Body(z.object({ password: LongPassword })) } }, () => ({ ok: true }))
    const res = await app.inject({ method: 'POST', url: '/login', payload: { password: SECRET } })
    t.equal(res.statusCode, 400)
    await settle()
    noTrace(t, res, capture.raw)
  })

  t.test('a RequestValidationError logged by a custom handler: its body is not serialized', async t => {
    const { app, capture } = await setup(t)
    app.api.addExceptionHandler(RequestValidationError, function (error, request, reply) {
      request.log.error({ err: error }, 'validation failed')
      // FastAPI's exc.body is still there for a handler that wants it.
      return reply.code(422).send({ detail: error.errors(), received: Object.keys(error.body as object) })
    })
    app.api.post('/login', { args: { b: Body(z.object({ user: z.string(), password: Password })) } }, () => ({ ok: true }))
    const res = await app.inject({ method: 'POST', url: '/login', payload: { password: SECRET } })
    checkResponse(t, res, 422, { detail: [{ type: 'missing', loc: ['body', 'user'], msg: 'Field required', input: { password: STARS } }], received: ['password'] })
    await settle()
    t.ok(capture.lines.some(line => line.msg === 'validation failed'), 'the error was logged')
    noTrace(t, res, capture.raw)
    t.notOk(Object.keys(new RequestValidationError([], { password: SECRET })).includes('body'), 'body is not enumerable')
  })

  t.test('a response-model failure: logged where and why, never the returned value', async t => {
    const { app, capture } = await setup(t)
    app.api.get('/account', {
      responseModel: z.object({ user: z.string(), password: LongPassword, pin: Password })
    }, () => ({ user: 42, password: SECRET, pin: 7, hashed_password: SECRET }) as any)
    const res = await app.inject({ url: '/account' })
    checkResponse(t, res, 500, INTERNAL)
    await settle()
    t.ok(capture.lines.some(line => line.level === 50 && /Response validation failed/.test(line.msg)), 'logged at error level')
    noTrace(t, res, capture.raw)
  })

  t.test('a 500 from a handler that received the secret: the answer is generic', async t => {
    const { app, capture } = await setup(t)
    app.api.post('/login', { args: { b: Body(z.object({ password: Password })) } }, () => { throw new Error('database unavailable') })
    const res = await app.inject({ method: 'POST', url: '/login', payload: { password: SECRET } })
    checkResponse(t, res, 500, INTERNAL)
    await settle()
    noTrace(t, res, capture.raw)
  })

  t.test('a 500 whose error message contains the password', async t => {
    // The handler wrote the secret into its own message: the logged error is a copy with this
    // request's secret values (arguments marked secret) replaced, of the same class.
    const { app, capture } = await setup(t)
    app.api.post('/login', { args: { b: Body(z.object({ user: z.string(), password: Password })) } }, ({ b }) => {
      throw new Error(`login failed for ${b.user} with ${b.password}`)
    })
    const res = await app.inject({ method: 'POST', url: '/login', payload: { user: 'ann', password: SECRET } })
    checkResponse(t, res, 500, INTERNAL)
    await settle()
    const logged = capture.lines.find(line => line.level === 50)
    t.match(logged?.err, { type: 'Error', message: `login failed for ann with ${STARS}`, stack: /^Error: login failed for ann with \*{10}\n {4}at / }, 'an Error, scrubbed')
    noTrace(t, res, capture.raw)
  })

  t.test('a teardown failure of a dependency that received the secret', async t => {
    const { app, capture } = await setup(t)
    let closed = 0
    const session = dependency({ password: Body(Password, { embed: true }) }, function * ({ password }) {
      yield password.length
      // After the response: the teardown.
      closed++
      throw new Error('could not close the session')
    })
    app.api.post('/login', { args: { n: Depends(session) } }, ({ n }) => ({ n }))
    const res = await app.inject({ method: 'POST', url: '/login', payload: { password: SECRET } })
    checkResponse(t, res, 200, { n: SECRET.length })
    await settle()
    t.equal(closed, 1)
    t.ok(capture.lines.some(line => line.level >= 50), 'the teardown failure is logged')
    noTrace(t, res, capture.raw)
  })

  t.test('a teardown failure whose message contains the password', async t => {
    const { app, capture } = await setup(t)
    const session = dependency({ password: Body(Password, { embed: true }) }, function * ({ password }) {
      yield 1
      throw new Error(`could not close the session of ${password}`)
    })
    app.api.post('/login', { args: { n: Depends(session) } }, ({ n }) => ({ n }))
    const res = await app.inject({ method: 'POST', url: '/login', payload: { password: SECRET } })
    checkResponse(t, res, 200, { n: 1 })
    await settle()
    const logged = capture.lines.find(line => line.level >= 50)
    t.match(logged, { msg: 'A dependency teardown (code after yield) failed', err: { type: 'Error', message: `could not close the session of ${STARS}` } })
    noTrace(t, res, capture.raw)
  })

  t.test('a dependency put in place by dependencyOverrides: its secret arguments are scrubbed too', async t => {
    const { app, capture } = await setup(t)
    const session = dependency({}, () => 'real')
    app.api.post('/login', { args: { s: Depends(session) } }, ({ s }) => ({ s }))
    await app.ready()
    const fake = dependency({ password: Body(Password, { embed: true }) }, ({ password }): string => {
      throw new Error(`fake session refused ${password}`)
    })
    app.dependencyOverrides.set(session, fake)
    const res = await app.inject({ method: 'POST', url: '/login', payload: { password: SECRET } })
    checkResponse(t, res, 500, { detail: 'Internal Server Error' })
    await settle()
    t.match(capture.lines.find(line => line.level >= 50), { err: { message: `fake session refused ${STARS}` } })
    noTrace(t, res, capture.raw)
  })

  t.test('logged errors: every place, every part of the error, and only this route\'s secrets', async t => {
    const { app, capture } = await setup(t)
    class LoginError extends Error {
      attempt: unknown
      constructor (message: string, attempt: unknown, cause: unknown) {
        super(message, { cause })
        this.attempt = attempt
      }
    }
    const keyed = dependency({ apiKey: Header(z.string(), { alias: 'x-api-key', secret: true }) }, ({ apiKey }) => apiKey)
    const log = (url: string) => capture.lines.filter(line => line.level >= 50 && line.req === undefined && capture.lines.some(l => l.reqId === line.reqId && l.req?.url === url))
    app.api.post('/class', { args: { b: Body(z.object({ password: Password })) } }, ({ b }) => {
      throw new LoginError(`denied: ${b.password}`, { password: b.password, tries: [b.password] }, new Error(`because ${b.password}`))
    })
    app.api.post('/string', { args: { b: Body(z.object({ password: Password })) } }, ({ b }) => {
      // eslint-disable-next-line no-throw-literal -- a handler may throw anything
      throw `denied: ${b.password}`
    })
    app.api.get('/query', { args: { pin: Query(z.string(), { secret: true }) } }, async ({ pin }) => { throw new Error(`pin ${pin}`) })
    app.api.get('/dep', { args: { key: Depends(keyed) } }, ({ key }) => { throw new Error(`key ${key}`) })
    app.api.post('/task', { args: { b: Body(z.object({ password: Password })), tasks: BackgroundTasks() } }, ({ b, tasks }) => {
      tasks.add(function sendMail () { throw new Error(`mail with ${b.password}`) })
      return { ok: true }
    })
    app.api.post('/plain', { args: { b: Body(z.object({ password: z.string() })) } }, ({ b }) => { throw new Error(`denied: ${b.password}`) })

    checkResponse(t, await app.inject({ method: 'POST', url: '/class', payload: { password: SECRET } }), 500, INTERNAL)
    checkResponse(t, await app.inject({ method: 'POST', url: '/string', payload: { password: SECRET } }), 500, INTERNAL)
    checkResponse(t, await app.inject({ url: `/query?pin=${SECRET}` }), 500, INTERNAL)
    t.equal((await app.inject({ method: 'HEAD', url: `/query?pin=${SECRET}` })).statusCode, 500)
    checkResponse(t, await app.inject({ url: '/dep', headers: { 'x-api-key': SECRET } }), 500, INTERNAL)
    checkResponse(t, await app.inject({ method: 'POST', url: '/task', payload: { password: SECRET } }), 200, { ok: true })
    checkResponse(t, await app.inject({ method: 'POST', url: '/plain', payload: { password: SECRET } }), 500, INTERNAL)
    await settle()

    t.match(log('/class'), [{
      err: {
        type: 'LoginError',
        message: `denied: ${STARS}: because ${STARS}`,
        stack: /^Error: denied: \*{10}\n[^]*caused by: Error: because \*{10}/,
        attempt: { password: STARS, tries: [STARS] }
      }
    }], 'the class, message, stack, cause and properties')
    t.match(log('/string'), [{ err: `denied: ${STARS}` }], 'a thrown string')
    t.match(log(`/query?pin=${SECRET}`), [{ err: { message: `pin ${STARS}` } }, { err: { message: `pin ${STARS}` } }], 'a query parameter, GET and its HEAD route')
    t.match(log('/dep'), [{ err: { message: `key ${STARS}` } }], 'a dependency\'s header')
    t.match(log('/task'), [{ msg: 'A background task failed; the tasks after it were not run', err: { message: `mail with ${STARS}` } }], 'a background task')
    // Not marked secret: logged as thrown, and such a route pays nothing.
    t.match(log('/plain'), [{ err: { type: 'Error', message: `denied: ${SECRET}` } }], 'a route without secrets')
    noTrace(t, null, capture.raw.filter(line => !line.includes('"incoming request"') && !line.includes('denied: hunter2')))
  })

  t.test('a secret in the URL is in Fastify\'s "incoming request" line, as in uvicorn\'s access log', async t => {
    // Not the plugin's line: Fastify logs req.url (path and query) at info, as uvicorn logs the
    // path with its query string. A `req` serializer without the query keeps query secrets out.
    const { app, capture } = await setup(t)
    app.api.get('/me', { args: { apiKey: Query(z.string(), { alias: 'api_key', secret: true }) } }, () => ({ ok: true }))
    await app.inject({ url: `/me?api_key=${SECRET}` })
    await settle()
    t.ok(capture.raw.some(line => line.includes(SECRET) && line.includes('"incoming request"')), 'the URL is logged')
    t.strictSame(capture.raw.filter(line => line.includes(SECRET) && !line.includes('"incoming request"')), [], 'only there')

    const quiet = logCapture()
    const app2 = Fastify({
      logger: {
        stream: quiet.stream,
        serializers: { req: (request: { method: string, url: string }) => ({ method: request.method, url: request.url.split('?')[0] }) }
      }
    })
    t.teardown(() => app2.close())
    await app2.register(fastapi)
    app2.api.get('/me', { args: { apiKey: Query(z.string(), { alias: 'api_key', secret: true }) } }, () => ({ ok: true }))
    checkResponse(t, await app2.inject({ url: `/me?api_key=${SECRET}` }), 200, { ok: true })
    await settle()
    noTrace(t, null, quiet.raw)
  })
})
