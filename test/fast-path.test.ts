import t from 'tap'
import { inspect } from 'node:util'
import { z } from 'zod'
import { Field } from '../lib/index.js'
import { exactJsonSchema, responseCheckSchema } from '../lib/json-schema.js'
import { compileFastCheck, compileFastParse, compileFastSerializer, FAST_PARSE_FAIL, FAST_PATH_MISS } from '../lib/fast-path.js'
import { compileResponseModel, serializeJson } from '../lib/response-model.js'
import { mulberry32, pick, chance, NUMBERS, str, wrong, strings, numbers, oneOf, dates, array, object, clone, type Gen } from './generators.js'

/** A mismatch, printable (tap's diff cannot print an invalid Date). */
const show = (mismatch: object): string => inspect(mismatch, { depth: 5 })

/** Deep equality that tells -0 from 0, an absent key from an undefined one, and compares Dates by time. */
function same (a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime())
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]))
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length &&
      keys.every(k => Object.hasOwn(b, k) && same((a as any)[k], (b as any)[k]))
  }
  return Object.is(a, b)
}

// --- The schemas, and how to generate values for each.

enum Mixed { One = 1, Bee = 'b' }

const UserIn = z.object({
  name: Field(z.string(), { minLength: 3, pattern: /^[a-z-]+$/, examples: ['my-username'] }),
  password: Field(z.string(), { minLength: 5, secret: true })
})
const UserOut = z.object({ id: z.number().int(), name: z.string(), creation_date: z.date() })

interface Case { name: string, schema: z.ZodType, gen: Gen, output?: boolean, input?: boolean }

const CASES: Case[] = [
  { name: 'string min/max', schema: z.string().min(2).max(5), gen: strings() },
  { name: 'string length and pattern', schema: z.string().length(3).regex(/^[a-z]/), gen: strings(3) },
  { name: 'Field pattern', schema: Field(z.string(), { minLength: 3, pattern: /^[a-z-]+$/ }), gen: strings() },
  { name: 'int bounds', schema: z.number().int().gte(-3).lt(10), gen: numbers },
  { name: 'number gt/lte', schema: z.number().gt(1).lte(5), gen: numbers },
  { name: 'plain number', schema: z.number(), gen: numbers },
  { name: 'int32 and multipleOf', schema: z.int32().multipleOf(3), gen: numbers },
  { name: 'uint32', schema: z.uint32(), gen: numbers },
  { name: 'enum', schema: z.enum(['a', 'b', 'c']), gen: oneOf('a', 'b', 'c', 'd', 'A') },
  { name: 'native enum', schema: z.enum(Mixed), gen: oneOf(1, 'b', 'One', 'Bee', '1', 2) },
  { name: 'literal', schema: z.literal('x'), gen: oneOf('x', 'y', 'X') },
  { name: 'literal values', schema: z.literal([1, 'a', null, true]), gen: oneOf(1, 'a', null, true, false, '1', 0) },
  { name: 'boolean', schema: z.boolean(), gen: oneOf(true, false, 'true', 0, 1) },
  { name: 'null', schema: z.null(), gen: oneOf(null, 'null', 0) },
  { name: 'array min/max', schema: z.array(z.string().max(2)).min(1).max(3), gen: array(strings(3)) },
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
  { name: 'loose object', schema: z.looseObject({ a: z.string() }), gen: object({ a: strings() }), output: false },
  { name: 'top-level optional', schema: z.string().optional(), gen: wrong(r => chance(r, 0.3) ? undefined : str(r), 0.2) },
  { name: 'top-level default', schema: z.int().default(5), gen: wrong(r => chance(r, 0.3) ? undefined : pick(r, NUMBERS), 0.2) },
  { name: 'top-level nullable', schema: z.string().nullable(), gen: oneOf(null, 'a', '') },
  {
    name: 'nullable literal, enum, array',
    schema: z.object({ l: z.literal('a').nullable(), e: z.enum(['x', 'y']).nullish(), a: z.array(z.int()).nullable().nullable() }),
    gen: object({ l: oneOf('a', null, 'b'), e: oneOf('x', 'y', null, 'z'), a: wrong(r => chance(r, 0.3) ? null : array(numbers, 2)(r)) })
  },
  { name: 'UserIn', schema: UserIn, gen: object({ name: wrong(r => chance(r, 0.5) ? pick(r, ['my-user', 'abc', 'ab']) : str(r)), password: strings(9) }) },
  { name: 'UserOut', schema: UserOut, gen: object({ id: numbers, name: strings(), creation_date: dates }), input: false },
  {
    name: 'dates and key order in output',
    schema: z.object({
      first: z.string().optional(),
      when: z.date().nullable(),
      items: z.array(z.object({ at: z.date(), v: z.string().optional() })),
      def: z.int().default(7),
      req: z.int()
    }),
    gen: object({
      first: strings(),
      when: wrong(r => chance(r, 0.2) ? null : dates(r)),
      items: array(object({ at: dates, v: strings() }), 2),
      def: numbers,
      req: numbers
    }),
    input: false
  },
  // A field marked secret is written "**********" by both paths (pydantic's SecretStr), null as null.
  {
    name: 'secrets at every depth',
    schema: z.object({
      user: z.string(),
      password: Field(z.string(), { secret: true }),
      pin: Field(z.int(), { secret: true }).optional(),
      hint: Field(z.string().nullable(), { secret: true }),
      keys: z.array(Field(z.string(), { secret: true })).max(3),
      creds: Field(z.object({ a: z.string() }), { secret: true }).nullish(),
      nested: z.object({ token: Field(z.string(), { secret: true }).default('t'), n: z.int() }),
      when: Field(z.date(), { secret: true }).optional()
    }),
    gen: object({
      user: strings(),
      password: strings(),
      pin: numbers,
      hint: oneOf('h', null, ''),
      keys: array(strings(), 4),
      creds: wrong(r => chance(r, 0.3) ? null : object({ a: strings() })(r)),
      nested: object({ token: strings(), n: numbers }),
      when: dates
    }),
    input: false
  },
  { name: 'a secret model', schema: Field(z.object({ a: z.string() }), { secret: true }), gen: object({ a: strings() }), input: false },
  { name: 'a list of secrets, nullable', schema: z.array(Field(z.string(), { secret: true }).nullable()), gen: array(wrong(r => chance(r, 0.3) ? null : str(r))), input: false }
]

