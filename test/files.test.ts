/**
 * File() and UploadFile: multipart/form-data bodies, their fields read as Form() fields, their
 * files given as UploadFile; size limits answered 413, missing files 422 at ["body", name];
 * documented as multipart/form-data as FastAPI does (tests/test_tutorial/test_request_files).
 */
import t from 'tap'
import { z } from 'zod'
import { Validator } from '@seriousme/openapi-schema-validator'
import { expectTypeOf } from 'expect-type'
import { File, Form, UploadFile } from '../lib/index.js'
import { build, checkResponse, missing } from './helper.js'

const BOUNDARY = '----fastify-fastapi-boundary'

type Part = { name: string, value: string } | { name: string, filename: string, type?: string, content: string | Buffer }

/** A multipart/form-data request body, written out by hand. */
function multipart (parts: Part[], boundary = BOUNDARY): { headers: Record<string, string>, payload: Buffer } {
  const chunks: Buffer[] = []
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`
    if ('filename' in part) {
      head += `; filename="${part.filename}"\r\n`
      if (part.type !== undefined) head += `Content-Type: ${part.type}\r\n`
    } else {
      head += '\r\n'
    }
    chunks.push(Buffer.from(head + '\r\n'), Buffer.from('filename' in part ? part.content : part.value), Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(chunks) }
}

async function describe (file: UploadFile) {
  return { filename: file.filename, contentType: file.contentType, size: file.size, content: await file.text() }
}

async function uploadApp (t: any, serverOptions = {}) {
  const app = await build(t, {}, serverOptions)
  app.api.post('/upload', {
    args: {
      upload: File(),
      note: Form(z.string()),
      count: Form(z.number().int(), { default: 1 })
    }
  }, async ({ upload, note, count }) => ({ upload: await describe(upload), note, count }))
  app.api.post('/many', { args: { files: File({ list: true }) } }, async ({ files }) => Promise.all(files.map(describe)))
  app.api.post('/optional', { args: { upload: File({ optional: true }) } }, ({ upload }) => ({ received: upload?.filename ?? null }))
  app.api.post('/small', { args: { upload: File({ maxSize: 8 }) } }, ({ upload }) => upload.size)
  app.api.post('/form', { args: { username: Form(z.string()) } }, ({ username }) => username)
  app.post('/plain', async () => 'plain')
  return app
}

t.test('fields and a file: name, content type, size and content', async t => {
  const app = await uploadApp(t)
  const res = await app.inject({
    method: 'POST',
    url: '/upload',
    ...multipart([
      { name: 'note', value: 'héllo' },
      { name: 'count', value: '3' },
      { name: 'upload', filename: 'a.txt', type: 'text/plain', content: 'file content' }
    ])
  })
  checkResponse(t, res, 200, {
    upload: { filename: 'a.txt', contentType: 'text/plain', size: 12, content: 'file content' },
    note: 'héllo',
    count: 3
  })
})

t.test('UploadFile: read(), stream(), async iteration, headers; binary content kept intact', async t => {
  const app = await build(t)
  const bytes = Buffer.from([0, 1, 2, 255, 13, 10, 45, 45])
  app.api.post('/bin', { args: { upload: File() } }, async ({ upload }) => {
    const read = await upload.read()
    const streamed: Buffer[] = []
    for await (const chunk of upload.stream()) streamed.push(chunk)
    const iterated: Buffer[] = []
    for await (const chunk of upload) iterated.push(chunk)
    return {
      read: [...read],
      streamed: [...Buffer.concat(streamed)],
      iterated: [...Buffer.concat(iterated)],
      headers: upload.headers,
      json: JSON.parse(JSON.stringify(upload))
    }
  })
  // No Content-Type in the part: RFC 7578's default, text/plain.
  const res = await app.inject({ method: 'POST', url: '/bin', ...multipart([{ name: 'upload', filename: 'b.bin', content: bytes }]) })
  checkResponse(t, res, 200, {
    read: [...bytes],
    streamed: [...bytes],
    iterated: [...bytes],
    headers: { 'content-type': 'text/plain' },
    json: { filename: 'b.bin', contentType: 'text/plain', size: 8 }
  })
})

t.test('a list of files', async t => {
  const app = await uploadApp(t)
  const res = await app.inject({
    method: 'POST',
    url: '/many',
    ...multipart([
      { name: 'files', filename: 'one.txt', type: 'text/plain', content: '1' },
      { name: 'files', filename: 'two.csv', type: 'text/csv', content: 'a,b' }
    ])
  })
  checkResponse(t, res, 200, [
    { filename: 'one.txt', contentType: 'text/plain', size: 1, content: '1' },
    { filename: 'two.csv', contentType: 'text/csv', size: 3, content: 'a,b' }
  ])
  const one = await app.inject({ method: 'POST', url: '/many', ...multipart([{ name: 'files', filename: 'one.txt', content: 'x' }]) })
  checkResponse(t, one, 200, [{ filename: 'one.txt', contentType: 'text/plain', size: 1, content: 'x' }])
})

t.test('missing files and fields: 422 at ["body", name]', async t => {
  const app = await uploadApp(t)
  // FastAPI (test_request_files/test_tutorial001.py): {"type": "missing", "loc": ["body", "file"],
  //   "msg": "Field required", "input": null}
  checkResponse(t, await app.inject({ method: 'POST', url: '/upload', ...multipart([{ name: 'other', value: 'x' }]) }), 422, {
    detail: [missing('body', 'upload'), missing('body', 'note')]
  })
  checkResponse(t, await app.inject({ method: 'POST', url: '/many', ...multipart([]) }), 422, { detail: [missing('body', 'files')] })
  checkResponse(t, await app.inject({ method: 'POST', url: '/upload' }), 422, {
    detail: [missing('body', 'upload'), missing('body', 'note')]
  })
  checkResponse(t, await app.inject({ method: 'POST', url: '/optional', ...multipart([]) }), 200, { received: null })
  checkResponse(t, await app.inject({ method: 'POST', url: '/optional', ...multipart([{ name: 'upload', filename: 'o', content: '' }]) }), 200, { received: 'o' })
})

t.test('a text field where a file is expected is a value_error, as UploadFile\'s validator says', async t => {
  const app = await uploadApp(t)
  // FastAPI: ValueError(f"Expected UploadFile, received: {type(value)}") (fastapi/datastructures.py)
  const res = await app.inject({ method: 'POST', url: '/small', ...multipart([{ name: 'upload', value: 'text' }]) })
  t.equal(res.statusCode, 422)
  t.match(res.json(), {
    detail: [{ type: 'value_error', loc: ['body', 'upload'], msg: "Value error, Expected UploadFile, received: <class 'str'>", input: 'text' }]
  })
})

t.test('a file over File({ maxSize }) is a 413', async t => {
  const app = await uploadApp(t)
  checkResponse(t, await app.inject({ method: 'POST', url: '/small', ...multipart([{ name: 'upload', filename: 'a', content: '12345678' }]) }), 200, 8)
  checkResponse(t, await app.inject({ method: 'POST', url: '/small', ...multipart([{ name: 'upload', filename: 'a', content: '123456789' }]) }), 413, {
    detail: 'Payload Too Large'
  })
})

t.test('a multipart body over the body limit is a 413', async t => {
  const app = await uploadApp(t, { bodyLimit: 200 })
  const big = multipart([{ name: 'note', value: 'n' }, { name: 'upload', filename: 'a', content: 'x'.repeat(500) }])
  checkResponse(t, await app.inject({ method: 'POST', url: '/upload', ...big }), 413, { detail: 'Payload Too Large' })
  const bigField = multipart([{ name: 'note', value: 'x'.repeat(500) }])
  checkResponse(t, await app.inject({ method: 'POST', url: '/upload', ...bigField }), 413, { detail: 'Payload Too Large' })
})

t.test('multipart fields go through Form() as urlencoded ones do; urlencoded still works', async t => {
  const app = await uploadApp(t)
  checkResponse(t, await app.inject({ method: 'POST', url: '/form', ...multipart([{ name: 'username', value: 'ann' }]) }), 200, 'ann')
  checkResponse(t, await app.inject({ method: 'POST', url: '/form', ...multipart([{ name: 'username', value: '' }]) }), 422, {
    detail: [missing('body', 'username')]
  })
  checkResponse(t, await app.inject({
    method: 'POST', url: '/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=bob'
  }), 200, 'bob')
})

t.test('a malformed multipart body is a 400', async t => {
  const app = await uploadApp(t)
  const res = await app.inject({ method: 'POST', url: '/upload', headers: { 'content-type': 'multipart/form-data' }, payload: 'x' })
  checkResponse(t, res, 400, { detail: 'Bad Request' })
})

t.test('routes that read no form keep answering 415 to a multipart body', async t => {
  const app = await uploadApp(t)
  const plain = await app.inject({ method: 'POST', url: '/plain', ...multipart([{ name: 'a', value: '1' }]) })
  t.equal(plain.statusCode, 415)
  t.equal(plain.json().code, 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
  const api = await build(t)
  api.api.post('/form', { args: { a: File() } }, () => 'ok')
  api.api.post('/json', { args: {} }, () => 'json')
  checkResponse(t, await api.inject({ method: 'POST', url: '/json', ...multipart([{ name: 'a', value: '1' }]) }), 415, { detail: 'Unsupported Media Type' })
})

t.test('OpenAPI: multipart/form-data with a Body_<operationId> model, files as octet strings', async t => {
  const app = await build(t)
  app.api.post('/files/', {
    args: {
      file: File({ description: 'A file read as UploadFile' }),
      extra: File({ list: true, optional: true }),
      token: Form(z.string())
    }
  }, function create_file () { return null }) // eslint-disable-line camelcase -- FastAPI's operation id
  app.api.post('/login/', { args: { username: Form(z.string()) } }, function login () { return null })
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  // FastAPI (test_request_files/test_tutorial001.py, _002.py): "requestBody": {"content": {"multipart/form-data":
  //   {"schema": {"$ref": "#/components/schemas/Body_create_file_files__post"}}}, "required": True};
  //   UploadFile: {"type": "string", "contentMediaType": "application/octet-stream"}; a list: {"type": "array", "items": ...}
  t.strictSame(doc.paths['/files/'].post.requestBody, {
    content: { 'multipart/form-data': { schema: { $ref: '#/components/schemas/Body_create_file_files__post' } } },
    required: true
  })
  t.strictSame(doc.components.schemas.Body_create_file_files__post, {
    properties: {
      file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'A file read as UploadFile', title: 'File' },
      extra: { type: 'array', items: { type: 'string', contentMediaType: 'application/octet-stream' }, title: 'Extra' },
      token: { type: 'string', title: 'Token' }
    },
    type: 'object',
    required: ['file', 'token'],
    title: 'Body_create_file_files__post'
  })
  t.same(Object.keys(doc.paths['/login/'].post.requestBody.content), ['application/x-www-form-urlencoded'])
  t.same(await new Validator().validate(doc), { valid: true }, 'the document is valid OpenAPI 3.1')
})

t.test('File() option mistakes', async t => {
  t.throws(() => File({ maxSize: -1 }), TypeError)
  const app = await build(t)
  t.throws(() => app.api.get('/', { args: { a: File() } }, () => null), { code: 'FFA_ERR_BODY_NOT_ALLOWED' })
})

t.test('the handler\'s types: UploadFile, UploadFile[], optional', async t => {
  const app = await build(t)
  app.api.post('/types', {
    args: { one: File(), many: File({ list: true }), maybe: File({ optional: true }), some: File({ list: true, optional: true }) }
  }, ({ one, many, maybe, some }) => {
    expectTypeOf(one).toEqualTypeOf<UploadFile>()
    expectTypeOf(many).toEqualTypeOf<UploadFile[]>()
    expectTypeOf(maybe).toEqualTypeOf<UploadFile | undefined>()
    expectTypeOf(some).toEqualTypeOf<UploadFile[] | undefined>()
    return [one.size, many.length, maybe?.size ?? null, some?.length ?? null]
  })
  // @ts-expect-error a misspelt option is a compile error
  File({ maxSize: 1, lsit: true })
  const res = await app.inject({
    method: 'POST',
    url: '/types',
    ...multipart([{ name: 'one', filename: 'a', content: 'ab' }, { name: 'many', filename: 'b', content: '' }])
  })
  checkResponse(t, res, 200, [2, 1, null, null])
})
