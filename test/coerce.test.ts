import t from 'tap'
import { buildCoercer } from '../lib/coerce.js'

const integer = buildCoercer({ kind: 'integer', list: false })
const number = buildCoercer({ kind: 'number', list: false })
const boolean = buildCoercer({ kind: 'boolean', list: false })
const string = buildCoercer({ kind: 'string', list: false })
const bigint = buildCoercer({ kind: 'bigint', list: false })

// Each expectation is what pydantic-core's str_as_int does with the string; a string
// result means "left for the schema to refuse" (int_parsing).
const integers: Array<[string, number | string]> = [
  ['7', 7],
  ['-7', -7],
  ['+7', 7],
  [' 7 ', 7],
  ['\t7\n', 7],
  ['007', 7],
  ['-007', -7],
  ['0', 0],
  ['000', 0],
  ['7.0', 7],
  ['7.000', 7],
  ['00.0', 0],
  ['1_000', 1000],
  ['1_000.0', 1000],
  ['0_7', 7],
  ['7.', '7.'],
  ['7.5', '7.5'],
  ['7.01', '7.01'],
  ['.0', '.0'],
  ['1e3', '1e3'],
  ['1E3', '1E3'],
  ['0x10', '0x10'],
  ['0b1', '0b1'],
  ['', ''],
  [' ', ' '],
  ['+-1', '+-1'],
  ['--1', '--1'],
  ['-+1', '-+1'],
  ['_1', '_1'],
  ['1_', '1_'],
  ['1__0', '1__0'],
  ['0_', '0_'],
  ['1.0_0', '1.0_0'],
  ['Infinity', 'Infinity'],
  ['NaN', 'NaN'],
  ['seven', 'seven'],
  ['7 7', '7 7'],
  ['٣', '٣']
]
t.test('integer: pydantic str_as_int', async t => {
  for (const [input, expected] of integers) t.equal(integer(input), expected, JSON.stringify(input))
})

// pydantic-core's str_as_float (Rust f64 parsing), except inf and nan, which we refuse.
const numbers: Array<[string, number | string]> = [
  ['1.5', 1.5],
  ['-1.5', -1.5],
  ['+1.5', 1.5],
  [' 1.5 ', 1.5],
  ['3', 3],
  ['.5', 0.5],
  ['5.', 5],
  ['1e3', 1000],
  ['1E-2', 0.01],
  ['1_000.5', 1000.5],
  ['inf', 'inf'],
  ['-inf', '-inf'],
  ['Infinity', 'Infinity'],
  ['nan', 'nan'],
  ['NaN', 'NaN'],
  ['1e999', '1e999'],
  ['0x10', '0x10'],
  ['0b1', '0b1'],
  ['0o7', '0o7'],
  ['', ''],
  ['  ', '  '],
  ['.', '.'],
  ['1e', '1e'],
  ['e3', 'e3'],
  ['1.5.2', '1.5.2'],
  ['_1', '_1'],
  ['1__0', '1__0'],
  ['abc', 'abc']
]
t.test('number: pydantic str_as_float, without inf and nan', async t => {
  for (const [input, expected] of numbers) t.equal(number(input), expected, JSON.stringify(input))
})

t.test('boolean: pydantic str_as_bool spellings', async t => {
  for (const text of ['1', 't', 'T', 'y', 'Y', 'on', 'ON', 'yes', 'Yes', 'true', 'True', 'TRUE']) t.equal(boolean(text), true, text)
  for (const text of ['0', 'f', 'F', 'n', 'N', 'off', 'Off', 'no', 'NO', 'false', 'False', 'FALSE']) t.equal(boolean(text), false, text)
  // pydantic does not trim here, and knows no other spellings.
  for (const text of ['', ' true', 'true ', '2', '-1', '1.0', 'yep', 'nope', 'truee', 'enabled']) t.equal(boolean(text), text, JSON.stringify(text))
})

t.test('bigint: the integer rules, as a bigint', async t => {
  t.equal(bigint('12345678901234567890'), 12345678901234567890n)
  t.equal(bigint(' -7.0 '), -7n)
  t.equal(bigint(''), '', 'an empty string is not 0n')
  t.equal(bigint('0x10'), '0x10')
  t.equal(bigint('1e3'), '1e3')
})

t.test('string: unchanged', async t => {
  t.equal(string(' 7 '), ' 7 ')
  t.equal(string(undefined), undefined)
})

t.test('scalars take the last of repeated values', async t => {
  t.equal(string(['a', 'b']), 'b')
  t.equal(integer(['1', '2']), 2)
  t.equal(integer(['1', 'x']), 'x')
  t.equal(boolean(['yes', 'no']), false)
  t.equal(integer(undefined), undefined)
})

t.test('values that are not strings pass through', async t => {
  t.equal(integer(5), 5)
  t.equal(boolean(true), true)
  t.equal(number(null), null)
})

t.test('lists: every value, a single value becomes a one-item list', async t => {
  const ints = buildCoercer({ kind: 'integer', list: true })
  t.strictSame(ints(['1', ' 2 ', 'x', '4.0']), [1, 2, 'x', 4])
  t.strictSame(ints('3'), [3])
  t.equal(ints(undefined), undefined)
  const strings = buildCoercer({ kind: 'string', list: true })
  t.strictSame(strings(['a', 'b']), ['a', 'b'])
  t.strictSame(strings('a'), ['a'])
  const bools = buildCoercer({ kind: 'boolean', list: true })
  t.strictSame(bools(['on', 'off', 'maybe']), [true, false, 'maybe'])
})

t.test('date: valid dates become Date, others stay strings', async t => {
  const date = buildCoercer({ kind: 'date', list: false })
  const value = date('2024-01-02T03:04:05Z')
  t.ok(value instanceof Date)
  t.equal((value as Date).toISOString(), '2024-01-02T03:04:05.000Z')
  t.equal(date('not a date'), 'not a date')
})
