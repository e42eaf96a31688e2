/**
 * Test helpers: a fresh app per test, and a runner for table-driven request cases.
 */
import { Writable } from 'node:stream'
import Fastify, { type FastifyInstance, type FastifyServerOptions, type HTTPMethods, type InjectOptions } from 'fastify'
import fastapi, { type ArgsDecl, type FastifyFastapiOptions } from '../lib/index.js'

/** The part of a tap test the helpers use. */
interface TestLike {
  teardown: (fn: () => unknown) => void
  test: (name: string, fn: (t: any) => Promise<void>) => unknown
}

/** Builds an app with fastify-fastapi registered with `opts`; `t.teardown` closes it. */
export async function build (
  t: Pick<TestLike, 'teardown'>, opts: FastifyFastapiOptions = {}, serverOptions: FastifyServerOptions = {}
): Promise<FastifyInstance> {
  const app = Fastify(serverOptions)
  t.teardown(() => app.close())
  await app.register(fastapi, opts)
  return app
}

/** One request against a route whose handler echoes its arguments. */
export interface EchoCase {
  name: string
  args: ArgsDecl
  /** The route's URL (default '/'). */
  route?: string
  /** The route's method (default GET). */
  method?: HTTPMethods
  /** The request: url (default '/'), headers, cookies, payload. */
  request?: InjectOptions
  status: number
  /** The whole response body, compared with t.strictSame ("0" is not 0). */
  body: unknown
}

// FastAPI's key order in a 422 item.
const ITEM_KEYS = ['type', 'loc', 'msg', 'input']

/**
 * Checks a response: the status, the whole JSON body and, for a 422, the key order
 * of every item (type, loc, msg, input, then ctx when present).
 */
export function checkResponse (t: any, res: { statusCode: number, body: string }, status: number, body: unknown): void {
  t.equal(res.statusCode, status, 'status')
  const json = JSON.parse(res.body)
  t.strictSame(json, body, 'body')
  if (status === 422 && Array.isArray(json?.detail)) {
    for (const item of json.detail) {
      const expected = 'ctx' in item ? [...ITEM_KEYS, 'ctx'] : ITEM_KEYS
      t.strictSame(Object.keys(item), expected, 'item keys in FastAPI order')
    }
  }
}

/** Runs every case as a subtest, each with its own app. */
export function runEchoCases (t: TestLike, cases: readonly EchoCase[]): void {
  for (const c of cases) {
    t.test(c.name, async t => {
      const app = await build(t)
      app.api.route(c.method ?? 'GET', c.route ?? '/', { args: c.args }, args => args)
      const res = await app.inject({ method: c.method ?? 'GET', url: '/', ...c.request })
      checkResponse(t, res, c.status, c.body)
    })
  }
}

/** The 422 item of a missing value. */
export function missing (...loc: Array<string | number>): Record<string, unknown> {
  return { type: 'missing', loc, msg: 'Field required', input: null }
}

/** 422 items for int_parsing, float_parsing and bool_parsing at `loc`. */
export const parsing = {
  int: (input: string, ...loc: Array<string | number>) =>
    ({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input }),
  float: (input: string, ...loc: Array<string | number>) =>
    ({ type: 'float_parsing', loc, msg: 'Input should be a valid number, unable to parse string as a number', input }),
  bool: (input: string, ...loc: Array<string | number>) =>
    ({ type: 'bool_parsing', loc, msg: 'Input should be a valid boolean, unable to interpret input', input })
}

/** A pino destination that keeps every log line, raw and parsed. */
export function logCapture () {
  const lines: Array<Record<string, any>> = []
  const raw: string[] = []
  const stream = new Writable({
    write (chunk, encoding, callback) {
      for (const line of String(chunk).split('\n')) {
        if (line === '') continue
        raw.push(line)
        lines.push(JSON.parse(line))
      }
      callback()
    }
  })
  return { lines, raw, stream }
}
