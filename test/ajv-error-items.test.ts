import t from 'tap'
import { inspect } from 'node:util'
import { z } from 'zod'
import { Field } from '../lib/index.js'
import type { ErrorItem } from '../lib/exceptions.js'
import { pushIssueItems, REDACTED, type IssueContext } from '../lib/error-items.js'
import { compileAjvErrorItems, compileFastItems } from '../lib/ajv-error-items.js'
import { containsSecret } from '../lib/zod-internals.js'
import { mulberry32, pick, chance, NUMBERS, str, wrong, strings, numbers, oneOf, array, object, clone, type Gen } from './generators.js'

// The items built from ajv's errors must be those error-items.ts builds from zod's issues,
// byte for byte, for every value the schema rejects. Values come from the generator of
// test/generators.ts.

enum Mixed { One = 1, Bee = 'b' }

const Secret = (schema: z.ZodType) => Field(schema, { secret: true })
const UserIn = z.object({
  name: Field(z.string(), { minLength: 3, pattern: /^[a-z-]+$/, examples: ['my-username'] }),
  password: Field(z.string(), { minLength: 5, secret: true })
})

interface Case { name: string, schema: z.ZodType, gen: Gen, loc?: Array<string | number> }

const CASES: Case[] = [
  { name: 'string min/max', schema: z.string().min(2).max(5), gen: strings() },
  { name: 'string length and pattern', schema: z.string().length(3).regex(/^[a-z]/), gen: strings(5) },
  { name: 'pattern before length, repeated limits', schema: z.string().regex(/^[a-z]*$/).min(2).min(4).max(6).max(5), gen: strings(8) },
  { name: 'two patterns', schema: z.string().regex(/^a/).regex(/b$/), gen: oneOf('ab', 'a', 'b', 'xb', 'axb', 'aab') },
  { name: 'pattern with a slash', schema: z.string().regex(/^a\/b$/), gen: oneOf('a/b', 'ab', 'a\\/b') },
  { name: 'Field pattern', schema: Field(z.string(), { minLength: 3, pattern: /^[a-z-]+$/ }), gen: strings() },
  { name: 'int bounds', schema: z.number().int().gte(-3).lt(10), gen: numbers },
  { name: 'bounds before int', schema: z.number().gte(3).int().lte(5), gen: numbers },
  { name: 'number gt/lte', schema: z.number().gt(1).lte(5), gen: numbers },
  { name: 'gt and gte together', schema: z.number().gte(1).gt(2).lt(9).lte(8), gen: numbers },
  { name: 'plain number', schema: z.number(), gen: numbers },
  { name: 'z.int() with bounds', schema: z.int().gte(1).lte(1000), gen: numbers },
  { name: 'int32 and multipleOf', schema: z.int32().multipleOf(3), gen: numbers },
  { name: 'multipleOf before int', schema: z.number().multipleOf(4).int(), gen: numbers },
  { name: 'uint32', schema: z.uint32(), gen: numbers },
  { name: 'enum', schema: z.enum(['a', 'b', 'c']), gen: oneOf('a', 'b', 'c', 'd', 'A') },
  { name: 'native enum', schema: z.enum(Mixed), gen: oneOf(1, 'b', 'One', 'Bee', '1', 2) },
  { name: 'literal', schema: z.literal('x'), gen: oneOf('x', 'y', 'X') },
  { name: 'literal values', schema: z.literal([1, 'a', null, true]), gen: oneOf(1, 'a', null, true, false, '1', 0) },
  { name: 'boolean', schema: z.boolean(), gen: oneOf(true, false, 'true', 0, 1) },
  { name: 'null', schema: z.null(), gen: oneOf(null, 'null', 0) },
  { name: 'array min/max', schema: z.array(z.string().max(2)).min(1).max(3), gen: array(strings(3)) },
  { name: 'array length', schema: z.array(z.enum(['x', 'y'])).length(2), gen: array(oneOf('x', 'y', 'z', undefined), 3) },
  { name: 'array of nullable ints', schema: z.array(z.int().nullable()).length(2), gen: array(wrong(r => chance(r, 0.2) ? null : pick(r, NUMBERS)), 3) },
  {
    name: 'nested objects',
    schema: z.object({
      a: z.object({ b: z.string(), c: z.array(z.object({ d: z.boolean() })).max(2) }),
      e: z.null()
    }),
    gen: object({ a: object({ b: strings(), c: array(object({ d: oneOf(true, false) }), 3) }), e: oneOf(null) })
  },
  {
    name: 'optional, nullable, default',
    schema: z.object({
      o: z.string().optional(),
      n: z.int().nullable(),
      nd: z.string().nullish(),
      d: z.string().min(1).default('dflt'),
      dn: z.string().nullable().default(null),
      da: z.array(z.int()).default([1, 2]),
      dobj: z.object({ x: z.int() }).default({ x: 1 })
    }),
    gen: object({
      o: strings(),
      n: wrong(r => chance(r, 0.3) ? null : pick(r, NUMBERS)),
      nd: oneOf('a', null, undefined),
      d: strings(2),
      dn: oneOf('x', null),
      da: array(numbers, 2),
      dobj: object({ x: numbers })
    })
  },
  {
    name: 'nullable objects and arrays with defaults inside',
    schema: z.object({
      n: z.object({ a: z.string(), b: z.int().default(1) }).nullable(),
      arr: z.array(z.object({ c: z.boolean().default(false) })).nullable().optional()
    }),
    gen: object({
      n: wrong(r => chance(r, 0.2) ? null : object({ a: strings(), b: numbers })(r)),
      arr: wrong(r => chance(r, 0.2) ? null : array(object({ c: oneOf(true, false) }), 2)(r))
    })
  },
  { name: 'loose object', schema: z.looseObject({ a: z.string() }), gen: object({ a: strings() }) },
  { name: 'top-level optional', schema: z.string().optional(), gen: wrong(r => chance(r, 0.3) ? undefined : str(r), 0.2) },
  { name: 'top-level default', schema: z.int().default(5), gen: wrong(r => chance(r, 0.3) ? undefined : pick(r, NUMBERS), 0.2) },
  { name: 'top-level nullable', schema: z.string().nullable(), gen: oneOf(null, 'a', '') },
  {
    name: 'nullable literal, enum, array',
    schema: z.object({ l: z.literal('a').nullable(), e: z.enum(['x', 'y']).nullish(), a: z.array(z.int()).nullable().nullable() }),
    gen: object({ l: oneOf('a', null, 'b'), e: oneOf('x', 'y', null, 'z'), a: wrong(r => chance(r, 0.3) ? null : array(numbers, 2)(r)) })
  },
  {
    name: 'required enum and literal (missing)',
    schema: z.object({ e: z.enum(['x', 'y']), l: z.literal(3), s: z.string() }),
    gen: object({ e: oneOf('x', 'z'), l: oneOf(3, 4), s: strings() })
  },
  { name: 'UserIn', schema: UserIn, gen: object({ name: wrong(r => chance(r, 0.5) ? pick(r, ['my-user', 'abc', 'ab']) : str(r)), password: strings(9) }) },
  {
    name: 'UserIn, embedded',
    schema: UserIn,
    gen: object({ name: wrong(r => chance(r, 0.5) ? pick(r, ['my-user', 'abc', 'ab']) : str(r)), password: strings(9) }),
    loc: ['body', 'user']
  },
  {
    name: 'secrets at every depth',
    schema: z.object({
      user: z.object({ name: z.string().min(2), token: Secret(z.string().min(4)) }),
      keys: z.array(Secret(z.string().length(3))).max(2),
      nested: Secret(z.object({ pin: z.int().gte(0) })).nullable(),
      list: z.array(z.object({ k: Secret(z.int()), v: z.boolean() })).min(1)
    }),
    gen: object({
      user: object({ name: strings(3), token: strings(5) }),
      keys: array(strings(4), 3),
      nested: wrong(r => chance(r, 0.2) ? null : object({ pin: numbers })(r)),
      list: array(object({ k: numbers, v: oneOf(true, false) }), 2)
    })
  },
  { name: 'a secret scalar', schema: Secret(z.string().min(3)), gen: strings(4) },
  {
    name: 'keys that need escaping',
    schema: z.object({ 'a/b': z.string(), 'c~d': z.object({ 'e/~f': z.int() }), '': z.boolean().optional() }),
    gen: object({ 'a/b': strings(), 'c~d': object({ 'e/~f': numbers }), '': oneOf(true, 'x') })
  },
  { name: 'astral and lone surrogates', schema: z.object({ s: z.string().min(2).max(3) }), gen: object({ s: strings(5) }) }
]