const PER_CASE = 100

for (const c of CASES) {
  if (c.input !== false) {
    t.test(`input: ${c.name}`, async t => {
      const check = compileFastCheck(c.schema)
      const parse = compileFastParse(c.schema)
      if (check === null || parse === null) return t.fail('expected an exact schema')
      const r = mulberry32(c.name.length * 7919)
      const mismatches: unknown[] = []
      let valid = 0
      for (let i = 0; i < PER_CASE; i++) {
        const value = c.gen(r)
        const expected = c.schema.safeParse(clone(value))
        const checked = clone(value)
        const ok = check(checked)
        const parsed = parse(clone(value))
        if (expected.success) valid++
        // A top-level default is the one case the boolean check leaves to zod.
        const deferred = value === undefined && expected.success && expected.data !== undefined
        if (ok !== (expected.success && !deferred)) {
          mismatches.push(show({ value, zod: expected.success, fast: ok }))
        } else if (ok && !same(checked, expected.data)) {
          mismatches.push(show({ value, zodData: expected.data, fastData: checked }))
        } else if (!ok && !same(checked, value)) {
          mismatches.push(show({ value, changedOnFailure: checked }))
        }
        if (expected.success ? !same(parsed, expected.data) : parsed !== FAST_PARSE_FAIL) {
          mismatches.push(show({ value, zodData: expected.success ? expected.data : 'fail', parsed }))
        }
      }
      t.same(mismatches, [], 'fast check agrees with zod')
      t.ok(valid >= 5 && valid <= PER_CASE - 5, `both valid and invalid values (${valid} valid)`)
    })
  }
  if (c.output !== false) {
    t.test(`output: ${c.name}`, async t => {
      const serialize = compileFastSerializer(c.schema)
      if (serialize === null) return t.fail('expected an exact response model')
      // The zod path: what the route sends when the fast path is not taken.
      const filter = compileResponseModel(c.schema, {})
      const r = mulberry32(c.name.length * 104729)
      const mismatches: unknown[] = []
      let valid = 0
      for (let i = 0; i < PER_CASE; i++) {
        const value = c.gen(r)
        const before = clone(value)
        const expected = c.schema.safeParse(value)
        let json: string | Error
        try {
          json = serialize(value)
        } catch (err) {
          json = err as Error
        }
        if (expected.success) valid++
        if (!same(value, before)) mismatches.push(show({ value, changed: true }))
        if (expected.success) {
          // undefined at the top is left to zod (it may become a default, or no body).
          const wanted = value === undefined ? FAST_PATH_MISS : serializeJson(filter(value))
          if (json !== wanted) mismatches.push(show({ value, zod: wanted, fast: json }))
        } else if (json !== FAST_PATH_MISS) {
          mismatches.push(show({ value, zod: 'fails', fast: json }))
        }
      }
      t.same(mismatches, [], 'fast serializer agrees with the zod path, JSON.stringify(zod output) with secrets redacted')
      t.ok(valid >= 5 && valid <= PER_CASE - 5, `both valid and invalid values (${valid} valid)`)
    })
  }
}

