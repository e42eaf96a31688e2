/**
 * Which routes parse form bodies (plugin option `formParsers`), and an app's own parsers for
 * the form types: @fastify/formbody's way (an object of strings) feeds Form() as ours does;
 * @fastify/multipart's way (the body left to `request.parts()`) cannot feed File(), so a File()
 * route there fails at registration with FFA_ERR_BODY_PARSER_CONFLICT. Both packages are
 * simulated by parsers that do what their sources do; neither is installed.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { parse } from 'fast-querystring'
import t from 'tap'
import { z } from 'zod'
import fastapi, { Body, File, Form, UploadFile } from '../lib/index.js'
import { build, checkResponse } from './helper.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const BOUNDARY = 'parsers-boundary'

function multipart (parts: Array<{ name: string, value: string } | { name: string, filename: string, content: string }>) {
  let payload = ''
  for (const part of parts) {
    payload += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`
    payload += 'filename' in part ? `; filename="${part.filename}"\r\nContent-Type: text/plain\r\n\r\n${part.content}\r\n` : `\r\n\r\n${part.value}\r\n`
  }
  return { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload: `${payload}--${BOUNDARY}--\r\n` }
}

const UNSUPPORTED = { detail: 'Unsupported Media Type' }

/** @fastify/formbody's parser: fast-querystring over the buffered body, for every route. */
const formbodyLike = fp(async (app: FastifyInstance) => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body, done) => {
    done(null, parse(body.toString()))
  })
})

/** @fastify/multipart's parser (without attachFieldsToBody): marks the request and leaves the body to request.parts(). */
function multipartLike (app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    (request as any).isMultipartLike = true
    done(null)
  })
}

async function routes (app: FastifyInstance) {
  app.api.post('/raw', { args: {} }, (args, request) => request.body)
  app.api.post('/json', { args: { item: Body(z.object({ a: z.string() })) } }, ({ item }) => item)
  app.post('/plain', async request => request.body)
  await app.register(async scope => {
    scope.api.post('/scoped', { args: {} }, (args, request) => request.body)
  })
}

t.test('formParsers: "always" parses form bodies for every app.api route without a JSON Body()', async t => {
  const app = await build(t, { formParsers: 'always' })
  await routes(app)
  const kept: UploadFile[] = []
  app.api.post('/keep', { args: {} }, (args, request) => {
    kept.push((request.body as { f: UploadFile }).f)
    return 'kept'
  })
  checkResponse(t, await app.inject({ method: 'POST', url: '/raw', headers: FORM, payload: 'a=1&b=2&b=3' }), 200, { a: '1', b: ['2', '3'] })
  // request.body holds what Starlette's `await request.form()` gives: strings and UploadFile (shown as its metadata).
  checkResponse(t, await app.inject({ method: 'POST', url: '/raw', ...multipart([{ name: 'a', value: '1' }, { name: 'f', filename: 'f.txt', content: 'abc' }]) }), 200, {
    a: '1', f: { filename: 'f.txt', contentType: 'text/plain', size: 3 }
  })
  checkResponse(t, await app.inject({ method: 'POST', url: '/scoped', headers: FORM, payload: 'in=scope' }), 200, { in: 'scope' })
  // A JSON route does not take a form as its JSON (a form post is a CORS "simple request").
  checkResponse(t, await app.inject({ method: 'POST', url: '/json', headers: FORM, payload: 'a=1' }), 415, UNSUPPORTED)
  checkResponse(t, await app.inject({ method: 'POST', url: '/json', payload: { a: '1' } }), 200, { a: '1' })
  const plain = await app.inject({ method: 'POST', url: '/plain', headers: FORM, payload: 'a=1' })
  t.equal(plain.statusCode, 415, 'plain Fastify routes keep Fastify\'s answer')
  t.equal(plain.json().code, 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
  checkResponse(t, await app.inject({ method: 'POST', url: '/keep', ...multipart([{ name: 'f', filename: 'k.txt', content: 'k' }]) }), 200, 'kept')
  await t.rejects(kept[0].read(), { message: 'I/O operation on closed file.' }, 'its files are closed after the response too')
})

t.test('formParsers: "auto" (the default) parses them only for routes that read form fields or files', async t => {
  for (const options of [{}, { formParsers: 'auto' as const }]) {
    const app = await build(t, options)
    await routes(app)
    app.api.post('/form', { args: { a: Form(z.string()) } }, ({ a }) => a)
    checkResponse(t, await app.inject({ method: 'POST', url: '/form', headers: FORM, payload: 'a=1' }), 200, '1')
    checkResponse(t, await app.inject({ method: 'POST', url: '/raw', headers: FORM, payload: 'a=1' }), 415, UNSUPPORTED)
    checkResponse(t, await app.inject({ method: 'POST', url: '/raw', ...multipart([{ name: 'a', value: '1' }]) }), 415, UNSUPPORTED)
    checkResponse(t, await app.inject({ method: 'POST', url: '/scoped', headers: FORM, payload: 'a=1' }), 415, UNSUPPORTED)
  }
})

t.test('formParsers: a wrong value is refused at registration', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  await t.rejects(async () => { await app.register(fastapi, { formParsers: 'sometimes' as any }) }, {
    code: 'FFA_ERR_OPTIONS_INVALID',
    message: 'fastify-fastapi options: formParsers must be \'auto\' or \'always\', got "sometimes".'
  })
})

