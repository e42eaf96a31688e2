/**
 * The native path (ajv, fast-json-stringify) and the zod path must answer with the same bytes.
 * The same model is declared twice: as is (exact JSON Schema → native path) and with a no-op
 * refinement (no exact JSON Schema → zod path).
 */
import t from 'tap'
import { z } from 'zod'
import { build } from './helper.js'
import { Body, Field } from '../lib/index.js'
import { compileFastParse, compileFastSerializer } from '../lib/fast-path.js'

const Address = z.object({ street: z.string().min(1), zip: z.string().regex(/^\d{5}$/) })
const Model = z.object({
  name: Field(z.string(), { minLength: 3, maxLength: 8, pattern: /^[a-z]+$/ }),
  age: z.number().int().gte(0).lte(150),
  score: z.number().gt(0).optional(),
  kind: z.enum(['a', 'b', 'c']),
  tags: z.array(z.string().max(3)).max(3).default([]),
  address: Address.nullable(),
  password: Field(z.string(), { minLength: 5, secret: true })
})
const Slow = Model.refine(() => true)
const Out = z.object({ name: z.string(), age: z.number().int(), when: z.date(), address: Address.nullable() })
const SlowOut = Out.refine(() => true)

t.test('the declared models take the intended paths', async t => {
  t.not(compileFastParse(Model), null, 'Model is checked natively')
  t.equal(compileFastParse(Slow), null, 'a refinement sends it to zod')
  t.not(compileFastSerializer(Out), null, 'Out is serialized natively')
  t.equal(compileFastSerializer(SlowOut), null)
})

const good = { name: 'abc', age: 30, kind: 'a', address: null, password: 'secret', extra: true }
const bodies: unknown[] = [
  good,
  { ...good, tags: ['x', 'y'], score: 1.5, address: { street: 'Main', zip: '12345', more: 1 } },
  {},
  { ...good, name: 'AB', age: -1, kind: 'd', password: '123' },
  { ...good, name: 'abcdefghij', age: 1.5, score: 0, tags: ['long', 'x', 'y', 'z'] },
  { ...good, address: { street: '', zip: '1234' } },
  { ...good, address: 'nowhere', age: '30', kind: null },
  [],
  'text',
  42,
  null
]

t.test('same answer from both paths, valid and invalid bodies', async t => {
  const app = await build(t)
  app.api.post('/native', { args: { m: Body(Model) } }, ({ m }) => m)
  app.api.post('/zod', { args: { m: Body(Slow) } }, ({ m }) => m)
  for (const body of bodies) {
    const payload = JSON.stringify(body)
    const headers = { 'content-type': 'application/json' }
    const native = await app.inject({ method: 'POST', url: '/native', payload, headers })
    const slow = await app.inject({ method: 'POST', url: '/zod', payload, headers })
    t.equal(native.statusCode, slow.statusCode, `status for ${payload}`)
    if (native.statusCode === 200) {
      // The native path keeps the client's key order; zod writes the schema's.
      t.same(JSON.parse(native.body), JSON.parse(slow.body), `data for ${payload}`)
    } else {
      t.equal(native.body, slow.body, `422 body for ${payload}`)
      t.notMatch(native.body, /secret|123"/, 'no secret echoed')
    }
  }
})

t.test('same answer from both response paths', async t => {
  const app = await build(t)
  const returns: unknown[] = [
    { name: 'n', age: 1, when: new Date(0), address: null, password: 'x' },
    { name: 'n', age: 1, when: new Date(0), address: { street: 's', zip: '12345', x: 1 } },
    { name: 'n', age: 1.5, when: new Date(0), address: null },
    { name: 'n', age: 1, when: 'yesterday', address: null },
    { name: 'n' }
  ]
  returns.forEach((value, i) => {
    app.api.get(`/native/${i}`, { responseModel: Out }, () => value as any)
    app.api.get(`/zod/${i}`, { responseModel: SlowOut }, () => value as any)
  })
  for (let i = 0; i < returns.length; i++) {
    const native = await app.inject(`/native/${i}`)
    const slow = await app.inject(`/zod/${i}`)
    t.equal(native.statusCode, slow.statusCode, `status for return ${i}`)
    t.equal(native.body, slow.body, `body for return ${i}`)
  }
})