const INVALID_PER_CASE = 80
const MAX_TRIES = 2000

/** Items tap can print: an invalid Date (a generated input) breaks its diff. */
function printable (value: unknown): unknown {
  if (value instanceof Date) return `Date(${value.getTime()})`
  if (Array.isArray(value)) return value.map(printable)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)]))
  }
  return value
}

/** error-items.ts on zod's issues: the reference. */
function zodItems (schema: z.ZodType, value: unknown, context: IssueContext): ErrorItem[] {
  const out: ErrorItem[] = []
  const result = schema.safeParse(clone(value))
  if (!result.success) pushIssueItems(result.error.issues, context, out)
  return out
}

let total = 0
for (const c of CASES) {
  t.test(c.name, async t => {
    const fast = compileFastItems(c.schema)
    const withFallback = compileAjvErrorItems(c.schema)
    if (fast === null || withFallback === null) return t.fail('expected an exact schema')
    const hasSecrets = containsSecret(c.schema)
    const r = mulberry32(c.name.length * 31337 + 11)
    const expected: ErrorItem[][] = []
    const actual: ErrorItem[][] = []
    const bails: string[] = []
    for (let tries = 0; tries < MAX_TRIES && expected.length < INVALID_PER_CASE; tries++) {
      const value = c.gen(r)
      if (c.schema.safeParse(clone(value)).success) continue
      // JSON has no undefined list item; the fast walk hands such values to zod (checked below).
      if (hasUndefinedItem(value)) {
        const viaFallback: ErrorItem[] = []
        const input = clone(value)
        withFallback(input, { loc: c.loc ?? ['body'], input, schema: c.schema, fromString: false, hasSecrets }, viaFallback)
        t.equal(JSON.stringify(viaFallback), JSON.stringify(zodItems(c.schema, value, { loc: c.loc ?? ['body'], input: clone(value), schema: c.schema, fromString: false, hasSecrets })), 'undefined list item: zod decides')
        continue
      }
      const context = (input: unknown): IssueContext => ({ loc: c.loc ?? ['body'], input, schema: c.schema, fromString: false, hasSecrets })
      expected.push(zodItems(c.schema, value, context(clone(value))))
      const input = clone(value)
      const out: ErrorItem[] = []
      if (!fast(input, context(input), out)) bails.push(inspect(value, { depth: 5 }))
      const viaFallback: ErrorItem[] = []
      withFallback(input, context(input), viaFallback)
      t.equal(JSON.stringify(viaFallback), JSON.stringify(out.length > 0 ? out : expected.at(-1)), 'the public builder gives the same')
      actual.push(out)
    }
    total += expected.length
    t.strictSame(bails, [], 'the fast walk always concludes')
    t.strictSame(printable(actual), printable(expected), `${expected.length} invalid values: same items as zod`)
    t.equal(actual.map(items => JSON.stringify(items)).join('\n'), expected.map(items => JSON.stringify(items)).join('\n'), 'same bytes')
    t.ok(expected.length >= 20, `enough invalid values (${expected.length})`)
  })
}

