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
  Body, Cookie, Depends, Field, Form, Header, OAuth2PasswordRequestForm, Path, Query, RequestValidationError, dependency,
  type FastifyFastapiOptions
} from '../lib/index.js'
import { build as buildSecurityExample } from '../examples/security/index.js'
import { build as buildUsersExample } from '../examples/users/index.js'
import { checkResponse, logCapture, missing } from './helper.js'

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

  // Known bugs: the secret is echoed, or the 422 breaks.
  const bugs: Array<{ name: string, args: Record<string, any>, url?: string, payload?: unknown, detail: unknown[], todo: string }> = [
    {
      name: 'a list marked secret: an item that fails',
      args: { b: Body(z.object({ tokens: Field(z.array(z.string().min(30)), { secret: true }) })) },
      payload: { tokens: [SECRET] },
      detail: [tooShort(['body', 'tokens', 0])],
      todo: 'bug (lib/error-items.ts shown/redact): only the located schema is checked for `secret`, not its ancestors'
    },
    {
      name: 'a list query parameter marked secret: an item that fails',
      args: { keys: Query(z.array(z.string().min(30)), { secret: true }) },
      url: `/?keys=${SECRET}`,
      detail: [tooShort(['query', 'keys', 0])],
      todo: 'bug (lib/error-items.ts shown/redact): only the located schema is checked for `secret`, not its ancestors'
    },
    {
      name: 'an object marked secret: a field inside it that fails',
      args: { b: Body(z.object({ creds: Field(z.object({ user: z.string(), pin: z.string().min(30) }), { secret: true }) })) },
      payload: { creds: { user: 'ann', pin: SECRET } },
      detail: [tooShort(['body', 'creds', 'pin'])],
      todo: 'bug (lib/error-items.ts shown/redact): only the located schema is checked for `secret`, not its ancestors'
    },
    {
      name: 'secret catchall values: the parent echoed for a missing sibling',
      args: { b: Body(z.object({ n: z.number() }).catchall(Password)) },
      payload: { token: SECRET },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: { token: STARS } }],
      todo: 'bug (lib/zod-internals.ts containsSecret, lib/error-items.ts redact): an object\'s catchall is not walked'
    },
    {
      name: 'an intersection: the parent echoed for a missing sibling',
      args: { b: Body(z.intersection(z.object({ password: Password }), z.object({ n: z.number() }))) },
      payload: { password: SECRET },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: { password: STARS } }],
      todo: 'bug (lib/zod-internals.ts containsSecret): intersections are not walked, so nothing is redacted'
    },
    {
      name: 'an extra key named like an Object.prototype member next to a secret',
      args: { b: Body(z.object({ password: Password, n: z.number() })) },
      payload: { password: SECRET, constructor: 'x' },
      detail: [{ type: 'missing', loc: ['body', 'n'], msg: 'Field required', input: { password: STARS, constructor: 'x' } }],
      todo: 'bug (lib/error-items.ts redact: def.shape[key] reads the inherited Object; zod\'s registry then throws): answered 500'
    }
  ]
  for (const c of bugs) {
    t.test(c.name, async t => {
      const { app, capture } = await setup(t)
      app.api.route(c.payload === undefined ? 'GET' : 'POST', '/', { args: c.args }, () => ({ ok: true }))
      const res = c.payload === undefined
        ? await app.inject({ url: c.url ?? '/' })
        : await app.inject({ method: 'POST', url: '/', headers: JSON_TYPE, payload: JSON.stringify(c.payload) })
      t.equal(res.statusCode, 422, 'status', { todo: c.todo })
      t.strictSame(JSON.parse(res.body), { detail: c.detail }, 'body', { todo: c.todo })
      t.notOk(res.body.includes(SECRET), 'not in the answer', { todo: c.todo })
      await settle()
      noTrace(t, null, capture.raw.filter(line => !line.includes('"incoming request"')), { todo: c.todo })
    })
  }
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
    const todo = 'bug (lib/response-model.ts, lib/fast-path.ts): a declared secret field is sent in clear'
    const { app } = await setup(t)
    app.api.get('/account', { responseModel: z.object({ user: z.string(), password: Password }) }, () => ({ user: 'ann', password: SECRET }))
    const res = await app.inject({ url: '/account' })
    t.equal(res.statusCode, 200)
    t.strictSame(JSON.parse(res.body), { user: 'ann', password: STARS }, 'redacted', { todo })
    t.notOk(res.body.includes(SECRET), 'not in the answer', { todo })
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
    // The handler wrote the secret into its own message; the error line logs err.message and
    // err.stack as they are. The route knows this request's secret values (validated arguments
    // marked secret): scrubbing them from the logged error would close this.
    const todo = 'bug/limitation (lib/exception-handlers.ts): err.message and err.stack are logged as thrown'
    const { app, capture } = await setup(t)
    app.api.post('/login', { args: { b: Body(z.object({ user: z.string(), password: Password })) } }, ({ b }) => {
      throw new Error(`login failed for ${b.user} with ${b.password}`)
    })
    const res = await app.inject({ method: 'POST', url: '/login', payload: { user: 'ann', password: SECRET } })
    checkResponse(t, res, 500, INTERNAL)
    await settle()
    t.ok(capture.lines.some(line => line.level === 50), 'logged at error level')
    noTrace(t, res, capture.raw, { todo })
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
    const todo = 'bug/limitation (lib/dependency-runner.ts): the teardown error is logged as thrown'
    const { app, capture } = await setup(t)
    const session = dependency({ password: Body(Password, { embed: true }) }, function * ({ password }) {
      yield 1
      throw new Error(`could not close the session of ${password}`)
    })
    app.api.post('/login', { args: { n: Depends(session) } }, ({ n }) => ({ n }))
    const res = await app.inject({ method: 'POST', url: '/login', payload: { password: SECRET } })
    checkResponse(t, res, 200, { n: 1 })
    await settle()
    t.ok(capture.lines.some(line => line.level >= 50), 'the teardown failure is logged')
    noTrace(t, res, capture.raw, { todo })
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
