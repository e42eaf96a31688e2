/**
 * Form(): fields of an application/x-www-form-urlencoded (or multipart/form-data) body, coerced
 * like query values, reported at ["body", name]; the parser serves only routes that read form fields.
 */
import t from 'tap'
import { z } from 'zod'
import { Body, Form } from '../lib/index.js'
import { build, checkResponse, missing, parsing } from './helper.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

async function formApp (t: any) {
  const app = await build(t)
  app.api.post('/login', {
    args: {
      username: Form(z.string()),
      age: Form(z.number().int().optional()),
      scope: Form(z.string(), { default: '' }),
      tags: Form(z.array(z.string()), { default: [] })
    }
  }, args => args)
  app.post('/plain', async () => 'plain')
  app.api.post('/json', { args: { item: Body(z.object({ a: z.number() })) } }, ({ item }) => item)
  return app
}

t.test('form fields are read, coerced, and repeated as query values are', async t => {
  const app = await formApp(t)
  const res = await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: 'username=j%C3%B6rg&age=42&tags=a&tags=b&username=last' })
  checkResponse(t, res, 200, { username: 'last', age: 42, scope: '', tags: ['a', 'b'] })
})

t.test('an empty field counts as absent, as in FastAPI', async t => {
  const app = await formApp(t)
  checkResponse(t, await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: 'username=&age=&scope=' }), 422, {
    detail: [missing('body', 'username')]
  })
  checkResponse(t, await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: 'username=x&scope=' }), 200, {
    username: 'x', scope: '', tags: []
  })
})

t.test('invalid fields are 422 items at ["body", name], with the string as input', async t => {
  const app = await formApp(t)
  checkResponse(t, await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: 'age=old' }), 422, {
    detail: [missing('body', 'username'), parsing.int('old', 'body', 'age')]
  })
})

t.test('a body of another media type has no form fields', async t => {
  const app = await formApp(t)
  checkResponse(t, await app.inject({ method: 'POST', url: '/login', payload: { username: 'x' } }), 422, {
    detail: [missing('body', 'username')]
  })
  checkResponse(t, await app.inject({ method: 'POST', url: '/login' }), 422, { detail: [missing('body', 'username')] })
})

t.test('a multipart body\'s fields are form fields too', async t => {
  const app = await formApp(t)
  const boundary = 'b0undary'
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  const payload = part('username', 'ann') + part('age', '7') + part('tags', 'a') + part('tags', 'b') + `--${boundary}--\r\n`
  const res = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload })
  checkResponse(t, res, 200, { username: 'ann', age: 7, scope: '', tags: ['a', 'b'] })
  const plain = await app.inject({ method: 'POST', url: '/plain', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload })
  t.equal(plain.statusCode, 415, 'a plain route still refuses it')
})

t.test('other routes keep answering 415 to a form body', async t => {
  const app = await formApp(t)
  const plain = await app.inject({ method: 'POST', url: '/plain', headers: FORM, payload: 'a=1' })
  t.equal(plain.statusCode, 415)
  t.equal(plain.json().code, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'Fastify\'s own answer on a plain route')
  checkResponse(t, await app.inject({ method: 'POST', url: '/json', headers: FORM, payload: 'a=1' }), 415, { detail: 'Unsupported Media Type' })
})

t.test('an app\'s own urlencoded parser is kept', async t => {
  const app = await build(t)
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    done(null, { ...Object.fromEntries(new URLSearchParams(String(body))), parsedBy: 'app' })
  })
  app.api.post('/form', { args: { a: Form(z.string()), parsedBy: Form(z.string()) } }, args => args)
  app.post('/plain', async request => request.body)
  checkResponse(t, await app.inject({ method: 'POST', url: '/form', headers: FORM, payload: 'a=1' }), 200, { a: '1', parsedBy: 'app' })
  checkResponse(t, await app.inject({ method: 'POST', url: '/plain', headers: FORM, payload: 'a=1' }), 200, { a: '1', parsedBy: 'app' })
})

t.test('a form body over the limit is a 413', async t => {
  const app = await build(t, {}, { bodyLimit: 64 })
  app.api.post('/form', { args: { a: Form(z.string()) } }, ({ a }) => a.length)
  checkResponse(t, await app.inject({ method: 'POST', url: '/form', headers: FORM, payload: `a=${'x'.repeat(100)}` }), 413, { detail: 'Payload Too Large' })
})

t.test('registration mistakes', async t => {
  const app = await build(t)
  t.throws(() => app.api.get('/', { args: { a: Form(z.string()) } }, () => null), { code: 'FFA_ERR_BODY_NOT_ALLOWED' })
  t.throws(() => app.api.post('/', { args: { a: Form(z.string()), b: Body(z.string()) } }, () => null), {
    code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /form fields and Body\(\) arguments cannot be mixed/
  })
  t.throws(() => app.api.post('/', { args: { a: Form(z.object({ x: z.string() }) as any) } }, () => null), { code: 'FFA_ERR_PARAM_INVALID_SCHEMA' })
})