t.test('invalid values tested', async t => {
  t.ok(total >= 2500, `${total} invalid values`)
})

t.test('the seed body, by hand', async t => {
  const build = compileAjvErrorItems(UserIn)!
  const items = (body: unknown): ErrorItem[] => {
    const out: ErrorItem[] = []
    build(body, { loc: ['body'], input: body, schema: UserIn, fromString: false, hasSecrets: true }, out)
    return out
  }
  t.strictSame(items({ name: 'ab', password: 'secret' }), [{
    type: 'string_too_short',
    loc: ['body', 'name'],
    msg: 'String should have at least 3 characters',
    input: 'ab',
    ctx: { min_length: 3 }
  }])
  t.strictSame(items({ name: 'AB', password: 'x' }), [
    { type: 'string_too_short', loc: ['body', 'name'], msg: 'String should have at least 3 characters', input: 'AB', ctx: { min_length: 3 } },
    { type: 'string_too_short', loc: ['body', 'password'], msg: 'String should have at least 5 characters', input: REDACTED, ctx: { min_length: 5 } }
  ], 'first failing rule per value; a secret is not echoed')
  t.strictSame(items({ password: 'secret' }), [
    { type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: { password: REDACTED } }
  ], 'a missing field shows its parent, redacted')
  t.strictSame(items(undefined), [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }])
  t.strictSame(items('x'), [{
    type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: 'x'
  }])
})

t.test('int_from_float, finite_number, code points', async t => {
  const schema = z.object({ n: z.int().gte(2), s: z.string().max(2) })
  const build = compileFastItems(schema)!
  const body = { n: 1.5, s: '😀😀😀' }
  const out: ErrorItem[] = []
  t.ok(build(body, { loc: ['body'], input: body, schema, fromString: false, hasSecrets: false }, out))
  t.strictSame(out, [
    { type: 'int_from_float', loc: ['body', 'n'], msg: 'Input should be a valid integer, got a number with a fractional part', input: 1.5 },
    { type: 'string_too_long', loc: ['body', 's'], msg: 'String should have at most 2 characters', input: '😀😀😀', ctx: { max_length: 2 } }
  ])
  const inf = { n: Infinity, s: '😀😀' }
  const out2: ErrorItem[] = []
  t.ok(build(inf, { loc: ['body'], input: inf, schema, fromString: false, hasSecrets: false }, out2))
  t.strictSame(out2, [{ type: 'finite_number', loc: ['body', 'n'], msg: 'Input should be a finite number', input: 'Infinity' }])
})

t.test('string-sourced arguments are left to zod', async t => {
  const schema = z.object({ a: z.int() })
  const build = compileFastItems(schema)!
  t.equal(build({ a: 'x' }, { loc: ['query', 'a'], input: { a: 'x' }, schema, fromString: true, hasSecrets: false }, []), false)
  const value = { a: 'x' }
  t.equal(build(value, { loc: ['body'], input: { ...value }, schema, fromString: false, hasSecrets: false }, []), false, 'an input other than the value')
})

t.test('schemas without an exact fast path give null', async t => {
  for (const schema of [
    z.string().refine(s => s.length > 1), z.union([z.string(), z.number()]), z.date(), z.email(),
    z.strictObject({ a: z.string() }), z.object({ constructor: z.string() }), z.string().transform(s => s.length)
  ]) {
    t.equal(compileAjvErrorItems(schema), null)
  }
})

function hasUndefinedItem (value: unknown): boolean {
  if (Array.isArray(value)) return value.some(v => v === undefined || hasUndefinedItem(v))
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasUndefinedItem)
  return false
}
