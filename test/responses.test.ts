import t from 'tap'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse,
  guessMediaType, isResponse
} from '../lib/responses.js'
import { sendResponse } from '../lib/response-send.js'
import { formatSetCookie } from '../lib/cookies.js'

/** An app whose GET /x answers with `make()` through sendResponse (the route's own status is 201). */
async function serve (t: any, make: () => Response, defaultStatus = 201): Promise<FastifyInstance> {
  const app = Fastify()
  t.teardown(() => app.close())
  app.get('/x', async (request, reply) => sendResponse(reply, make(), defaultStatus))
  return app
}

async function get (t: any, make: () => Response, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') {
  const app = await serve(t, make)
  return app.inject({ method, url: '/x', headers })
}

t.test('in-memory responses: status, content-type and exact body bytes', async t => {
  const cases: Array<{ name: string, make: () => Response, status: number, type: string | undefined, body: Buffer }> = [
    { name: 'JSONResponse', make: () => new JSONResponse({ a: 1, é: ['ü', null] }), status: 200, type: 'application/json', body: Buffer.from('{"a":1,"é":["ü",null]}') },
    { name: 'JSONResponse of undefined', make: () => new JSONResponse(undefined), status: 200, type: 'application/json', body: Buffer.from('null') },
    { name: 'JSONResponse of a string', make: () => new JSONResponse('hi', 202), status: 202, type: 'application/json', body: Buffer.from('"hi"') },
    { name: 'HTMLResponse', make: () => new HTMLResponse('<p>hi</p>'), status: 200, type: 'text/html; charset=utf-8', body: Buffer.from('<p>hi</p>') },
    { name: 'PlainTextResponse', make: () => new PlainTextResponse('héllo', 418), status: 418, type: 'text/plain; charset=utf-8', body: Buffer.from('héllo') },
    { name: 'Response with a media type', make: () => new Response('<a/>', 200, undefined, 'application/xml'), status: 200, type: 'application/xml', body: Buffer.from('<a/>') },
    { name: 'a text/* media type gets a charset', make: () => new Response('a,b', 200, undefined, 'text/csv'), status: 200, type: 'text/csv; charset=utf-8', body: Buffer.from('a,b') },
    { name: 'a charset already given is kept', make: () => new Response('a', 200, undefined, 'text/csv; Charset=latin-1'), status: 200, type: 'text/csv; Charset=latin-1', body: Buffer.from('a') },
    { name: 'bytes are sent as they are', make: () => new Response(new Uint8Array([0, 255, 10]), 200, undefined, 'image/x-test'), status: 200, type: 'image/x-test', body: Buffer.from([0, 255, 10]) },
    { name: 'an empty Response has no content-type', make: () => new Response(), status: 200, type: undefined, body: Buffer.alloc(0) },
    { name: 'an empty HTMLResponse keeps its type', make: () => new HTMLResponse(''), status: 200, type: 'text/html; charset=utf-8', body: Buffer.alloc(0) },
    // Starlette sends no content-type here; Fastify's default for bytes is octet-stream.
    { name: 'a Response with a body and no media type', make: () => new Response('x'), status: 200, type: 'application/octet-stream', body: Buffer.from('x') }
  ]
  for (const c of cases) {
    t.test(c.name, async t => {
      const res = await get(t, c.make)
      t.equal(res.statusCode, c.status)
      t.equal(res.headers['content-type'], c.type)
      t.same(res.rawPayload, c.body)
      t.equal(res.headers['content-length'], String(c.body.length))
    })
  }
})

t.test('the response keeps its own status, not the route default', async t => {
  const res = await get(t, () => new HTMLResponse('x'))
  t.equal(res.statusCode, 200, 'the defaultStatus 201 does not apply')
  const custom = new HTMLResponse('x')
  ;(custom as { statusCode?: number }).statusCode = undefined
  const app = await serve(t, () => custom, 203)
  t.equal((await app.inject('/x')).statusCode, 203, 'defaultStatus fills an unset statusCode')
})

t.test('headers: given, lower-cased, overriding content-type, settable', async t => {
  const res = await get(t, () => new HTMLResponse('x', 200, { 'X-Custom': 'a', 'Content-Type': 'text/x-mine' }))
  t.equal(res.headers['x-custom'], 'a')
  t.equal(res.headers['content-type'], 'text/x-mine')

  const response = new PlainTextResponse('x', 200, { 'X-One': '1' })
  t.same(response.headers, { 'x-one': '1', 'content-type': 'text/plain; charset=utf-8' })
  response.headers['x-two'] = '2'
  const res2 = await get(t, () => response)
  t.equal(res2.headers['x-one'], '1')
  t.equal(res2.headers['x-two'], '2')

  const replaced = new PlainTextResponse('x')
  replaced.headers = { 'x-three': '3' }
  const res3 = await get(t, () => replaced)
  t.equal(res3.headers['x-three'], '3')
  t.equal(res3.headers['content-type'], 'application/octet-stream', 'the content-type went with the old headers')
})

