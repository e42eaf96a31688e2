/**
 * Size limits applied while a multipart body streams in: a `File({ maxSize })` to the part its
 * argument reads (alias, list, a dependency's file), the route's body limit to the whole body;
 * the first byte past one answers 413 {"detail":"Payload Too Large"} with `Connection: close`,
 * and the rest of the body is not read (a 50 MB upload over a real socket).
 */
import { once } from 'node:events'
import net from 'node:net'
import { Readable } from 'node:stream'
import t from 'tap'
import { z } from 'zod'
import { Depends, File, Form, dependency } from '../lib/index.js'
import { build, checkResponse } from './helper.js'

const MiB = 1024 * 1024
const BOUNDARY = 'limits-boundary'
const TOO_LARGE = { detail: 'Payload Too Large' }

type Part = { name: string, value: string } | { name: string, filename: string, content: string | Buffer }

function multipart (parts: Part[]): { headers: Record<string, string>, payload: Buffer } {
  const chunks: Buffer[] = []
  for (const part of parts) {
    const disposition = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`
    chunks.push(Buffer.from('filename' in part ? `${disposition}; filename="${part.filename}"\r\n\r\n` : `${disposition}\r\n\r\n`))
    chunks.push(Buffer.from('filename' in part ? part.content : part.value), Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`))
  return { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload: Buffer.concat(chunks) }
}

const file = (name: string, size: number): Part => ({ name, filename: `${name}.bin`, content: Buffer.alloc(size, 120) })

t.test('each File({ maxSize }) limits the parts its argument reads', async t => {
  const app = await build(t)
  const avatar = dependency({ avatar: File({ alias: 'avatar-file', optional: true, maxSize: 6 }) }, ({ avatar }) => avatar?.size ?? null)
  app.api.post('/upload', {
    args: {
      small: File({ maxSize: 10 }),
      big: File({ optional: true }),
      many: File({ list: true, optional: true, maxSize: 4 }),
      avatar: Depends(avatar),
      note: Form(z.string(), { default: '' })
    }
  }, ({ small, big, many, avatar, note }) => ({ small: small.size, big: big?.size ?? null, many: many?.map(f => f.size) ?? null, avatar, note }))
  const cases: Array<{ name: string, parts: Part[], status: number, body: unknown }> = [
    {
      name: 'every file within its limit',
      parts: [file('small', 10), file('big', 5000), file('many', 4), file('many', 4), file('avatar-file', 6), { name: 'note', value: 'x'.repeat(100) }],
      status: 200,
      body: { small: 10, big: 5000, many: [4, 4], avatar: 6, note: 'x'.repeat(100) }
    },
    { name: 'one byte over small\'s maxSize', parts: [file('small', 11)], status: 413, body: TOO_LARGE },
    { name: 'a list applies maxSize to each file, not their sum', parts: [file('small', 1), file('many', 4), file('many', 5)], status: 413, body: TOO_LARGE },
    { name: 'a dependency\'s File() by its alias', parts: [file('small', 1), file('avatar-file', 7)], status: 413, body: TOO_LARGE },
    { name: 'the argument name is not the wire name: no limit on "avatar"', parts: [file('small', 1), file('avatar', 7)], status: 200, body: { small: 1, big: null, many: null, avatar: null, note: '' } }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: 'POST', url: '/upload', ...multipart(c.parts) })
    checkResponse(t, res, c.status, c.body)
    t.equal(res.headers.connection, c.status === 413 ? 'close' : 'keep-alive', `${c.name}: Connection`)
  }
})

t.test('the route\'s body limit, declared or streamed', async t => {
  const app = await build(t)
  let called = 0
  app.api.post('/upload', { args: { upload: File() }, bodyLimit: 1000 }, ({ upload }) => {
    called++
    return upload.size
  })
  const seen: Array<string | undefined> = []
  app.addHook('onRequest', async request => { seen.push(request.headers['content-length']) })
  const { headers, payload } = multipart([file('upload', 2000)])
  // A Content-Length over the limit: refused before a byte is read, as Fastify's own parsers do.
  const declared = await app.inject({ method: 'POST', url: '/upload', headers, payload })
  checkResponse(t, declared, 413, TOO_LARGE)
  t.equal(declared.headers.connection, 'close')
  // No Content-Length (a stream): counted as it comes.
  const streamed = await app.inject({ method: 'POST', url: '/upload', headers, payload: Readable.from([payload.subarray(0, 700), payload.subarray(700)]) })
  checkResponse(t, streamed, 413, TOO_LARGE)
  t.equal(streamed.headers.connection, 'close')
  t.same(seen, [String(payload.length), undefined], 'the streamed request had no Content-Length')
  const fits = multipart([file('upload', 500)])
  checkResponse(t, await app.inject({ method: 'POST', url: '/upload', ...fits }), 200, 500)
  t.equal(called, 1)
})

t.test('a 50 MB upload to a File({ maxSize: 1 MiB }) is refused after about 1 MiB is read', async t => {
  const app = await build(t)
  let readWhenAnswered = -1
  app.api.post('/upload', {
    args: { upload: File({ maxSize: MiB }) },
    // A generous body limit: only maxSize stops this upload.
    bodyLimit: 100 * MiB,
    onSend: async (request: any) => { readWhenAnswered = request.raw.socket.bytesRead }
  }, ({ upload }) => upload.size)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = net.connect((app.server.address() as net.AddressInfo).port, '127.0.0.1')
  t.teardown(() => socket.destroy())
  await once(socket, 'connect')

  const total = 50 * 1000 * 1000
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="big.bin"\r\n\r\n`
  const tail = `\r\n--${BOUNDARY}--\r\n`
  let answer = ''
  let written = 0
  const state = { stop: false }
  socket.on('data', data => {
    answer += data
    state.stop = true
  })
  socket.on('error', () => { state.stop = true })
  // Not events.once: it would reject on the EPIPE a write may get once the server closed.
  const closed = new Promise<void>(resolve => socket.once('close', () => {
    state.stop = true
    resolve()
  }))
  socket.write(`POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
    `Content-Length: ${head.length + total + tail.length}\r\n\r\n${head}`)
  const chunk = Buffer.alloc(64 * 1024, 120)
  const before = process.memoryUsage().rss
  // As fast as the socket takes it, until the answer comes or the server closes the connection.
  while (!state.stop && written < total) {
    written += chunk.length
    if (!socket.write(chunk)) await new Promise(resolve => { socket.once('drain', resolve); socket.once('close', resolve) })
  }
  await closed
  const growth = process.memoryUsage().rss - before

  const [head413, body] = answer.split('\r\n\r\n')
  t.match(head413, /^HTTP\/1\.1 413 Payload Too Large\r\n/)
  t.match(head413, /\r\nconnection: close\r\n/i)
  t.same(JSON.parse(body), TOO_LARGE)
  t.ok(readWhenAnswered > MiB && readWhenAnswered < 4 * MiB, `the server had read ${readWhenAnswered} bytes when it answered`)
  t.ok(written < 20 * MiB, `the client could send only ${written} of ${total} bytes before the server closed the connection`)
  t.ok(growth < 30 * MiB, `memory grew by ${Math.round(growth / MiB)} MiB`)
})
