/**
 * UploadFile's storage, as Starlette's SpooledTemporaryFile(max_size=1 MB): up to 1 MiB in
 * memory, past it in a temporary file (its name removed once open), the same content either way;
 * closed after the response whatever the answer (200, 422, 413, 500) and after a client abort,
 * so nothing is left behind. Counted in a private TMPDIR: names (an fs.watch sees each file
 * created) and open descriptors (/proc/self/fd).
 */
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readlinkSync, rmSync, watch } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import t from 'tap'
import { z } from 'zod'
import { File, Form, UploadFile } from '../lib/index.js'
import { build, checkResponse, missing } from './helper.js'

// Before anything spools: os.tmpdir() reads TMPDIR on every call.
const dir = mkdtempSync(join(tmpdir(), 'ffa-files-spool-'))
process.env.TMPDIR = dir
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const hasProcFds = (() => {
  try { return readdirSync('/proc/self/fd').length > 0 } catch { return false }
})()

const MiB = 1024 * 1024
const BOUNDARY = 'spool-boundary'

/** Descriptors this process holds on files of `dir` (spooled uploads, their names already removed). */
function spoolFds (): string[] {
  if (!hasProcFds) return []
  const links: string[] = []
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`)
      if (link.startsWith(dir + '/')) links.push(link)
    } catch {}
  }
  return links
}

function leftovers () {
  return { names: readdirSync(dir), fds: spoolFds() }
}

/** Waits (up to 3 s) until `check()` is true; closing a file is asynchronous. */
async function until (check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    if (check()) return true
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  return check()
}

/** Every temporary file name created in `dir` while `fn` runs (inotify sees it before it is removed). */
async function created<T> (fn: () => Promise<T>): Promise<{ result: T, names: Set<string> }> {
  const names = new Set<string>()
  const watcher = watch(dir, (event, name) => { if (name !== null) names.add(String(name)) })
  try {
    const result = await fn()
    await until(() => names.size > 0)
    return { result, names }
  } finally {
    watcher.close()
  }
}

/** Bytes 0, 1, … 250, 0, 1, …: a misplaced chunk shows. */
function pattern (size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i++) buffer[i] = i % 251
  return buffer
}

type Part = { name: string, value: string } | { name: string, filename: string, content: Buffer }

function multipart (parts: Part[]): { headers: Record<string, string>, payload: Buffer } {
  const chunks: Buffer[] = []
  for (const part of parts) {
    const disposition = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`
    chunks.push('filename' in part
      ? Buffer.from(`${disposition}; filename="${part.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`)
      : Buffer.from(`${disposition}\r\n\r\n`))
    chunks.push('filename' in part ? part.content : Buffer.from(part.value), Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`))
  return { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload: Buffer.concat(chunks) }
}

function * chunked (payload: Buffer): Generator<Buffer> {
  for (let at = 0; at < payload.length; at += 64 * 1024) yield payload.subarray(at, at + 64 * 1024)
}

async function concat (source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of source) chunks.push(chunk)
  return Buffer.concat(chunks)
}

t.test('up to 1 MiB in memory, past it in a temporary file; the same content either way', async t => {
  const app = await build(t, {}, { bodyLimit: 64 * MiB })
  let expected: Buffer = Buffer.alloc(0)
  app.api.post('/inspect', { args: { upload: File() } }, async ({ upload }) => {
    const fds = spoolFds().length
    const whole = await upload.read()
    const again = await upload.read()
    await upload.seek(0)
    const first = await upload.read(1000)
    const rest = await upload.read()
    await upload.seek(upload.size - 3)
    const tail = await upload.read(10)
    return {
      size: upload.size,
      fds,
      names: readdirSync(dir).length,
      read: whole.equals(expected),
      again: again.length,
      pieces: [first.length, rest.length, Buffer.concat([first, rest]).equals(expected)],
      tail: [...tail],
      text: (await upload.text('latin1')) === expected.toString('latin1'),
      stream: (await concat(upload.stream())).equals(expected),
      iterated: (await concat(upload)).equals(expected)
    }
  })
  const cases = [
    { name: 'a small file', size: 10, fds: 0 },
    { name: 'exactly 1 MiB (Starlette rolls over past max_size, not at it)', size: MiB, fds: 0 },
    { name: '1 MiB and one byte', size: MiB + 1, fds: 1 },
    { name: '3 MiB and a bit', size: 3 * MiB + 12345, fds: 1 }
  ]
  for (const c of cases) {
    expected = pattern(c.size)
    const res = await app.inject({ method: 'POST', url: '/inspect', ...multipart([{ name: 'upload', filename: 'f.bin', content: expected }]) })
    checkResponse(t, res, 200, {
      size: c.size,
      fds: hasProcFds ? c.fds : 0,
      names: 0,
      read: true,
      again: 0,
      pieces: [Math.min(1000, c.size), Math.max(0, c.size - 1000), true],
      tail: [...expected.subarray(c.size - 3)],
      text: true,
      stream: true,
      iterated: true
    })
    t.ok(await until(() => spoolFds().length === 0), `${c.name}: closed after the response`)
  }
  t.same(leftovers(), { names: [], fds: [] })
})

t.test('no temporary file is left behind, whatever the answer', async t => {
  const app = await build(t, {}, { bodyLimit: 64 * MiB })
  app.api.post('/upload', { args: { upload: File({ maxSize: 2 * MiB }), note: Form(z.string()) } }, async ({ upload, note }) => ({ size: upload.size, note }))
  app.api.post('/fails', { args: { upload: File() } }, async ({ upload }) => {
    await upload.read(10)
    throw new Error('boom')
  })
  const file = { name: 'upload', filename: 'big.bin', content: pattern(MiB + MiB / 2) }
  const cases = [
    { name: 'success', url: '/upload', parts: [file, { name: 'note', value: 'n' }], status: 200, body: { size: MiB + MiB / 2, note: 'n' } },
    { name: '422: another field missing', url: '/upload', parts: [file], status: 422, body: { detail: [missing('body', 'note')] } },
    {
      name: '413: the file passes its maxSize after going to disk',
      url: '/upload',
      parts: [{ ...file, content: pattern(3 * MiB) }, { name: 'note', value: 'n' }],
      status: 413,
      body: { detail: 'Payload Too Large' },
      // In 64 KiB chunks, as from a socket: one 3 MiB chunk would be refused before any is stored.
      chunked: true
    },
    { name: '500: the handler throws', url: '/fails', parts: [file], status: 500, body: { detail: 'Internal Server Error' } }
  ]
  for (const c of cases) {
    const { headers, payload } = multipart(c.parts)
    const body = 'chunked' in c ? Readable.from(chunked(payload)) : payload
    const { result: res, names } = await created(() => app.inject({ method: 'POST', url: c.url, headers, payload: body }))
    checkResponse(t, res, c.status, c.body)
    t.equal(names.size, 1, `${c.name}: one temporary file was made`)
    t.ok(await until(() => leftovers().fds.length === 0), `${c.name}: its descriptor is closed`)
    t.same(leftovers(), { names: [], fds: [] }, `${c.name}: nothing left`)
  }
})

t.test('after the response the UploadFile is closed; close() is idempotent; toJSON stays metadata', async t => {
  const app = await build(t, {}, { bodyLimit: 64 * MiB })
  const kept: UploadFile[] = []
  app.api.post('/keep', { args: { upload: File() } }, ({ upload }) => {
    kept.push(upload)
    return 'kept'
  })
  app.api.post('/close', { args: { upload: File() } }, async ({ upload }) => {
    await upload.close()
    await upload.close()
    const refused = async (fn: () => Promise<unknown>) => fn().then(() => 'read', (err: Error) => err.message)
    return {
      fds: spoolFds().length,
      read: await refused(() => upload.read()),
      text: await refused(() => upload.text()),
      stream: await refused(() => concat(upload.stream())),
      iterate: await refused(() => concat(upload)),
      seek: await refused(() => upload.seek(0)),
      json: JSON.parse(JSON.stringify(upload))
    }
  })
  for (const size of [5, 2 * MiB]) {
    const res = await app.inject({ method: 'POST', url: '/close', ...multipart([{ name: 'upload', filename: 'c.bin', content: pattern(size) }]) })
    const closed = 'I/O operation on closed file.'
    checkResponse(t, res, 200, {
      fds: 0, read: closed, text: closed, stream: closed, iterate: closed, seek: closed, json: { filename: 'c.bin', contentType: 'application/octet-stream', size }
    })
    checkResponse(t, await app.inject({ method: 'POST', url: '/keep', ...multipart([{ name: 'upload', filename: 'k.bin', content: pattern(size) }]) }), 200, 'kept')
  }
  t.equal(kept.length, 2)
  for (const upload of kept) {
    await until(() => spoolFds().length === 0)
    await t.rejects(upload.read(), { message: 'I/O operation on closed file.' }, `a ${upload.size}-byte file is closed after the response`)
  }
  t.same(leftovers(), { names: [], fds: [] })
  // A file built by hand (tests, a handler forwarding content) is in memory and reads like one received.
  const made = new UploadFile('m.txt', 'text/plain', Buffer.from('hello'))
  t.same([(await made.read(2)).toString(), (await made.read()).toString(), made.size], ['he', 'llo', 5])
  await t.rejects(made.seek(-1), RangeError)
})

/** A server on 127.0.0.1 and a raw socket to it. */
async function connect (t: any, app: Awaited<ReturnType<typeof build>>) {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as net.AddressInfo
  const socket = net.connect(port, '127.0.0.1')
  t.teardown(() => socket.destroy())
  socket.on('error', () => {})
  await once(socket, 'connect')
  return socket
}

function requestHead (url: string, length: number): string {
  return `POST ${url} HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n\r\n`
}

const FILE_HEAD = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`
const END = `\r\n--${BOUNDARY}--\r\n`

t.test('an upload cut mid-body leaves no temporary file', async t => {
  const app = await build(t, {}, { bodyLimit: 64 * MiB })
  let called = false
  app.api.post('/upload', { args: { upload: File() } }, ({ upload }) => {
    called = true
    return upload.size
  })
  const socket = await connect(t, app)
  socket.write(requestHead('/upload', FILE_HEAD.length + 3 * MiB + END.length) + FILE_HEAD)
  socket.write(pattern(MiB + MiB / 2))
  t.ok(await until(() => spoolFds().length === 1), 'half the file is on disk')
  socket.destroy()
  t.ok(await until(() => spoolFds().length === 0), 'the descriptor is closed after the abort')
  t.same(leftovers(), { names: [], fds: [] })
  t.equal(called, false, 'the handler never ran')
})

t.test('a client that leaves while the handler works: the file stays readable until the handler answers', async t => {
  const app = await build(t, {}, { bodyLimit: 64 * MiB })
  const size = 2 * MiB
  let entered!: () => void
  const inHandler = new Promise<void>(resolve => { entered = resolve })
  let finished!: (value: unknown) => void
  const outcome = new Promise(resolve => { finished = resolve })
  app.api.post('/slow', { args: { upload: File() } }, async ({ upload }, request, reply) => {
    entered()
    // The client is gone: the raw response is closed before the handler reads.
    await once(reply.raw, 'close')
    const content = await upload.read().then(buffer => buffer.equals(pattern(size)), (err: Error) => err.message)
    finished({ content, fds: spoolFds().length })
    return 'done'
  })
  const socket = await connect(t, app)
  socket.write(requestHead('/slow', FILE_HEAD.length + size + END.length) + FILE_HEAD)
  socket.write(pattern(size))
  socket.write(END)
  await inHandler
  socket.destroy()
  t.same(await outcome, { content: true, fds: hasProcFds ? 1 : 0 })
  t.ok(await until(() => spoolFds().length === 0), 'closed once the handler answered')
  t.same(leftovers(), { names: [], fds: [] })
})
