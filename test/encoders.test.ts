import t from 'tap'
import { z } from 'zod'
import { jsonableEncoder, type JsonableEncoderOptions } from '../lib/index.js'

// The fixtures of FastAPI's tests/test_jsonable_encoder.py.
class Person {
  name: string
  constructor (name: string) { this.name = name }
  get shout (): string { return this.name.toUpperCase() } // on the prototype: not a field
}

class Pet {
  owner: Person
  name: string
  #secret = 'hidden' // a private field is not an own enumerable key, like a name-mangled __attr
  constructor (owner: Person, name: string) {
    this.owner = owner
    this.name = name
  }

  secret (): string { return this.#secret }
}

const pet = { name: 'Firulais', owner: { name: 'Foo' } }
const petInstance = new Pet(new Person('Foo'), 'Firulais')
const withAddress = { name: 'Ann', password: 'x', address: { street: 'Main', zip: '1000' } }

function * counter (): Generator<number> {
  yield 1
  yield 2
}

interface Case {
  name: string
  input: unknown
  options?: JsonableEncoderOptions
  expected: unknown
}

const cases: Case[] = [
  // jsonable_encoder(pet) == {"name": "Firulais", "owner": {"name": "Foo"}}
  { name: 'plain object', input: pet, expected: pet },
  // jsonable_encoder(pet, include={"name"})
  { name: 'include as keys', input: pet, options: { include: ['name'] }, expected: { name: 'Firulais' } },
  // jsonable_encoder(pet, exclude={"owner"})
  { name: 'exclude as keys', input: pet, options: { exclude: ['owner'] }, expected: { name: 'Firulais' } },
  // jsonable_encoder(pet, include={}) == {}
  { name: 'empty include keeps nothing', input: pet, options: { include: [] }, expected: {} },
  // jsonable_encoder(pet, include={}) == {}  (a dict spelling of the empty set)
  { name: 'empty include object keeps nothing', input: pet, options: { include: {} }, expected: {} },
  // jsonable_encoder(pet, exclude={}) == pet
  { name: 'empty exclude drops nothing', input: pet, options: { exclude: [] }, expected: pet },
  // jsonable_encoder(pet, include={"name"}) with a Python set
  { name: 'include as a Set', input: pet, options: { include: new Set(['name']) }, expected: { name: 'Firulais' } },
  // jsonable_encoder(pet, include={"name": True})
  { name: 'include as an object', input: pet, options: { include: { name: true } }, expected: { name: 'Firulais' } },
  // jsonable_encoder(pet, include={"name"}, exclude={"name"}) == {}
  { name: 'exclude wins over include', input: pet, options: { include: ['name'], exclude: ['name'] }, expected: {} },
  // user.model_dump(mode="json", exclude={"password": True, "address": {"zip"}})
  {
    name: 'nested exclude',
    input: withAddress,
    options: { exclude: { password: true, address: ['zip'] } },
    expected: { name: 'Ann', address: { street: 'Main' } }
  },
  // user.model_dump(mode="json", include={"name": True, "address": {"zip": True}})
  {
    name: 'nested include',
    input: withAddress,
    options: { include: { name: true, address: { zip: true } } },
    expected: { name: 'Ann', address: { zip: '1000' } }
  },
  // jsonable_encoder([pet], include={"name"}) == [{"name": "Firulais"}]  (a list passes the filter to each item)
  { name: 'a filter applies to each list item', input: [pet, pet], options: { include: ['name'] }, expected: [{ name: 'Firulais' }, { name: 'Firulais' }] },
  // model.model_dump(exclude={"c": {"__all__": {"b"}}})
  {
    name: 'exclude __all__ items of a nested list',
    input: { c: [{ a: 1, b: 'aa' }, { a: 2, b: 'ba' }] },
    options: { exclude: { c: { __all__: ['b'] } } },
    expected: { c: [{ a: 1 }, { a: 2 }] }
  },
  // model.model_dump(include={"c": {"__all__": {"a"}}})
  {
    name: 'include __all__ items of a nested list',
    input: { c: [{ a: 1, b: 'aa' }], d: 1 },
    options: { include: { c: { __all__: ['a'] } } },
    expected: { c: [{ a: 1 }] }
  },
  // model.model_dump(exclude={"c": {"__all__": True}}) == {"c": []}
  { name: 'exclude every item', input: { c: [1, 2], d: 3 }, options: { exclude: { c: { __all__: true } } }, expected: { c: [], d: 3 } },
  // model.model_dump(include={"c": {"__all__": True}})
  { name: 'include every item', input: { c: [1, 2], d: 3 }, options: { include: { c: { __all__: true } } }, expected: { c: [1, 2] } },
  // jsonable_encoder(pet) for class Pet / Person instances: vars(obj), recursively
  { name: 'class instances give their own fields', input: petInstance, expected: { owner: { name: 'Foo' }, name: 'Firulais' } },
  // jsonable_encoder(pet, include={"name"}) on a class instance
  { name: 'include on a class instance', input: petInstance, options: { include: ['name'] }, expected: { name: 'Firulais' } },
  // jsonable_encoder(pet, exclude={"owner"}) on a class instance
  { name: 'exclude on a class instance', input: petInstance, options: { exclude: ['owner'] }, expected: { name: 'Firulais' } },
  // jsonable_encoder(datetime(2024, 1, 1, 12, tzinfo=timezone.utc)) == "2024-01-01T12:00:00+00:00"
  { name: 'Date', input: new Date(Date.UTC(2024, 0, 1, 12)), expected: '2024-01-01T12:00:00.000Z' },
  // no Python equivalent: an invalid Date, written as JSON.stringify does
  { name: 'invalid Date', input: { at: new Date('nope') }, expected: { at: null } },
  // jsonable_encoder(42) == 42
  { name: 'safe bigint', input: { id: 42n, max: 2n ** 53n - 1n, min: -(2n ** 53n - 1n) }, expected: { id: 42, max: 2 ** 53 - 1, min: -(2 ** 53 - 1) } },
  // jsonable_encoder(2**64) == 18446744073709551616  (Python ints are exact; a JS number is not)
  { name: 'unsafe bigint', input: { big: 2n ** 64n, high: 2n ** 53n, low: -(2n ** 53n) }, expected: { big: '18446744073709551616', high: '9007199254740992', low: '-9007199254740992' } },
  // jsonable_encoder(Decimal("NaN")) is nan, which JSONResponse then refuses to render
  { name: 'NaN and Infinity', input: [NaN, Infinity, -Infinity, 1.5], expected: [null, null, null, 1.5] },
  // jsonable_encoder("x"), (True), (None)
  { name: 'primitives', input: ['x', true, false, null, 0], expected: ['x', true, false, null, 0] },
  // jsonable_encoder({1: "a", True: "b", None: "c"}) then json.dumps → {"1": "a", "true": "b", "null": "c"}
  {
    name: 'Map keys are encoded, then stringified',
    input: new Map<unknown, unknown>([[1, 'a'], [true, 'b'], [null, 'c'], [new Date(0), 'd'], [10n, 'e'], ['s', new Set([1])]]),
    expected: { 1: 'a', true: 'b', null: 'c', '1970-01-01T00:00:00.000Z': 'd', 10: 'e', s: [1] }
  },
  // jsonable_encoder({"a": 1, "b": 2}, include={"a"})
  { name: 'include on a Map', input: new Map([['a', 1], ['b', 2]]), options: { include: ['a'] }, expected: { a: 1 } },
  // jsonable_encoder({1, 2}) == [1, 2]
  { name: 'Set', input: new Set([1, 2]), expected: [1, 2] },
  // jsonable_encoder(frozenset({pet}), include={"name"})
  { name: 'a filter applies to each Set item', input: new Set([pet]), options: { exclude: ['owner'] }, expected: [{ name: 'Firulais' }] },
  // jsonable_encoder(b"hi") == "hi"
  { name: 'Buffer', input: { data: Buffer.from('héllo') }, expected: { data: 'héllo' } },
  // jsonable_encoder(b"hi") == "hi"
  { name: 'Uint8Array, ArrayBuffer, DataView', input: [new TextEncoder().encode('a'), new TextEncoder().encode('b').buffer, new DataView(new TextEncoder().encode('c').buffer)], expected: ['a', 'b', 'c'] },
  // jsonable_encoder(array.array("d", [1.5])) has no encoder in FastAPI; here typed arrays are lists of numbers
  { name: 'other typed arrays', input: [new Float64Array([1.5, NaN]), new BigInt64Array([3n])], expected: [[1.5, null], [3]] },
  // jsonable_encoder(x for x in (1, 2)) == [1, 2]
  { name: 'generator', input: counter(), expected: [1, 2] },
  // jsonable_encoder(deque([1, 2])) == [1, 2]
  { name: 'iterator', input: new Map([['a', 1], ['b', 2]]).values(), expected: [1, 2] },
  // no Python equivalent: undefined, functions and symbols follow JSON.stringify
  {
    name: 'undefined, functions and symbols',
    input: { a: undefined, f: () => 1, s: Symbol('s'), list: [undefined, () => 1, Symbol('s')], kept: 1 },
    expected: { list: [null, null, null], kept: 1 }
  },
  // jsonable_encoder(Undefined) is None
  { name: 'top-level undefined', input: undefined, expected: null },
  // jsonable_encoder(item) for an object FastAPI knows how to encode: Url → str
  { name: 'toJSON', input: { url: new URL('https://example.com/a?b=1'), custom: { toJSON: () => ({ at: new Date(0), n: 1n }) } }, expected: { url: 'https://example.com/a?b=1', custom: { at: '1970-01-01T00:00:00.000Z', n: 1 } } },
  // no Python equivalent: a toJSON() that returns the object itself writes its fields
  { name: 'toJSON returning itself', input: { a: 1, toJSON () { return this } }, expected: { a: 1 } },
  // jsonable_encoder(re.compile("a+")) == "a+"
  { name: 'RegExp', input: /a+/g, expected: 'a+' },
  // no Python equivalent: boxed primitives are unboxed, as JSON.stringify does
  // eslint-disable-next-line no-new-wrappers
  { name: 'boxed primitives', input: [new String('s'), new Number(1), new Boolean(false), Object(5n)], expected: ['s', 1, false, 5] },
  // jsonable_encoder({"a": None, "b": {"c": None, "d": 1}, "e": [None, {"f": None}]}, exclude_none=True)
  {
    name: 'excludeNone at every depth, list items stay',
    input: { a: null, b: { c: null, d: 1 }, e: [null, { f: null }], u: undefined },
    options: { excludeNone: true },
    expected: { b: { d: 1 }, e: [null, {}] }
  },
  // jsonable_encoder({"a": None}) == {"a": None}
  { name: 'null kept without excludeNone', input: { a: null }, expected: { a: null } },
  // jsonable_encoder({1: None, 2: 0}, exclude_none=True) == {2: 0}
  { name: 'excludeNone on Map values', input: new Map([[1, null], [2, 0]]), options: { excludeNone: true }, expected: { 2: 0 } },
  // jsonable_encoder(Pet(owner=None, name="x"), exclude_none=True) == {"name": "x"}
  { name: 'excludeNone on a class instance', input: new Pet(null as unknown as Person, 'x'), options: { excludeNone: true }, expected: { name: 'x' } },
  // a = {"x": 1}; jsonable_encoder({"a": a, "b": a}) — a shared object is not a cycle
  { name: 'shared references', input: (() => { const x = { v: 1 }; return { a: x, b: [x, x] } })(), expected: { a: { v: 1 }, b: [{ v: 1 }, { v: 1 }] } },
  // jsonable_encoder({"__proto__": 1}) == {"__proto__": 1}
  { name: 'a "__proto__" key is kept as a field', input: JSON.parse('{"__proto__": {"x": 1}, "a": 2}'), expected: JSON.parse('{"__proto__": {"x": 1}, "a": 2}') },
  // jsonable_encoder({"a": 1}) for a dict with no class
  { name: 'null-prototype object', input: Object.assign(Object.create(null), { a: 1 }), expected: { a: 1 } }
]

t.test('jsonableEncoder', async t => {
  for (const c of cases) {
    t.test(c.name, async t => {
      const out = jsonableEncoder(c.input, c.options)
      t.strictSame(out, c.expected)
      // strictSame does not see an own "__proto__" key, nor key order; the JSON text does.
      t.equal(JSON.stringify(out), JSON.stringify(c.expected))
      t.strictSame(JSON.parse(JSON.stringify(out)), out, 'the result survives a JSON round trip unchanged')
    })
  }
})

t.test('a zod-parsed model, with FastAPI-like options', async t => {
  // item = Item(**data); jsonable_encoder(item, exclude={"internal"}) — a pydantic model dumped in JSON mode
  const Item = z.object({
    id: z.bigint(),
    title: z.string(),
    updated: z.date(),
    tags: z.set(z.string()),
    scores: z.map(z.string(), z.number()),
    description: z.string().nullable(),
    internal: z.string()
  })
  const item = Item.parse({
    id: 7n,
    title: 'Foo',
    updated: new Date(Date.UTC(2024, 0, 2)),
    tags: new Set(['a', 'b']),
    scores: new Map([['x', 1]]),
    description: null,
    internal: 'secret'
  })
  t.strictSame(jsonableEncoder(item, { exclude: ['internal'], excludeNone: true }), {
    id: 7,
    title: 'Foo',
    updated: '2024-01-02T00:00:00.000Z',
    tags: ['a', 'b'],
    scores: { x: 1 }
  })
})

t.test('the input is not changed', async t => {
  const input = { a: null, b: { c: new Date(0) }, d: [1n] }
  jsonableEncoder(input, { excludeNone: true, exclude: { b: ['c'] } })
  t.strictSame(input, { a: null, b: { c: new Date(0) }, d: [1n] })
})

interface ErrorCase {
  name: string
  input: () => unknown
  options?: unknown
  message: RegExp
}

const errorCases: ErrorCase[] = [
  // no Python equivalent: a cyclic dict makes jsonable_encoder hit RecursionError
  { name: 'a self-reference', input: () => { const a: Record<string, unknown> = {}; a.self = a; return a }, message: /circular reference: \$\.self refers back to \$,/ },
  // the same, deeper, through a list
  {
    name: 'a cycle through a list',
    input: () => { const owner: Record<string, unknown> = { name: 'Foo' }; owner.pets = [{ name: 'Rex', owner }]; return { owner } },
    message: /\$\.owner\.pets\[0\]\.owner refers back to \$\.owner,/
  },
  // the same, through a Map and a key that is not an identifier
  {
    name: 'a cycle through a Map',
    input: () => { const m = new Map<string, unknown>(); m.set('a b', [m]); return m },
    message: /\$\["a b"\]\[0\] refers back to \$,/
  },
  // the same, through the result of toJSON()
  {
    name: 'a cycle through toJSON()',
    input: () => { const a: Record<string, unknown> = { toJSON: () => ({ again: a }) }; return { a } },
    message: /\$\.a\.again refers back to \$\.a,/
  },
  // jsonable_encoder(b"\xff") raises UnicodeDecodeError
  { name: 'bytes that are not UTF-8', input: () => ({ data: Buffer.from([0xff]) }), message: /bytes at \$\.data are not valid UTF-8/ },
  // jsonable_encoder(some_coroutine()) raises ValueError (no __iter__, no __dict__)
  { name: 'a Promise', input: () => ({ p: Promise.resolve(1) }), message: /\$\.p is a Promise; await it first/ },
  // jsonable_encoder({(1, 2): 1}) encodes the key to [1, 2], which json.dumps refuses
  { name: 'a Map key that is an object', input: () => new Map([[[1, 2], 1]]), message: /a key of the Map at \$ is an object/ },
  // the same for a key that has no JSON form
  { name: 'a Map key that is a symbol', input: () => new Map([[Symbol('k'), 1]]), message: /a key of the Map at \$ is symbol/ },
  // jsonable_encoder(x, exclude_unset=True) only works on models
  { name: 'excludeUnset', input: () => ({}), options: { excludeUnset: true }, message: /option "excludeUnset" is not supported: .*responseModelExcludeUnset/ },
  // jsonable_encoder(x, exclude_defaults=True) only works on models
  { name: 'excludeDefaults', input: () => ({}), options: { excludeDefaults: true }, message: /option "excludeDefaults" is not supported/ },
  // jsonable_encoder(x, by_alias=False)
  { name: 'byAlias', input: () => ({}), options: { byAlias: true }, message: /option "byAlias" is not supported/ },
  // jsonable_encoder(x, exclude_nones=True) raises TypeError (unexpected keyword argument)
  { name: 'an unknown option', input: () => ({}), options: { exclude_none: true }, message: /unknown option "exclude_none"/ },
  // jsonable_encoder(x, include={"a": 1}): pydantic wants True or a nested set/dict
  { name: 'a bad nested filter', input: () => ({}), options: { include: { a: { b: false } } }, message: /include\.a\.b must be true, an array of keys or an object/ },
  // jsonable_encoder(x, include="a")
  { name: 'a filter that is a string', input: () => ({}), options: { exclude: 'a' }, message: /exclude must be an array of keys or an object, got string/ }
]

t.test('jsonableEncoder errors', async t => {
  for (const c of errorCases) {
    t.test(c.name, async t => {
      t.throws(() => jsonableEncoder(c.input(), c.options as JsonableEncoderOptions), { name: 'TypeError', message: c.message })
    })
  }
})