t.test('"always" installs the parsers at registration: an app parser added later clashes, one added before is kept', async t => {
  const always = await build(t, { formParsers: 'always' })
  t.throws(() => multipartLike(always), { code: 'FST_ERR_CTP_ALREADY_PRESENT' })
  const auto = await build(t)
  t.doesNotThrow(() => multipartLike(auto), '"auto" installs nothing before a route needs it')

  const before = Fastify()
  t.teardown(() => before.close())
  await before.register(formbodyLike)
  await before.register(fastapi, { formParsers: 'always' })
  before.api.post('/raw', { args: {} }, (args, request) => request.body)
  before.api.post('/form', { args: { a: Form(z.array(z.number())) } }, ({ a }) => a)
  checkResponse(t, await before.inject({ method: 'POST', url: '/raw', headers: FORM, payload: 'a=1&a=2' }), 200, { a: ['1', '2'] })
  checkResponse(t, await before.inject({ method: 'POST', url: '/form', headers: FORM, payload: 'a=1&a=2' }), 200, [1, 2])
  checkResponse(t, await before.inject({ method: 'POST', url: '/raw', ...multipart([{ name: 'a', value: '1' }]) }), 200, { a: '1' })
})

t.test('an app\'s own urlencoded parser (@fastify/formbody) feeds Form(); files still come through ours', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(formbodyLike)
  await app.register(fastapi)
  app.api.post('/login', { args: { username: Form(z.string()), scopes: Form(z.array(z.string()), { default: [] }), age: Form(z.number().int()) } }, args => args)
  app.api.post('/upload', { args: { doc: File(), note: Form(z.string()) } }, async ({ doc, note }) => ({ doc: await doc.text(), note }))
  app.post('/plain', async request => request.body)
  checkResponse(t, await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: 'username=ann&scopes=a&scopes=b&age=42' }), 200, {
    username: 'ann', scopes: ['a', 'b'], age: 42
  })
  checkResponse(t, await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: 'username=ann&age=x' }), 422, {
    detail: [{ type: 'int_parsing', loc: ['body', 'age'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'x' }]
  })
  checkResponse(t, await app.inject({ method: 'POST', url: '/plain', headers: FORM, payload: 'a=1' }), 200, { a: '1' })
  checkResponse(t, await app.inject({ method: 'POST', url: '/upload', ...multipart([{ name: 'doc', filename: 'd.txt', content: 'body' }, { name: 'note', value: 'n' }]) }), 200, {
    doc: 'body', note: 'n'
  })
})

t.test('an app\'s own multipart parser (@fastify/multipart): a File() route fails at registration', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fp(async instance => multipartLike(instance)))
  await app.register(fastapi)
  t.throws(() => app.api.post('/upload', { args: { note: Form(z.string()), doc: File() } }, () => null), {
    code: 'FFA_ERR_BODY_PARSER_CONFLICT',
    message: 'POST /upload: argument "doc" is a File(), but multipart/form-data bodies of this instance are parsed by another parser ' +
      '(such as @fastify/multipart), whose result fastify-fastapi cannot read files from. Register that parser inside an encapsulated ' +
      'plugin with the routes that use it, or declare this route in a plugin where it is not registered.'
  })
  // Form() alone still reads urlencoded bodies.
  app.api.post('/login', { args: { username: Form(z.string()) } }, ({ username }) => username)
  checkResponse(t, await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: 'username=ann' }), 200, 'ann')

  const scoped = Fastify()
  t.teardown(() => scoped.close())
  await scoped.register(fp(async instance => multipartLike(instance)))
  await scoped.register(fastapi)
  scoped.register(async v1 => {
    v1.api.post('/docs', { args: { docs: File({ list: true }) } }, () => null)
  }, { prefix: '/v1' })
  await t.rejects(async () => { await scoped.ready() }, { code: 'FFA_ERR_BODY_PARSER_CONFLICT', message: /^POST \/v1\/docs: argument "docs" is a File\(\)/ })
})

t.test('the fix: the app\'s multipart parser in an encapsulated plugin of its own', async t => {
  const app = await build(t)
  await app.register(async legacy => {
    multipartLike(legacy)
    legacy.post('/legacy', async request => ({ handledBy: (request as any).isMultipartLike === true ? 'its parser' : 'ours' }))
  })
  app.api.post('/upload', { args: { doc: File() } }, async ({ doc }) => doc.text())
  const body = multipart([{ name: 'doc', filename: 'd.txt', content: 'mine' }])
  checkResponse(t, await app.inject({ method: 'POST', url: '/legacy', ...body }), 200, { handledBy: 'its parser' })
  checkResponse(t, await app.inject({ method: 'POST', url: '/upload', ...body }), 200, 'mine')
})