t.test('Fastify hooks still run', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-hook', 'ran')
    return payload
  })
  app.get('/x', async (request, reply) => sendResponse(reply, new HTMLResponse('<b>x</b>'), 200))
  const res = await app.inject('/x')
  t.equal(res.headers['x-hook'], 'ran')
  t.equal(res.body, '<b>x</b>')
})

t.test('content that cannot be rendered throws at construction', async t => {
  t.throws(() => new JSONResponse(10n), TypeError)
  t.throws(() => new JSONResponse(() => 1), { message: /not JSON-serializable/ })
  t.throws(() => new HTMLResponse({ a: 1 } as unknown as string), { message: /must be a string or bytes/ })
})

t.test('isResponse', async t => {
  t.ok(isResponse(new Response()))
  t.ok(isResponse(new RedirectResponse('/')))
  t.ok(isResponse(new FileResponse('/nope')))
  t.notOk(isResponse({ statusCode: 200, headers: {}, body: Buffer.alloc(0) }))
  t.notOk(isResponse(null))
  t.equal(HTMLResponse.mediaType, 'text/html', 'the class carries its media type for responseClass')
  t.equal(JSONResponse.mediaType, 'application/json')
  t.equal(Response.mediaType, undefined)
  t.equal(RedirectResponse.mediaType, undefined)
  t.equal(Response.defaultStatusCode, 200)
  t.equal(RedirectResponse.defaultStatusCode, 307)
  t.equal(new RedirectResponse('/').statusCode, RedirectResponse.defaultStatusCode)
})

t.test('RedirectResponse', async t => {
  t.test('307 by default, with location and no body', async t => {
    const res = await get(t, () => new RedirectResponse('/items/1'))
    t.equal(res.statusCode, 307)
    t.equal(res.headers.location, '/items/1')
    t.equal(res.headers['content-length'], '0')
    t.equal(res.headers['content-type'], undefined)
    t.equal(res.body, '')
  })
  for (const code of [301, 302, 303, 308]) {
    t.test(`${code}`, async t => {
      const res = await get(t, () => new RedirectResponse(new URL('https://example.com/a?b=1'), code, { 'X-Why': 'moved' }))
      t.equal(res.statusCode, code)
      t.equal(res.headers.location, 'https://example.com/a?b=1')
      t.equal(res.headers['x-why'], 'moved')
    })
  }
  t.test('the URL is percent-encoded as Starlette does', async t => {
    // Python: quote('/a b/é?x=1&y=ü#f', safe=":/%#?=@[]!$&'()*+,;")
    const res = await get(t, () => new RedirectResponse("/a b/é?x=1&y=ü#f'(%20)"))
    t.equal(res.headers.location, "/a%20b/%C3%A9?x=1&y=%C3%BC#f'(%20)")
  })
})

t.test('StreamingResponse', async t => {
  const cases: Array<{ name: string, content: () => any }> = [
    { name: 'a Readable', content: () => Readable.from(['one,', Buffer.from('two,'), 'three']) },
    {
      name: 'an async generator',
      content: () => (async function * () {
        yield 'one,'
        await new Promise(resolve => setImmediate(resolve))
        yield new TextEncoder().encode('two,')
        yield ''
        yield 'three'
      })()
    },
    { name: 'an array of chunks', content: () => ['one,', Buffer.from('two,'), 'three'] },
    { name: 'a web ReadableStream', content: () => ReadableStream.from(['one,', 'two,', 'three']) }
  ]
  for (const c of cases) {
    t.test(c.name, async t => {
      const res = await get(t, () => new StreamingResponse(c.content(), 200, { 'x-stream': 'yes' }, 'text/event-stream'))
      t.equal(res.statusCode, 200)
      t.equal(res.body, 'one,two,three')
      t.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8')
      t.equal(res.headers['x-stream'], 'yes')
      t.equal(res.headers['content-length'], undefined, 'streamed, no length')
    })
  }

  t.test('non-ASCII text is sent as UTF-8; no media type, no content-type', async t => {
    const res = await get(t, () => new StreamingResponse(['é', '€'], 201))
    t.equal(res.statusCode, 201)
    t.same(res.rawPayload, Buffer.from('é€'))
    t.equal(res.headers['content-type'], undefined)
  })

  t.test("the generator's finally runs", async t => {
    let closed = false
    async function * gen () {
      try {
        yield 'a'
      } finally {
        closed = true
      }
    }
    const res = await get(t, () => new StreamingResponse(gen()))
    t.equal(res.body, 'a')
    t.ok(closed)
  })

  t.test('an error before the first chunk is a 500', async t => {
    async function * gen () {
      throw new Error('boom')
    }
    const res = await get(t, () => new StreamingResponse(gen()))
    t.equal(res.statusCode, 500)
    t.match(res.json(), { message: 'boom' })
  })

  t.test('a chunk that is neither text nor bytes is an error', async t => {
    const res = await get(t, () => new StreamingResponse([{ a: 1 }] as any))
    t.equal(res.statusCode, 500)
    t.match(res.json(), { message: /chunks must be strings or bytes/ })
  })
})

