import t from 'tap'
import { z } from 'zod'
import { Path } from '../lib/index.js'
import { build, parsing, runEchoCases, type EchoCase } from './helper.js'

const P = 'path'

const cases: EchoCase[] = [
  // required (a path parameter always is)
  { name: 'string', route: '/items/:itemId', args: { itemId: Path(z.string()) }, request: { url: '/items/foo' }, status: 200, body: { itemId: 'foo' } },
  { name: 'percent-decoded', route: '/items/:itemId', args: { itemId: Path(z.string()) }, request: { url: '/items/a%20b' }, status: 200, body: { itemId: 'a b' } },
  // coercion: integer
  { name: 'int', route: '/items/:itemId', args: { itemId: Path(z.number().int()) }, request: { url: '/items/42' }, status: 200, body: { itemId: 42 } },
  { name: 'int with a zero fraction', route: '/items/:itemId', args: { itemId: Path(z.int()) }, request: { url: '/items/7.0' }, status: 200, body: { itemId: 7 } },
  { name: 'negative int', route: '/items/:itemId', args: { itemId: Path(z.int()) }, request: { url: '/items/-3' }, status: 200, body: { itemId: -3 } },
  { name: 'int_parsing: word', route: '/items/:itemId', args: { itemId: Path(z.number().int()) }, request: { url: '/items/foo' }, status: 422, body: { detail: [parsing.int('foo', P, 'itemId')] } },
  { name: 'int_parsing: fraction', route: '/items/:itemId', args: { itemId: Path(z.int()) }, request: { url: '/items/4.5' }, status: 422, body: { detail: [parsing.int('4.5', P, 'itemId')] } },
  { name: 'int_parsing: exponent', route: '/items/:itemId', args: { itemId: Path(z.int()) }, request: { url: '/items/1e3' }, status: 422, body: { detail: [parsing.int('1e3', P, 'itemId')] } },
  // coercion: float
  { name: 'float', route: '/items/:price', args: { price: Path(z.number()) }, request: { url: '/items/1.5' }, status: 200, body: { price: 1.5 } },
  { name: 'float from an integer string', route: '/items/:price', args: { price: Path(z.number()) }, request: { url: '/items/3' }, status: 200, body: { price: 3 } },
  { name: 'float_parsing', route: '/items/:price', args: { price: Path(z.number()) }, request: { url: '/items/cheap' }, status: 422, body: { detail: [parsing.float('cheap', P, 'price')] } },
  { name: 'float_parsing: inf is refused', route: '/items/:price', args: { price: Path(z.number()) }, request: { url: '/items/inf' }, status: 422, body: { detail: [parsing.float('inf', P, 'price')] } },
  // coercion: boolean
  { name: 'bool true', route: '/flags/:on', args: { on: Path(z.boolean()) }, request: { url: '/flags/yes' }, status: 200, body: { on: true } },
  { name: 'bool false', route: '/flags/:on', args: { on: Path(z.boolean()) }, request: { url: '/flags/Off' }, status: 200, body: { on: false } },
  { name: 'bool_parsing', route: '/flags/:on', args: { on: Path(z.boolean()) }, request: { url: '/flags/maybe' }, status: 422, body: { detail: [parsing.bool('maybe', P, 'on')] } },
  // alias: the URL names the wire name
  { name: 'alias', route: '/items/:item_id', args: { itemId: Path(z.int(), { alias: 'item_id' }) }, request: { url: '/items/5' }, status: 200, body: { itemId: 5 } },
  { name: 'alias in loc', route: '/items/:item_id', args: { itemId: Path(z.int(), { alias: 'item_id' }) }, request: { url: '/items/x' }, status: 422, body: { detail: [parsing.int('x', P, 'item_id')] } },
  // FastAPI's {braces} syntax
  { name: 'FastAPI braces', route: '/users/{user_id}', args: { user_id: Path(z.string()) }, request: { url: '/users/me' }, status: 200, body: { user_id: 'me' } },
  // constraints, with the input as received (a string)
  {
    name: 'ge',
    route: '/items/:itemId',
    args: { itemId: Path(z.int(), { ge: 1 }) },
    request: { url: '/items/0' },
    status: 422,
    body: { detail: [{ type: 'greater_than_equal', loc: [P, 'itemId'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } }] }
  },
  {
    name: 'gt',
    route: '/items/:itemId',
    args: { itemId: Path(z.int(), { gt: 0 }) },
    request: { url: '/items/0' },
    status: 422,
    body: { detail: [{ type: 'greater_than', loc: [P, 'itemId'], msg: 'Input should be greater than 0', input: '0', ctx: { gt: 0 } }] }
  },
  {
    name: 'le',
    route: '/items/:itemId',
    args: { itemId: Path(z.int(), { le: 1000 }) },
    request: { url: '/items/1001' },
    status: 422,
    body: { detail: [{ type: 'less_than_equal', loc: [P, 'itemId'], msg: 'Input should be less than or equal to 1000', input: '1001', ctx: { le: 1000 } }] }
  },
  {
    name: 'lt with a float bound',
    route: '/items/:size',
    args: { size: Path(z.number(), { lt: 10.5 }) },
    request: { url: '/items/10.5' },
    status: 422,
    body: { detail: [{ type: 'less_than', loc: [P, 'size'], msg: 'Input should be less than 10.5', input: '10.5', ctx: { lt: 10.5 } }] }
  },
  { name: 'ge and le pass', route: '/items/:itemId', args: { itemId: Path(z.int(), { ge: 1, le: 1000 }) }, request: { url: '/items/1000' }, status: 200, body: { itemId: 1000 } },
  {
    name: 'enum',
    route: '/models/:modelName',
    args: { modelName: Path(z.enum(['alexnet', 'resnet', 'lenet'])) },
    request: { url: '/models/vgg' },
    status: 422,
    body: { detail: [{ type: 'enum', loc: [P, 'modelName'], msg: "Input should be 'alexnet', 'resnet' or 'lenet'", input: 'vgg', ctx: { expected: "'alexnet', 'resnet' or 'lenet'" } }] }
  },
  { name: 'enum passes', route: '/models/:modelName', args: { modelName: Path(z.enum(['alexnet', 'resnet', 'lenet'])) }, request: { url: '/models/resnet' }, status: 200, body: { modelName: 'resnet' } },
  {
    name: 'string_too_short',
    route: '/users/:name',
    args: { name: Path(z.string(), { minLength: 3 }) },
    request: { url: '/users/ab' },
    status: 422,
    body: { detail: [{ type: 'string_too_short', loc: [P, 'name'], msg: 'String should have at least 3 characters', input: 'ab', ctx: { min_length: 3 } }] }
  },
  {
    name: 'string_pattern_mismatch',
    route: '/users/:name',
    args: { name: Path(z.string(), { pattern: /^[a-z-]+$/ }) },
    request: { url: '/users/Bob' },
    status: 422,
    body: { detail: [{ type: 'string_pattern_mismatch', loc: [P, 'name'], msg: "String should match pattern '^[a-z-]+$'", input: 'Bob', ctx: { pattern: '^[a-z-]+$' } }] }
  },
  {
    name: 'two path parameters fail together, in declaration order',
    route: '/a/:x/b/:y',
    args: { x: Path(z.int()), y: Path(z.boolean()) },
    request: { url: '/a/one/b/two' },
    status: 422,
    body: { detail: [parsing.int('one', P, 'x'), parsing.bool('two', P, 'y')] }
  }
]

runEchoCases(t, cases)

t.test('an optional or defaulted path parameter is a developer error', async t => {
  const app = await build(t)
  t.throws(() => app.api.get('/items/:id', { args: { id: Path(z.string().optional()) } }, () => null),
    { code: 'FFA_ERR_PATH_PARAM_OPTIONAL' })
  t.throws(() => app.api.get('/items/:id', { args: { id: Path(z.int(), { default: 1 }) } }, () => null),
    { code: 'FFA_ERR_PATH_PARAM_OPTIONAL' })
})

t.test('a list path parameter is a developer error', async t => {
  const app = await build(t)
  t.throws(() => app.api.get('/items/:id', { args: { id: Path(z.array(z.string())) } }, () => null),
    { code: 'FFA_ERR_PARAM_INVALID_SCHEMA' })
})

t.test('a path parameter missing from the URL is a developer error', async t => {
  const app = await build(t)
  t.throws(() => app.api.get('/items', { args: { id: Path(z.string()) } }, () => null),
    { code: 'FFA_ERR_PATH_PARAM_NOT_IN_URL' })
})