t.test('the seed models, by hand', async t => {
  const check = compileFastCheck(UserIn)!
  const body = { name: 'my-user', password: 'secret', extra: 1 }
  t.equal(check(body), true)
  t.same(body, { name: 'my-user', password: 'secret' }, 'undeclared keys are dropped in place')
  const bad = { name: 'MY', password: 'x', extra: 1 }
  t.equal(check(bad), false)
  t.same(bad, { name: 'MY', password: 'x', extra: 1 }, 'a rejected value is left as sent')
  t.equal(check('a string'), false)

  const serialize = compileFastSerializer(UserOut)!
  const user = { id: 42, name: 'x', creation_date: new Date('2024-01-01T12:00:00Z'), password: 'p' }
  t.equal(serialize(user), '{"id":42,"name":"x","creation_date":"2024-01-01T12:00:00.000Z"}')
  t.throws(() => serialize({ ...user, creation_date: '2024-01-01' }), FAST_PATH_MISS)
  t.throws(() => serialize({ ...user, creation_date: new Date(NaN) }), FAST_PATH_MISS)
  t.throws(() => serialize(undefined), FAST_PATH_MISS)
})

t.test('lengths in code points and flag-less patterns, as zod counts them', async t => {
  const check = compileFastCheck(z.string().max(2).regex(/^.+$/))!
  t.equal(check('😀😀'), true, 'an astral character counts once')
  t.equal(check('😀😀a'), false)
  t.equal(check('\ud800\ud800\ud800'), false, 'a lone surrogate counts once')
  t.equal(check('\ud800\udc00a'), true)
  t.equal(z.string().max(2).regex(/^.+$/).safeParse('😀😀').success, true, 'zod agrees')
})

t.test('a field marked secret is written "**********" by the compiled serializer', async t => {
  const Secret = Field(z.string(), { secret: true })
  const model = z.object({
    user: z.string(),
    password: Secret,
    hint: Secret.nullable(),
    backup: Secret.optional(),
    pins: z.array(Field(z.int(), { secret: true })),
    token: Field(z.string(), { secret: true, default: 'dflt' })
  })
  const serialize = compileFastSerializer(model)
  if (serialize === null) return t.fail('expected an exact response model')
  const value = { user: 'ann', password: 'hunter2', hint: null, pins: [1234], extra: 'x' }
  const stars = '"**********"'
  t.equal(serialize(value), `{"user":"ann","password":${stars},"hint":null,"pins":[${stars}],"token":${stars}}`)
  t.equal(serialize(value), serializeJson(compileResponseModel(model, {})(value)), 'the zod path\'s bytes')
  t.equal(compileFastSerializer(Secret)?.('hunter2'), stars, 'a secret model')
  // Without a secret, the same serializer as before: the value as it is.
  t.equal(compileFastSerializer(z.object({ password: z.string() }))?.({ password: 'hunter2' }), '{"password":"hunter2"}')
})

t.test('exact JSON Schemas', async t => {
  t.same(exactJsonSchema(UserIn, 'input'), {
    type: 'object',
    properties: { name: { type: 'string', minLength: 3, pattern: '^[a-z-]+$' }, password: { type: 'string', minLength: 5 } },
    required: ['name', 'password'],
    additionalProperties: false
  }, 'metadata (examples, format: password) stays out')
  t.match(exactJsonSchema(UserOut, 'output'), {
    properties: { creation_date: { type: 'string', format: 'date-time' } },
    additionalProperties: false
  })
  t.same(responseCheckSchema(UserOut)?.properties, {
    id: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
    name: { type: 'string' },
    creation_date: { ffaDate: true }
  })
  t.equal(exactJsonSchema(UserOut, 'input'), null, 'a date is not exact on input')
  t.match(exactJsonSchema(z.looseObject({ a: z.string() }), 'input'), { additionalProperties: {} })
})

const Node: z.ZodType = z.object({ name: z.string(), get children () { return z.array(Node) } })

