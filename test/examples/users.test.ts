import t from 'tap'
import { build } from '../../examples/users/index.js'

// Each test builds its own app and closes it when it ends.
async function app (t: { teardown: (fn: () => unknown) => void }) {
  const instance = await build()
  t.teardown(() => instance.close())
  return instance
}

t.test('GET / answers the greeting', async t => {
  const res = await (await app(t)).inject({ method: 'GET', url: '/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.json(), { greating: 'hello' })
})

t.test('POST /users', async t => {
  t.test('201 with the password and undeclared fields stripped', async t => {
    const res = await (await app(t)).inject({
      method: 'POST',
      url: '/users',
      payload: { name: 'john-doe', password: 'hunter22', admin: true }
    })
    t.equal(res.statusCode, 201)
    t.equal(res.body, '{"id":42,"name":"john-doe","creation_date":"2024-01-01T12:00:00.000Z"}')
    t.notMatch(res.body, 'hunter22')
  })

  t.test('422 for a short name and a short password, password redacted', async t => {
    const res = await (await app(t)).inject({ method: 'POST', url: '/users', payload: { name: 'jo', password: 'abc' } })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [
        { type: 'string_too_short', loc: ['body', 'name'], msg: 'String should have at least 3 characters', input: 'jo', ctx: { min_length: 3 } },
        { type: 'string_too_short', loc: ['body', 'password'], msg: 'String should have at least 5 characters', input: '**********', ctx: { min_length: 5 } }
      ]
    })
    t.notMatch(res.body, '"abc"')
  })

  t.test('422 for a name that breaks the pattern', async t => {
    const res = await (await app(t)).inject({ method: 'POST', url: '/users', payload: { name: 'John', password: 'secret1' } })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [{
        type: 'string_pattern_mismatch',
        loc: ['body', 'name'],
        msg: "String should match pattern '^[a-z-]+$'",
        input: 'John',
        ctx: { pattern: '^[a-z-]+$' }
      }]
    })
  })

  t.test('422 for a missing body, with or without a JSON content type', async t => {
    const instance = await app(t)
    for (const headers of [{}, { 'content-type': 'application/json' }]) {
      const res = await instance.inject({ method: 'POST', url: '/users', headers })
      t.equal(res.statusCode, 422)
      t.same(res.json(), { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] })
    }
  })

  t.test('422 json_invalid for malformed JSON', async t => {
    const res = await (await app(t)).inject({
      method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, payload: '{"name": "abc",}'
    })
    t.equal(res.statusCode, 422)
    t.match(res.json(), { detail: [{ type: 'json_invalid', loc: ['body', 14], msg: 'JSON decode error', input: {}, ctx: { error: String } }] })
  })
})

t.test('GET /users?name=', async t => {
  t.test('answers the user through UserOut', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/users?name=alice' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { id: 42, name: 'alice', creation_date: '2024-01-01T12:00:00.000Z' })
  })
  t.test('422 when name is missing', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/users' })
    t.equal(res.statusCode, 422)
    t.same(res.json(), { detail: [{ type: 'missing', loc: ['query', 'name'], msg: 'Field required', input: null }] })
  })
  t.test('422 when name is too short', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/users?name=al' })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [{ type: 'string_too_short', loc: ['query', 'name'], msg: 'String should have at least 3 characters', input: 'al', ctx: { min_length: 3 } }]
    })
  })
})

t.test('GET /users/:name', async t => {
  t.test('answers the user', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/users/bob' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { id: 42, name: 'bob', creation_date: '2024-01-01T12:00:00.000Z' })
  })
  t.test('422 at ["path","name"] below 3 characters', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/users/bo' })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [{ type: 'string_too_short', loc: ['path', 'name'], msg: 'String should have at least 3 characters', input: 'bo', ctx: { min_length: 3 } }]
    })
  })
})

t.test('GET /error answers the HTTPException 500 with its detail', async t => {
  const res = await (await app(t)).inject({ method: 'GET', url: '/error' })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { detail: 'Just throwing an internal server error' })
})

t.test('GET /error/teapot answers 418 with an object detail and X-Error', async t => {
  const res = await (await app(t)).inject({ method: 'GET', url: '/error/teapot' })
  t.equal(res.statusCode, 418)
  t.equal(res.headers['x-error'], 'yes')
  t.same(res.json(), { detail: { reason: 'teapot', items: [1, 2] } })
})

t.test('GET /items/:item_id', async t => {
  t.test('success with q', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/items/5?q=abc&skip=2&limit=3', headers: { 'x-token': 'tok' } })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { item_id: 5, q: 'abc', x_token: 'tok', commons: { skip: 2, limit: 3 } })
  })

  t.test('exclude-none drops q when absent; defaults fill skip and limit', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/items/5', headers: { 'x-token': 'tok' } })
    t.equal(res.statusCode, 200)
    t.equal(res.body, '{"item_id":5,"x_token":"tok","commons":{"skip":0,"limit":100}}')
  })

  t.test('item_id 0 is below ge=1', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/items/0', headers: { 'x-token': 'tok' } })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [{ type: 'greater_than_equal', loc: ['path', 'item_id'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } }]
    })
  })

  t.test('missing x-token header', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/items/5' })
    t.equal(res.statusCode, 422)
    t.same(res.json(), { detail: [{ type: 'missing', loc: ['header', 'x-token'], msg: 'Field required', input: null }] })
  })

  t.test('q longer than 10 characters', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/items/5?q=abcdefghijk', headers: { 'x-token': 'tok' } })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [{ type: 'string_too_long', loc: ['query', 'q'], msg: 'String should have at most 10 characters', input: 'abcdefghijk', ctx: { max_length: 10 } }]
    })
  })

  t.test("the dependency's errors come before the route's own, as in FastAPI", async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/items/0?limit=x&skip=1.5', headers: { 'x-token': 'tok' } })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [
        { type: 'int_parsing', loc: ['query', 'skip'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: '1.5' },
        { type: 'int_parsing', loc: ['query', 'limit'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'x' },
        { type: 'greater_than_equal', loc: ['path', 'item_id'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } }
      ]
    })
  })

  t.test('every error of every location in one 422, path first', async t => {
    const res = await (await app(t)).inject({ method: 'GET', url: '/items/0?q=abcdefghijk' })
    t.equal(res.statusCode, 422)
    t.same(res.json(), {
      detail: [
        { type: 'greater_than_equal', loc: ['path', 'item_id'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } },
        { type: 'string_too_long', loc: ['query', 'q'], msg: 'String should have at most 10 characters', input: 'abcdefghijk', ctx: { max_length: 10 } },
        { type: 'missing', loc: ['header', 'x-token'], msg: 'Field required', input: null }
      ]
    })
  })
})
