import t from 'tap'
import { z } from 'zod'
import { Cookie } from '../lib/index.js'
import { missing, parsing, runEchoCases, type EchoCase } from './helper.js'
import { parseCookies } from '../lib/cookies.js'

const C = 'cookie'
const cookie = (value: string) => ({ headers: { cookie: value } })

const cases: EchoCase[] = [
  // required
  { name: 'required: present', args: { session: Cookie(z.string()) }, request: cookie('session=abc'), status: 200, body: { session: 'abc' } },
  { name: 'required: among others', args: { session: Cookie(z.string()) }, request: cookie('a=1; session=abc; b=2'), status: 200, body: { session: 'abc' } },
  { name: 'required: no cookie header', args: { session: Cookie(z.string()) }, status: 422, body: { detail: [missing(C, 'session')] } },
  { name: 'required: other cookies only', args: { session: Cookie(z.string()) }, request: cookie('sess=abc'), status: 422, body: { detail: [missing(C, 'session')] } },
  { name: 'names are case-sensitive', args: { session: Cookie(z.string()) }, request: cookie('Session=abc'), status: 422, body: { detail: [missing(C, 'session')] } },
  { name: 'empty value is a value', args: { session: Cookie(z.string()) }, request: cookie('session='), status: 200, body: { session: '' } },
  { name: 'the later duplicate wins', args: { session: Cookie(z.string()) }, request: cookie('session=a; session=b'), status: 200, body: { session: 'b' } },
  { name: 'quoted value', args: { session: Cookie(z.string()) }, request: cookie('session="a b"'), status: 200, body: { session: 'a b' } },
  { name: 'url-decoded value', args: { session: Cookie(z.string()) }, request: cookie('session=a%3Db%20c'), status: 200, body: { session: 'a=b c' } },
  { name: 'a value with = in it', args: { session: Cookie(z.string()) }, request: cookie('session=a=b'), status: 200, body: { session: 'a=b' } },
  { name: 'bad percent escape kept as is', args: { session: Cookie(z.string()) }, request: cookie('session=100%'), status: 200, body: { session: '100%' } },
  // optional and default
  { name: 'optional: missing', args: { adsId: Cookie(z.string().optional()) }, status: 200, body: {} },
  { name: 'optional: present', args: { adsId: Cookie(z.string().optional()) }, request: cookie('adsId=x'), status: 200, body: { adsId: 'x' } },
  { name: 'default: missing', args: { theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }) }, status: 200, body: { theme: 'light' } },
  { name: 'default: present', args: { theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }) }, request: cookie('theme=dark'), status: 200, body: { theme: 'dark' } },
  {
    name: 'default: bad value',
    args: { theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }) },
    request: cookie('theme=blue'),
    status: 422,
    body: { detail: [{ type: 'enum', loc: [C, 'theme'], msg: "Input should be 'light' or 'dark'", input: 'blue', ctx: { expected: "'light' or 'dark'" } }] }
  },
  // alias
  { name: 'alias', args: { adsId: Cookie(z.string(), { alias: 'ads_id' }) }, request: cookie('ads_id=42'), status: 200, body: { adsId: '42' } },
  { name: 'alias: missing', args: { adsId: Cookie(z.string(), { alias: 'ads_id' }) }, request: cookie('adsId=42'), status: 422, body: { detail: [missing(C, 'ads_id')] } },
  // coercion
  { name: 'int', args: { visits: Cookie(z.int()) }, request: cookie('visits=7'), status: 200, body: { visits: 7 } },
  { name: 'int_parsing', args: { visits: Cookie(z.int()) }, request: cookie('visits=seven'), status: 422, body: { detail: [parsing.int('seven', C, 'visits')] } },
  { name: 'float', args: { ratio: Cookie(z.number()) }, request: cookie('ratio=.5'), status: 200, body: { ratio: 0.5 } },
  { name: 'float_parsing', args: { ratio: Cookie(z.number()) }, request: cookie('ratio=half'), status: 422, body: { detail: [parsing.float('half', C, 'ratio')] } },
  { name: 'bool', args: { consent: Cookie(z.boolean()) }, request: cookie('consent=yes'), status: 200, body: { consent: true } },
  { name: 'bool_parsing', args: { consent: Cookie(z.boolean()) }, request: cookie('consent=sure'), status: 422, body: { detail: [parsing.bool('sure', C, 'consent')] } },
  // constraints
  {
    name: 'string_too_short',
    args: { session: Cookie(z.string(), { minLength: 8 }) },
    request: cookie('session=abc'),
    status: 422,
    body: { detail: [{ type: 'string_too_short', loc: [C, 'session'], msg: 'String should have at least 8 characters', input: 'abc', ctx: { min_length: 8 } }] }
  },
  {
    name: 'two cookies fail together',
    args: { session: Cookie(z.string()), visits: Cookie(z.int()) },
    request: cookie('visits=x'),
    status: 422,
    body: { detail: [missing(C, 'session'), parsing.int('x', C, 'visits')] }
  }
]

runEchoCases(t, cases)

t.test('parseCookies', async t => {
  t.strictSame({ ...parseCookies(undefined) }, {})
  t.strictSame({ ...parseCookies('') }, {})
  t.strictSame({ ...parseCookies('a=1;b=2 ;  c = 3') }, { a: '1', b: '2', c: '3' })
  t.strictSame({ ...parseCookies('bare; =nameless; a=1') }, { a: '1' }, 'bare tokens and empty names are skipped')
  t.strictSame({ ...parseCookies('a="x"; b="; c=""') }, { a: 'x', b: '"', c: '' })
  t.strictSame({ ...parseCookies('__proto__=x; constructor=y') }, { ['__proto__']: 'x', constructor: 'y' }, 'no prototype pollution')
  t.equal(Object.getPrototypeOf(parseCookies('a=1')), null)
})
