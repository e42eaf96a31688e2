import t from 'tap'
import { z } from 'zod'
import { Query } from '../lib/index.js'
import { missing, parsing, runEchoCases, type EchoCase } from './helper.js'

const Q = 'query'

const cases: EchoCase[] = [
  // required
  { name: 'required: present', args: { q: Query(z.string()) }, request: { url: '/?q=foo' }, status: 200, body: { q: 'foo' } },
  { name: 'required: missing', args: { q: Query(z.string()) }, request: { url: '/' }, status: 422, body: { detail: [missing(Q, 'q')] } },
  { name: 'required: empty string is a value', args: { q: Query(z.string()) }, request: { url: '/?q=' }, status: 200, body: { q: '' } },
  { name: 'required: other keys do not count', args: { q: Query(z.string()) }, request: { url: '/?qq=1&Q=2' }, status: 422, body: { detail: [missing(Q, 'q')] } },
  { name: 'scalar: the last repeated key wins', args: { q: Query(z.string()) }, request: { url: '/?q=a&q=b' }, status: 200, body: { q: 'b' } },
  { name: 'url-decoded', args: { q: Query(z.string()) }, request: { url: '/?q=a%20b+c%26' }, status: 200, body: { q: 'a b c&' } },
  // optional
  { name: 'optional: missing', args: { q: Query(z.string().optional()) }, request: { url: '/' }, status: 200, body: {} },
  { name: 'optional: present', args: { q: Query(z.string().optional()) }, request: { url: '/?q=x' }, status: 200, body: { q: 'x' } },
  { name: 'nullish: missing', args: { q: Query(z.string().nullish()) }, request: { url: '/' }, status: 200, body: {} },
  { name: 'optional int: bad value still fails', args: { q: Query(z.int().optional()) }, request: { url: '/?q=x' }, status: 422, body: { detail: [parsing.int('x', Q, 'q')] } },
  // default
  { name: 'default: missing', args: { q: Query(z.string(), { default: 'fixed' }) }, request: { url: '/' }, status: 200, body: { q: 'fixed' } },
  { name: 'default: present', args: { q: Query(z.string(), { default: 'fixed' }) }, request: { url: '/?q=given' }, status: 200, body: { q: 'given' } },
  { name: 'default int: missing', args: { skip: Query(z.int(), { default: 0 }), limit: Query(z.int(), { default: 10 }) }, request: { url: '/' }, status: 200, body: { skip: 0, limit: 10 } },
  { name: 'default int: coerced', args: { skip: Query(z.int(), { default: 0 }), limit: Query(z.int(), { default: 10 }) }, request: { url: '/?skip=5&limit=20' }, status: 200, body: { skip: 5, limit: 20 } },
  { name: 'default int: bad value', args: { skip: Query(z.int(), { default: 0 }) }, request: { url: '/?skip=ten' }, status: 422, body: { detail: [parsing.int('ten', Q, 'skip')] } },
  { name: 'zod .default() works too', args: { q: Query(z.boolean().default(false)) }, request: { url: '/' }, status: 200, body: { q: false } },
  // list
  { name: 'list: several values', args: { q: Query(z.array(z.string())) }, request: { url: '/?q=a&q=b' }, status: 200, body: { q: ['a', 'b'] } },
  { name: 'list: one value', args: { q: Query(z.array(z.string())) }, request: { url: '/?q=a' }, status: 200, body: { q: ['a'] } },
  { name: 'list: required and missing', args: { q: Query(z.array(z.string())) }, request: { url: '/' }, status: 422, body: { detail: [missing(Q, 'q')] } },
  { name: 'list: optional and missing', args: { q: Query(z.array(z.string()).optional()) }, request: { url: '/' }, status: 200, body: {} },
  { name: 'list: default', args: { q: Query(z.array(z.string()), { default: ['foo', 'bar'] }) }, request: { url: '/' }, status: 200, body: { q: ['foo', 'bar'] } },
  { name: 'list of ints', args: { ids: Query(z.array(z.int())) }, request: { url: '/?ids=1&ids=2&ids=3' }, status: 200, body: { ids: [1, 2, 3] } },
  {
    name: 'list of ints: each bad item at its index',
    args: { ids: Query(z.array(z.int())) },
    request: { url: '/?ids=1&ids=x&ids=3&ids=4.5' },
    status: 422,
    body: { detail: [parsing.int('x', Q, 'ids', 1), parsing.int('4.5', Q, 'ids', 3)] }
  },
  {
    name: 'list: too_short',
    args: { q: Query(z.array(z.string()), { minLength: 2 }) },
    request: { url: '/?q=a' },
    status: 422,
    body: {
      detail: [{
        type: 'too_short',
        loc: [Q, 'q'],
        msg: 'List should have at least 2 items after validation, not 1',
        input: ['a'],
        ctx: { field_type: 'List', min_length: 2, actual_length: 1 }
      }]
    }
  },
  {
    name: 'list: too_long (singular item)',
    args: { q: Query(z.array(z.string()), { maxLength: 1 }) },
    request: { url: '/?q=a&q=b&q=c' },
    status: 422,
    body: {
      detail: [{
        type: 'too_long',
        loc: [Q, 'q'],
        msg: 'List should have at most 1 item after validation, not 3',
        input: ['a', 'b', 'c'],
        ctx: { field_type: 'List', max_length: 1, actual_length: 3 }
      }]
    }
  },
  // alias
  { name: 'alias: read by its alias', args: { itemQuery: Query(z.string(), { alias: 'item-query' }) }, request: { url: '/?item-query=x' }, status: 200, body: { itemQuery: 'x' } },
  { name: 'alias: the argument name is not read', args: { itemQuery: Query(z.string(), { alias: 'item-query' }) }, request: { url: '/?itemQuery=x' }, status: 422, body: { detail: [missing(Q, 'item-query')] } },
  { name: 'alias: list', args: { tags: Query(z.array(z.string()), { alias: 'tag' }) }, request: { url: '/?tag=a&tag=b' }, status: 200, body: { tags: ['a', 'b'] } },
  // coercion
  { name: 'int', args: { n: Query(z.int()) }, request: { url: '/?n=42' }, status: 200, body: { n: 42 } },
  { name: 'int: surrounding spaces', args: { n: Query(z.int()) }, request: { url: '/?n=%207%20' }, status: 200, body: { n: 7 } },
  { name: 'int_parsing: empty', args: { n: Query(z.int()) }, request: { url: '/?n=' }, status: 422, body: { detail: [parsing.int('', Q, 'n')] } },
  { name: 'int_parsing: exponent', args: { n: Query(z.int()) }, request: { url: '/?n=1e3' }, status: 422, body: { detail: [parsing.int('1e3', Q, 'n')] } },
  { name: 'int_parsing: hex', args: { n: Query(z.int()) }, request: { url: '/?n=0x10' }, status: 422, body: { detail: [parsing.int('0x10', Q, 'n')] } },
  { name: 'float', args: { x: Query(z.number()) }, request: { url: '/?x=-0.25' }, status: 200, body: { x: -0.25 } },
  { name: 'float: exponent', args: { x: Query(z.number()) }, request: { url: '/?x=1e3' }, status: 200, body: { x: 1000 } },
  { name: 'float_parsing', args: { x: Query(z.number()) }, request: { url: '/?x=abc' }, status: 422, body: { detail: [parsing.float('abc', Q, 'x')] } },
  { name: 'float_parsing: nan is refused', args: { x: Query(z.number()) }, request: { url: '/?x=nan' }, status: 422, body: { detail: [parsing.float('nan', Q, 'x')] } },
  { name: 'float_parsing: hex', args: { x: Query(z.number()) }, request: { url: '/?x=0x10' }, status: 422, body: { detail: [parsing.float('0x10', Q, 'x')] } },
  { name: 'bool_parsing', args: { b: Query(z.boolean()) }, request: { url: '/?b=2' }, status: 422, body: { detail: [parsing.bool('2', Q, 'b')] } },
  { name: 'bool_parsing: empty', args: { b: Query(z.boolean()) }, request: { url: '/?b=' }, status: 422, body: { detail: [parsing.bool('', Q, 'b')] } },
  // choices
  {
    name: 'enum',
    args: { q: Query(z.enum(['a', 'b', 'c'])) },
    request: { url: '/?q=d' },
    status: 422,
    body: { detail: [{ type: 'enum', loc: [Q, 'q'], msg: "Input should be 'a', 'b' or 'c'", input: 'd', ctx: { expected: "'a', 'b' or 'c'" } }] }
  },
  {
    name: 'literal of two',
    args: { q: Query(z.literal(['asc', 'desc'])) },
    request: { url: '/?q=up' },
    status: 422,
    body: { detail: [{ type: 'literal_error', loc: [Q, 'q'], msg: "Input should be 'asc' or 'desc'", input: 'up', ctx: { expected: "'asc' or 'desc'" } }] }
  },
  { name: 'numeric literal: coerced', args: { v: Query(z.literal([1, 2])) }, request: { url: '/?v=2' }, status: 200, body: { v: 2 } },
  {
    name: 'numeric literal: error',
    args: { v: Query(z.literal([1, 2])) },
    request: { url: '/?v=3' },
    status: 422,
    body: { detail: [{ type: 'literal_error', loc: [Q, 'v'], msg: 'Input should be 1 or 2', input: '3', ctx: { expected: '1 or 2' } }] }
  },
  // constraints
  {
    name: 'string_too_long',
    args: { q: Query(z.string().optional(), { maxLength: 5 }) },
    request: { url: '/?q=toolong' },
    status: 422,
    body: { detail: [{ type: 'string_too_long', loc: [Q, 'q'], msg: 'String should have at most 5 characters', input: 'toolong', ctx: { max_length: 5 } }] }
  },
  {
    name: 'string length counts code points',
    args: { q: Query(z.string(), { maxLength: 2 }) },
    request: { url: '/?q=' + encodeURIComponent('😀😀') },
    status: 200,
    body: { q: '😀😀' }
  },
  {
    name: 'multiple_of',
    args: { n: Query(z.int().multipleOf(5)) },
    request: { url: '/?n=12' },
    status: 422,
    body: { detail: [{ type: 'multiple_of', loc: [Q, 'n'], msg: 'Input should be a multiple of 5', input: '12', ctx: { multiple_of: 5 } }] }
  },
  {
    name: 'every query parameter is reported',
    args: { a: Query(z.int()), b: Query(z.string()), c: Query(z.boolean()) },
    request: { url: '/?a=x&c=nope' },
    status: 422,
    body: { detail: [parsing.int('x', Q, 'a'), missing(Q, 'b'), parsing.bool('nope', Q, 'c')] }
  }
]

// pydantic's boolean spellings, case-insensitive.
for (const [text, value] of [['1', true], ['true', true], ['True', true], ['on', true], ['yes', true], ['Y', true], ['t', true],
  ['0', false], ['false', false], ['FALSE', false], ['off', false], ['no', false], ['n', false], ['f', false]] as const) {
  cases.push({ name: `bool: ${text}`, args: { b: Query(z.boolean()) }, request: { url: `/?b=${text}` }, status: 200, body: { b: value } })
}

runEchoCases(t, cases)
