/**
 * examples/security: FastAPI's "Simple OAuth2 with Password and Bearer", answer for answer —
 * except that the user is answered through a response model, so the hashed password never leaks.
 */
import t from 'tap'
import { build } from '../../examples/security/index.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

async function app (t: { teardown: (fn: () => unknown) => void }) {
  const instance = await build()
  t.teardown(() => instance.close())
  return instance
}

t.test('POST /token', async t => {
  const cases = [
    { name: 'johndoe with the right password', payload: 'username=johndoe&password=secret', status: 200, body: { access_token: 'johndoe', token_type: 'bearer' } },
    { name: 'alice can log in too (she is only refused later)', payload: 'username=alice&password=secret2', status: 200, body: { access_token: 'alice', token_type: 'bearer' } },
    { name: 'a wrong password', payload: 'username=johndoe&password=wrong', status: 400, body: { detail: 'Incorrect username or password' } },
    { name: 'an unknown user', payload: 'username=nobody&password=secret', status: 400, body: { detail: 'Incorrect username or password' } },
    { name: 'an inherited property name is no user', payload: 'username=constructor&password=x', status: 400, body: { detail: 'Incorrect username or password' } },
    {
      name: 'no credentials',
      payload: '',
      status: 422,
      body: {
        detail: [
          { type: 'missing', loc: ['body', 'username'], msg: 'Field required', input: null },
          { type: 'missing', loc: ['body', 'password'], msg: 'Field required', input: null }
        ]
      }
    }
  ]
  for (const c of cases) {
    t.test(c.name, async t => {
      const res = await (await app(t)).inject({ method: 'POST', url: '/token', headers: FORM, payload: c.payload })
      t.equal(res.statusCode, c.status)
      t.strictSame(res.json(), c.body)
      t.notMatch(res.body, 'secret', 'no password in any answer')
    })
  }
})

t.test('GET /users/me', async t => {
  const bearer = { 'www-authenticate': 'Bearer' }
  const cases = [
    {
      name: 'johndoe: the user, without the hashed password',
      headers: { authorization: 'Bearer johndoe' },
      status: 200,
      body: { username: 'johndoe', email: 'johndoe@example.com', full_name: 'John Doe', disabled: false },
      challenge: undefined
    },
    { name: 'alice is disabled', headers: { authorization: 'Bearer alice' }, status: 400, body: { detail: 'Inactive user' }, challenge: undefined },
    { name: 'an unknown token', headers: { authorization: 'Bearer nobody' }, status: 401, body: { detail: 'Invalid authentication credentials' }, challenge: bearer },
    { name: 'no token', headers: {}, status: 401, body: { detail: 'Not authenticated' }, challenge: bearer },
    { name: 'another scheme', headers: { authorization: 'Basic am9obmRvZTpzZWNyZXQ=' }, status: 401, body: { detail: 'Not authenticated' }, challenge: bearer }
  ]
  for (const c of cases) {
    t.test(c.name, async t => {
      const res = await (await app(t)).inject({ method: 'GET', url: '/users/me', headers: c.headers })
      t.equal(res.statusCode, c.status)
      t.equal(res.body, JSON.stringify(c.body), 'exact bytes, in the model\'s key order')
      t.equal(res.headers['www-authenticate'], c.challenge?.['www-authenticate'])
      t.notMatch(res.body, 'hashed')
    })
  }
})

t.test('the token from /token opens /users/me', async t => {
  const instance = await app(t)
  const login = await instance.inject({ method: 'POST', url: '/token', headers: FORM, payload: 'username=johndoe&password=secret' })
  const { access_token: token, token_type: type } = login.json()
  const me = await instance.inject({ method: 'GET', url: '/users/me', headers: { authorization: `${type as string} ${token as string}` } })
  t.equal(me.statusCode, 200)
  t.equal(me.json().username, 'johndoe')
})

t.test('the routes document the OAuth2 password scheme', async t => {
  const instance = await app(t)
  const me = instance.api.routes.find(route => route.routeOptions.url === '/users/me')
  t.strictSame(me?.security, [{
    scheme: { name: 'OAuth2PasswordBearer', scheme: { type: 'oauth2', flows: { password: { scopes: {}, tokenUrl: 'token' } } } },
    scopes: []
  }])
  const token = instance.api.routes.find(route => route.routeOptions.url === '/token')
  t.strictSame(token?.args.map(arg => [arg.in, arg.wire]), [
    ['form', 'grant_type'], ['form', 'username'], ['form', 'password'], ['form', 'scope'], ['form', 'client_id'], ['form', 'client_secret']
  ])
})
