/**
 * Response classes returned from app.api handlers: they bypass the response model and the route's
 * status code, as in FastAPI, and a dependency's teardown waits for a streamed body to end.
 */
import t from 'tap'
import { Readable } from 'node:stream'
import { z } from 'zod'
import { Depends, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, StreamingResponse, dependency, status } from '../lib/index.js'
import { build } from './helper.js'

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

t.test('a response class bypasses the response model and the route status code', async t => {
  const app = await build(t)
  const Out = z.object({ id: z.number() })
  app.api.post('/html', { statusCode: status.HTTP_201_CREATED, responseModel: Out }, () => new HTMLResponse('<h1>hi</h1>'))
  app.api.post('/json', { statusCode: 201, responseModel: Out }, () => new JSONResponse({ id: 1, secret: 'kept' }, 202))
  app.api.get('/text', {}, async () => new PlainTextResponse('plain', 200, { 'x-extra': 'yes' }))
  app.api.get('/go', {}, () => new RedirectResponse('/elsewhere?q=a b'))

  const html = await app.inject({ method: 'POST', url: '/html' })
  t.equal(html.statusCode, 200, 'the response\'s own default, not the route\'s 201')
  t.equal(html.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(html.body, '<h1>hi</h1>')

  const json = await app.inject({ method: 'POST', url: '/json' })
  t.equal(json.statusCode, 202)
  t.strictSame(json.json(), { id: 1, secret: 'kept' }, 'no response model filtering, as FastAPI')

  const text = await app.inject('/text')
  t.equal(text.body, 'plain')
  t.equal(text.headers['x-extra'], 'yes')

  const redirect = await app.inject('/go')
  t.equal(redirect.statusCode, 307)
  t.equal(redirect.headers.location, '/elsewhere?q=a%20b')
})

t.test('a streamed body ends before the dependency teardown', async t => {
  const app = await build(t)
  const log: string[] = []
  const session = dependency({}, async function * session () {
    log.push('open')
    try { yield 'db' } finally { log.push('close') }
  })
  app.api.get('/stream', { args: { db: Depends(session) } }, ({ db }) => {
    async function * chunks () {
      for (const part of ['a', 'b', 'c']) {
        await tick()
        log.push(`chunk ${part}`)
        yield `${db}:${part};`
      }
    }
    return new StreamingResponse(Readable.from(chunks()), 200, undefined, 'text/plain')
  })
  const res = await app.inject('/stream')
  t.equal(res.body, 'db:a;db:b;db:c;')
  await tick()
  t.strictSame(log, ['open', 'chunk a', 'chunk b', 'chunk c', 'close'])
})

t.test('responseClass: the return value becomes that response, and the document shows its media type', async t => {
  const app = await build(t)
  app.api.get('/page', { responseClass: HTMLResponse }, function page () { return '<p>hello</p>' })
  app.api.get('/plain', { responseClass: PlainTextResponse, statusCode: 202 }, function plain () { return 'accepted' })
  app.api.get('/moved', { responseClass: RedirectResponse }, function moved () { return '/page' })
  app.api.get('/json', { responseClass: JSONResponse, responseModel: z.object({ id: z.number() }) }, function json () { return { id: 1, extra: true } })

  const page = await app.inject('/page')
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(page.body, '<p>hello</p>')
  const plain = await app.inject('/plain')
  t.equal(plain.statusCode, 202, 'the route status code is the response\'s')
  t.equal(plain.body, 'accepted')
  const moved = await app.inject('/moved')
  t.equal(moved.statusCode, 307, 'the class\'s own default status')
  t.equal(moved.headers.location, '/page')
  const json = await app.inject('/json')
  t.strictSame(json.json(), { id: 1 }, 'a JSON class keeps the response model')

  const doc = (await app.inject('/openapi.json')).json()
  t.strictSame(doc.paths['/page'].get.responses, { 200: { description: 'Successful Response', content: { 'text/html': { schema: { type: 'string' } } } } })
  t.strictSame(doc.paths['/plain'].get.responses, { 202: { description: 'Successful Response', content: { 'text/plain': { schema: { type: 'string' } } } } })
  t.strictSame(doc.paths['/moved'].get.responses, { 307: { description: 'Successful Response' } })
  t.strictSame(doc.paths['/json'].get.responses['200'].content, {
    'application/json': { schema: { title: 'Response Json Json Get', type: 'object', properties: { id: { title: 'Id', type: 'number' } }, required: ['id'] } }
  })
})

t.test('responseClass must be a response class', async t => {
  const app = await build(t)
  t.throws(() => app.api.get('/', { responseClass: String as any }, () => 'x'), { code: 'FFA_ERR_ROUTE_INVALID_OPTION', message: /responseClass/ })
})