t.test('no body for 204, 304 and 1xx', async t => {
  const cases: Array<{ name: string, make: () => Response, status: number }> = [
    { name: 'Response 204', make: () => new Response(null, 204), status: 204 },
    { name: 'JSONResponse 204', make: () => new JSONResponse(null, 204), status: 204 },
    { name: 'HTMLResponse 204 with content', make: () => new HTMLResponse('<p>dropped</p>', 204), status: 204 },
    { name: 'PlainTextResponse 304', make: () => new PlainTextResponse('dropped', 304, { etag: '"x"' }), status: 304 },
    { name: 'FileResponse 204', make: () => new FileResponse('/does/not/exist.txt', { statusCode: 204 }), status: 204 }
  ]
  for (const c of cases) {
    t.test(c.name, async t => {
      const res = await get(t, c.make)
      t.equal(res.statusCode, c.status)
      t.equal(res.body, '')
      t.equal(res.headers['content-length'], undefined)
      if (c.status === 204) t.equal(res.headers['content-type'], undefined)
    })
  }
  t.test('a StreamingResponse 204 closes its stream unread', async t => {
    const stream = Readable.from(['never'])
    const res = await get(t, () => new StreamingResponse(stream, 204))
    t.equal(res.statusCode, 204)
    t.equal(res.body, '')
    t.ok(stream.destroyed)
  })
})

t.test('cookies, written as Starlette writes them', async t => {
  // Expected strings produced with Python 3.11's http.cookies through Starlette's set_cookie code.
  const cases: Array<{ name: string, args: Parameters<typeof formatSetCookie>, line: string }> = [
    { name: 'defaults', args: ['session', 'abc'], line: 'session=abc; Path=/; SameSite=lax' },
    {
      name: 'every option',
      args: ['k', 'v', { maxAge: 3600, expires: new Date(Date.UTC(2015, 9, 21, 7, 28)), path: '/app', domain: 'example.com', secure: true, httponly: true, samesite: 'strict' }],
      line: 'k=v; Domain=example.com; expires=Wed, 21 Oct 2015 07:28:00 GMT; HttpOnly; Max-Age=3600; Path=/app; SameSite=strict; Secure'
    },
    { name: 'no path, no samesite', args: ['k', 'v', { path: null, samesite: null }], line: 'k=v' },
    { name: 'a quoted, escaped value', args: ['k', 'a b"é€;\\x'], line: 'k="a b\\"\\351€\\073\\\\x"; Path=/; SameSite=lax' },
    { name: 'a space', args: ['k', 'hello world'], line: 'k="hello world"; Path=/; SameSite=lax' },
    { name: 'a comma', args: ['k', 'x=1,2'], line: 'k="x=1\\0542"; Path=/; SameSite=lax' },
    {
      name: 'expires as a string, samesite as given',
      args: ['k', 'v', { expires: 'Wed, 21 Oct 2015 07:28:00 GMT', samesite: 'None' as 'none', secure: true }],
      line: 'k=v; expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/; SameSite=None; Secure'
    },
    { name: 'partitioned (Python 3.14)', args: ['k', 'v', { partitioned: true, secure: true }], line: 'k=v; Partitioned; Path=/; SameSite=lax; Secure' }
  ]
  for (const c of cases) {
    t.test(c.name, async t => {
      t.equal(formatSetCookie(...c.args), c.line)
    })
  }

  t.test('setCookie and deleteCookie reach the client, several lines', async t => {
    const before = Math.floor(Date.now() / 1000) * 1000
    const res = await get(t, () => {
      const response = new JSONResponse({ ok: true })
      response.setCookie('session', 'abc', { httponly: true })
      response.setCookie('theme', 'dark', { maxAge: 60 })
      response.deleteCookie('old', { path: '/app' })
      return response
    })
    const after = Date.now()
    const lines = res.headers['set-cookie'] as string[]
    t.equal(lines.length, 3)
    t.equal(lines[0], 'session=abc; HttpOnly; Path=/; SameSite=lax')
    t.equal(lines[1], 'theme=dark; Max-Age=60; Path=/; SameSite=lax')
    const match = /^old=""; expires=(.+ GMT); Max-Age=0; Path=\/app; SameSite=lax$/.exec(lines[2])
    t.ok(match, lines[2])
    const expires = Date.parse(match?.[1] ?? '')
    t.ok(expires >= before && expires <= after, 'expires is now')
    t.same(res.json(), { ok: true })
  })

  t.test('expires as a number of seconds from now', async t => {
    const line = formatSetCookie('k', 'v', { expires: 3600 })
    const expires = Date.parse(/expires=([^;]+)/.exec(line)?.[1] ?? '')
    t.ok(Math.abs(expires - (Date.now() + 3600_000)) < 2000)
  })

  t.test('bad keys and samesite values throw', async t => {
    t.throws(() => formatSetCookie('bad key', 'v'), { message: /Illegal cookie key/ })
    t.throws(() => formatSetCookie('Path', 'v'), { message: /reserved/ })
    t.throws(() => formatSetCookie('k', 'v', { samesite: 'loose' as 'lax' }), { message: /samesite must be/ })
  })
})

