import t from 'tap'
import { z } from 'zod'
import { Header } from '../lib/index.js'
import { build, missing, parsing, runEchoCases, type EchoCase } from './helper.js'

const H = 'header'

const cases: EchoCase[] = [
  // names: xToken and x_token both read x-token, case-insensitively
  { name: 'camelCase name reads x-token', args: { xToken: Header(z.string()) }, request: { headers: { 'x-token': 'abc' } }, status: 200, body: { xToken: 'abc' } },
  { name: 'snake_case name reads x-token', args: { x_token: Header(z.string()) }, request: { headers: { 'x-token': 'abc' } }, status: 200, body: { x_token: 'abc' } },
  { name: 'header names are case-insensitive', args: { xToken: Header(z.string()) }, request: { headers: { 'X-TOKEN': 'abc' } }, status: 200, body: { xToken: 'abc' } },
  { name: 'User-Agent style name', args: { userAgent: Header(z.string()) }, request: { headers: { 'user-agent': 'curl/8' } }, status: 200, body: { userAgent: 'curl/8' } },
  { name: 'an x_token header is not x-token', args: { xToken: Header(z.string()) }, request: { headers: { x_token: 'abc' } }, status: 422, body: { detail: [missing(H, 'x-token')] } },
  // required
  { name: 'required: missing, loc has the hyphenated name', args: { x_token: Header(z.string()) }, status: 422, body: { detail: [missing(H, 'x-token')] } },
  // convertUnderscores: false
  {
    name: 'convertUnderscores false reads x_token',
    args: { x_token: Header(z.string(), { convertUnderscores: false }) },
    request: { headers: { x_token: 'raw' } },
    status: 200,
    body: { x_token: 'raw' }
  },
  {
    name: 'convertUnderscores false ignores x-token',
    args: { x_token: Header(z.string(), { convertUnderscores: false }) },
    request: { headers: { 'x-token': 'abc' } },
    status: 422,
    body: { detail: [missing(H, 'x_token')] }
  },
  // optional and default
  { name: 'optional: missing', args: { xToken: Header(z.string().optional()) }, status: 200, body: {} },
  { name: 'optional: present', args: { xToken: Header(z.string().optional()) }, request: { headers: { 'x-token': 'v' } }, status: 200, body: { xToken: 'v' } },
  { name: 'default: missing', args: { accept_language: Header(z.string(), { default: 'en' }) }, status: 200, body: { accept_language: 'en' } },
  { name: 'default: present', args: { accept_language: Header(z.string(), { default: 'en' }) }, request: { headers: { 'accept-language': 'fr' } }, status: 200, body: { accept_language: 'fr' } },
  // alias (matched case-insensitively)
  { name: 'alias', args: { token: Header(z.string(), { alias: 'x-api-key' }) }, request: { headers: { 'X-Api-Key': 'k' } }, status: 200, body: { token: 'k' } },
  { name: 'alias: missing', args: { token: Header(z.string(), { alias: 'x-api-key' }) }, request: { headers: { token: 'k' } }, status: 422, body: { detail: [missing(H, 'x-api-key')] } },
  // FastAPI reports the alias as declared, whatever case the client used.
  { name: 'alias in capitals: loc keeps the declared spelling', args: { token: Header(z.string(), { alias: 'X-Api-Key' }) }, request: { headers: { 'x-api-key': 'k' } }, status: 200, body: { token: 'k' } },
  { name: 'alias in capitals: missing', args: { token: Header(z.string(), { alias: 'X-Api-Key' }) }, status: 422, body: { detail: [missing(H, 'X-Api-Key')] } },
  // list: repeated headers
  { name: 'list: repeated header', args: { xToken: Header(z.array(z.string())) }, request: { headers: { 'x-token': ['foo', 'bar'] } }, status: 200, body: { xToken: ['foo', 'bar'] } },
  { name: 'list: one header', args: { xToken: Header(z.array(z.string())) }, request: { headers: { 'x-token': 'foo' } }, status: 200, body: { xToken: ['foo'] } },
  { name: 'list: missing', args: { xToken: Header(z.array(z.string())) }, status: 422, body: { detail: [missing(H, 'x-token')] } },
  { name: 'list: optional and missing', args: { xToken: Header(z.array(z.string()).optional()) }, status: 200, body: {} },
  {
    name: 'list of ints: bad item at its index',
    args: { xCount: Header(z.array(z.int())) },
    request: { headers: { 'x-count': ['1', 'two'] } },
    status: 422,
    body: { detail: [parsing.int('two', H, 'x-count', 1)] }
  },
  // coercion
  { name: 'int', args: { xCount: Header(z.int()) }, request: { headers: { 'x-count': '3' } }, status: 200, body: { xCount: 3 } },
  { name: 'int_parsing', args: { xCount: Header(z.int()) }, request: { headers: { 'x-count': 'three' } }, status: 422, body: { detail: [parsing.int('three', H, 'x-count')] } },
  { name: 'float', args: { xRate: Header(z.number()) }, request: { headers: { 'x-rate': '0.5' } }, status: 200, body: { xRate: 0.5 } },
  { name: 'float_parsing', args: { xRate: Header(z.number()) }, request: { headers: { 'x-rate': 'half' } }, status: 422, body: { detail: [parsing.float('half', H, 'x-rate')] } },
  { name: 'bool', args: { dnt: Header(z.boolean()) }, request: { headers: { dnt: '1' } }, status: 200, body: { dnt: true } },
  { name: 'bool_parsing', args: { dnt: Header(z.boolean()) }, request: { headers: { dnt: 'maybe' } }, status: 422, body: { detail: [parsing.bool('maybe', H, 'dnt')] } },
  // constraints
  {
    name: 'string_too_short',
    args: { xToken: Header(z.string(), { minLength: 1 }) },
    request: { headers: { 'x-token': '' } },
    status: 422,
    body: { detail: [{ type: 'string_too_short', loc: [H, 'x-token'], msg: 'String should have at least 1 character', input: '', ctx: { min_length: 1 } }] }
  },
  {
    name: 'ge on a header',
    args: { xCount: Header(z.int(), { ge: 1 }) },
    request: { headers: { 'x-count': '0' } },
    status: 422,
    body: { detail: [{ type: 'greater_than_equal', loc: [H, 'x-count'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } }] }
  }
]

runEchoCases(t, cases)

t.test('two headers fail together', async t => {
  const app = await build(t)
  app.api.get('/', { args: { xToken: Header(z.string()), xCount: Header(z.int()) } }, args => args)
  const res = await app.inject({ url: '/', headers: { 'x-count': 'x' } })
  t.equal(res.statusCode, 422)
  t.strictSame(res.json(), { detail: [missing(H, 'x-token'), parsing.int('x', H, 'x-count')] })
})