const REJECTED: Array<[string, z.ZodType, ('input' | 'output')[]]> = [
  ['refine', z.string().refine(s => s.length > 1), ['input', 'output']],
  ['superRefine', z.int().superRefine(() => {}), ['input', 'output']],
  ['refine on an object', z.object({ a: z.string() }).refine(() => true), ['input', 'output']],
  ['refine on an optional', z.string().optional().refine(() => true), ['input', 'output']],
  ['custom', z.custom<string>(v => typeof v === 'string'), ['input', 'output']],
  ['instanceof', z.instanceof(Map), ['input', 'output']],
  ['transform', z.string().transform(s => s.length), ['input', 'output']],
  ['pipe', z.string().pipe(z.string().min(1)), ['input', 'output']],
  ['preprocess', z.preprocess(v => v, z.string()), ['input', 'output']],
  ['catch', z.string().catch('x'), ['input', 'output']],
  ['trim', z.string().trim(), ['input', 'output']],
  ['coerce', z.coerce.number(), ['input', 'output']],
  ['strictObject', z.strictObject({ a: z.string() }), ['input', 'output']],
  ['catchall', z.object({ a: z.string() }).catchall(z.string()), ['input', 'output']],
  ['looseObject on output', z.looseObject({ a: z.string() }), ['output']],
  ['union of objects', z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]), ['input', 'output']],
  ['union of scalars', z.union([z.string(), z.number()]), ['input', 'output']],
  ['record', z.record(z.string(), z.number()), ['input', 'output']],
  ['lazy', z.lazy(() => z.string()), ['input', 'output']],
  ['recursive getter', Node, ['input', 'output']],
  ['tuple', z.tuple([z.string(), z.number()]), ['input', 'output']],
  ['date on input', z.date(), ['input']],
  ['date with min', z.date().min(new Date(0)), ['output']],
  ['bigint', z.bigint(), ['input', 'output']],
  ['set', z.set(z.string()), ['input', 'output']],
  ['map', z.map(z.string(), z.string()), ['input', 'output']],
  ['email', z.email(), ['input', 'output']],
  ['uuid', z.string().uuid(), ['input', 'output']],
  ['startsWith', z.string().startsWith('a'), ['input', 'output']],
  ['regex with g', z.string().regex(/a/g), ['input', 'output']],
  ['regex with y', z.string().regex(/a/y), ['input', 'output']],
  ['regex with i', z.string().regex(/a/i), ['input', 'output']],
  ['multipleOf a fraction', z.number().multipleOf(0.1), ['input', 'output']],
  ['multipleOf on a float', z.number().multipleOf(2), ['input', 'output']],
  ['float32', z.float32(), ['input', 'output']],
  ['bigint bound on a number', z.number().check(z.gt(1n)), ['input', 'output']],
  ['any', z.any(), ['input', 'output']],
  ['unknown', z.object({ a: z.unknown() }), ['input', 'output']],
  ['undefined literal', z.literal(undefined), ['input', 'output']],
  ['optional array item', z.array(z.string().optional()), ['input', 'output']],
  ['default inside nullable', z.object({ a: z.string().default('x').nullable() }), ['input', 'output']],
  ['invalid default', z.object({ a: z.string().min(3).default('x') }), ['input', 'output']],
  ['default stripped by its schema', z.object({ a: z.object({ b: z.int() }).default({ b: 1, c: 2 } as any) }), ['input', 'output']],
  ['random default', z.object({ a: z.number().default(() => Math.random()) }), ['input', 'output']],
  ['date default', z.object({ a: z.date().default(() => new Date()) }), ['output']],
  ['prefault', z.string().prefault('x'), ['input', 'output']],
  ['readonly', z.object({ a: z.string() }).readonly(), ['input', 'output']],
  ['nonoptional', z.string().optional().nonoptional(), ['input', 'output']],
  ['__proto__ key', z.object({ ['__proto__']: z.string() }), ['input', 'output']]
]

t.test('constructs JSON Schema cannot express exactly give null', async t => {
  for (const [name, schema, ios] of REJECTED) {
    for (const io of ios) t.equal(exactJsonSchema(schema, io), null, `${name} (${io})`)
    if (ios.includes('input')) {
      t.equal(compileFastCheck(schema), null, `${name}: no fast check`)
      t.equal(compileFastParse(schema), null, `${name}: no fast parse`)
    }
    if (ios.includes('output')) t.equal(compileFastSerializer(schema), null, `${name}: no fast serializer`)
  }
})