t.test('FileResponse', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'ffa-responses-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const text = join(dir, 'hello.txt')
  writeFileSync(text, 'Hello, file!\n')
  const png = join(dir, 'pixel.png')
  writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47]))
  const unknown = join(dir, 'data.weird')
  writeFileSync(unknown, 'x')
  const digits = join(dir, 'digits.txt')
  writeFileSync(digits, '0123456789')

  t.test('streams the file with stat headers', async t => {
    const res = await get(t, () => new FileResponse(text))
    t.equal(res.statusCode, 200)
    t.equal(res.body, 'Hello, file!\n')
    t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
    t.equal(res.headers['content-length'], '13')
    t.equal(res.headers['accept-ranges'], 'bytes')
    t.equal(res.headers['content-disposition'], undefined)
    const info = statSync(text, { bigint: true })
    t.equal(res.headers['last-modified'], new Date(Number(info.mtimeMs)).toUTCString())
    // Starlette's etag: md5 of str(st_mtime) + '-' + str(st_size).
    const mtime = Number(info.mtimeNs / 1_000_000_000n) + Number(info.mtimeNs % 1_000_000_000n) * 1e-9
    const pyMtime = Number.isInteger(mtime) ? `${mtime}.0` : String(mtime)
    t.equal(res.headers.etag, `"${createHash('md5').update(`${pyMtime}-13`).digest('hex')}"`)
  })

  t.test('media types are guessed from the extension', async t => {
    t.equal((await get(t, () => new FileResponse(png))).headers['content-type'], 'image/png')
    t.equal((await get(t, () => new FileResponse(unknown))).headers['content-type'], 'application/octet-stream')
    t.equal((await get(t, () => new FileResponse(unknown, { mediaType: 'application/x-weird' }))).headers['content-type'], 'application/x-weird')
    t.equal(guessMediaType('A.JSON'), 'application/json')
    t.equal(guessMediaType('page.htm'), 'text/html')
    t.equal(guessMediaType('noext'), 'application/octet-stream')
  })

  t.test('filename: content-disposition, and the type comes from it', async t => {
    const res = await get(t, () => new FileResponse(unknown, { filename: 'report.csv' }))
    t.equal(res.headers['content-disposition'], 'attachment; filename="report.csv"')
    t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
    const res2 = await get(t, () => new FileResponse(png, { filename: 'résumé 2024.pdf', contentDispositionType: 'inline' }))
    t.equal(res2.headers['content-disposition'], "inline; filename*=utf-8''r%C3%A9sum%C3%A9%202024.pdf")
    t.equal(res2.headers['content-type'], 'application/pdf')
    const res3 = await get(t, () => new FileResponse(png, { filename: 'a.png', headers: { 'Content-Disposition': 'inline' } }))
    t.equal(res3.headers['content-disposition'], 'inline', 'a given header wins')
  })

  t.test('status, headers and cookies of the response apply', async t => {
    const res = await get(t, () => {
      const response = new FileResponse(text, { statusCode: 203, headers: { 'X-File': 'yes', 'Content-Length': '13' } })
      response.setCookie('seen', '1')
      return response
    })
    t.equal(res.statusCode, 203)
    t.equal(res.headers['x-file'], 'yes')
    t.equal(res.headers['set-cookie'], 'seen=1; Path=/; SameSite=lax')
    t.equal(res.body, 'Hello, file!\n')
  })

  t.test('HEAD sends the headers, the real length and no body', async t => {
    const res = await get(t, () => new FileResponse(text), {}, 'HEAD')
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-length'], '13')
    t.equal(res.body, '')
  })

  t.test('a missing file is a 500, as Starlette raises RuntimeError', async t => {
    const missing = join(dir, 'missing.txt')
    const res = await get(t, () => new FileResponse(missing))
    t.equal(res.statusCode, 500)
    t.equal(res.json().message, `File at path ${missing} does not exist.`)
    const res2 = await get(t, () => new FileResponse(dir))
    t.equal(res2.statusCode, 500)
    t.equal(res2.json().message, `File at path ${dir} is not a file.`)
    const res3 = await get(t, () => new FileResponse(join(text, 'below')))
    t.equal(res3.statusCode, 500, 'other stat errors pass through')
    t.match(res3.json().message, /ENOTDIR/)
  })

  t.test('a sync handler may return the reply while the file is read', async t => {
    const app = Fastify()
    t.teardown(() => app.close())
    app.get('/x', (request, reply) => sendResponse(reply, new FileResponse(text), 200))
    const res = await app.inject('/x')
    t.equal(res.statusCode, 200)
    t.equal(res.body, 'Hello, file!\n')
  })

  t.test('ranges', async t => {
    const single: Array<[string, string, string]> = [
      ['bytes=0-4', '01234', 'bytes 0-4/10'],
      ['bytes=5-', '56789', 'bytes 5-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=8-100', '89', 'bytes 8-9/10'],
      ['bytes=0-3, 2-5', '012345', 'bytes 0-5/10'],
      ['bytes=0-1,junk,-', '01', 'bytes 0-1/10']
    ]
    for (const [range, body, contentRange] of single) {
      t.test(range, async t => {
        const res = await get(t, () => new FileResponse(digits), { range })
        t.equal(res.statusCode, 206)
        t.equal(res.body, body)
        t.equal(res.headers['content-range'], contentRange)
        t.equal(res.headers['content-length'], String(body.length))
        t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
      })
    }

    t.test('several ranges: multipart/byteranges', async t => {
      const res = await get(t, () => new FileResponse(digits), { range: 'bytes=6-7,0-1' })
      t.equal(res.statusCode, 206)
      const boundary = /^multipart\/byteranges; boundary=([0-9a-f]{26})$/.exec(String(res.headers['content-type']))?.[1]
      t.ok(boundary, String(res.headers['content-type']))
      const expected = `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/10\r\n\r\n01\r\n` +
        `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 6-7/10\r\n\r\n67\r\n--${boundary}--`
      t.equal(res.body, expected)
      t.equal(res.headers['content-length'], String(Buffer.byteLength(expected)))
    })

    t.test('unsatisfiable: 416', async t => {
      const res = await get(t, () => new FileResponse(digits, { headers: { 'x-file': 'yes' } }), { range: 'bytes=10-' })
      t.equal(res.statusCode, 416)
      t.equal(res.headers['content-range'], 'bytes */10')
      t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
      t.equal(res.headers['x-file'], undefined, "a fresh response, as Starlette's")
      t.equal(res.body, '')
    })

    const malformed: Array<[string, string]> = [
      ['items=0-1', 'Only support bytes range'],
      ['bytes', 'Malformed range header.'],
      ['bytes=abc', 'Range header: range must be requested'],
      ['bytes=x-y', 'Range header: range must be requested'],
      ['bytes=5-2', 'Range header: start must be less than end']
    ]
    for (const [range, message] of malformed) {
      t.test(`malformed: ${range}`, async t => {
        const res = await get(t, () => new FileResponse(digits), { range })
        t.equal(res.statusCode, 400)
        t.equal(res.body, message)
        t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
      })
    }

    t.test('If-Range: a stale validator gets the whole file', async t => {
      const res = await get(t, () => new FileResponse(digits), { range: 'bytes=0-1', 'if-range': '"stale"' })
      t.equal(res.statusCode, 200)
      t.equal(res.body, '0123456789')
      const fresh = (await get(t, () => new FileResponse(digits))).headers.etag as string
      const res2 = await get(t, () => new FileResponse(digits), { range: 'bytes=0-1', 'if-range': fresh })
      t.equal(res2.statusCode, 206)
      t.equal(res2.body, '01')
    })
  })
})
