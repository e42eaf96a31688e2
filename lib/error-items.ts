/**
 * @module error-items — zod issues turned into FastAPI's 422 items (pydantic v2 names).
 *
 * Runs only on the error path. Types and messages follow pydantic-core's where one maps;
 * the README lists where they differ.
 */
import type { z } from 'zod'
import type { ErrorItem } from './exceptions.js'
import { defOf, isIntegerSchema, isSecret, metaOf, schemaAt, unwrap } from './zod-internals.js'

type Issue = z.core.$ZodIssue
type Loc = Array<string | number>

/** How to describe the issues of one argument. */
export interface IssueContext {
  /** `loc` before the issue's own path: ['query', 'q'], or ['body'] for a single body. */
  loc: Loc
  /** The argument's value as received, before coercion: what `input` shows. */
  input: unknown
  /** The argument's schema (used for secrets, enum/literal and union names). */
  schema: z.ZodType
  /** True for path/query/header/cookie, whose values arrive as strings. */
  fromString: boolean
  /** True when something in the schema is marked secret. */
  hasSecrets: boolean
}

/** A value put in place of a secret in `input` (pydantic's SecretStr shows the same). */
export const REDACTED = '**********'

/** Appends one item per failing value (the first failing rule only, as pydantic). */
export function pushIssueItems (issues: readonly Issue[], context: IssueContext, out: ErrorItem[]): void {
  const seen = new Set<string>()
  for (const issue of issues) {
    const key = issue.path.map(String).join('\u0000')
    if (seen.has(key)) continue
    seen.add(key)
    pushIssue(issue, issue.path as Loc, context, out)
  }
}

function pushIssue (issue: Issue, path: Loc, context: IssueContext, out: ErrorItem[]): void {
  const value = valueAt(context.input, path)
  const item = (type: string, msg: string, input: unknown, ctx?: Record<string, unknown>, at: Loc = path, inputAt: Loc = at): void => {
    const entry: ErrorItem = { type, loc: [...context.loc, ...at], msg, input: shown(input, inputAt, context) }
    if (ctx !== undefined) entry.ctx = ctx
    out.push(entry)
  }
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) {
        // pydantic: a missing field reports its parent object; a missing argument reports null.
        const parent = path.slice(0, -1)
        item('missing', 'Field required', path.length === 0 ? null : valueAt(context.input, parent), undefined, path, parent)
        return
      }
      // zod checks the type before the integer format, so a string for an int says "number".
      const expected = issue.expected === 'number' && isIntegerSchema(unwrap(schemaAt(context.schema, path) ?? context.schema))
        ? 'int'
        : issue.expected
      const [type, msg] = typeError(expected, value, context.fromString)
      item(type, msg, value)
      return
    }
    case 'too_small':
    case 'too_big': {
      sizeError(issue, value, item)
      return
    }
    case 'invalid_format': {
      formatError(issue, value, item)
      return
    }
    case 'invalid_value': {
      const expected = pyList(issue.values.map(pyRepr))
      const literal = defOf(unwrap(schemaAt(context.schema, path) ?? context.schema)).type === 'literal'
      item(literal ? 'literal_error' : 'enum', `Input should be ${expected}`, value, { expected })
      return
    }
    case 'not_multiple_of': {
      const multipleOf = jsonNumber(issue.divisor)
      item('multiple_of', `Input should be a multiple of ${multipleOf}`, value, { multiple_of: multipleOf })
      return
    }
    case 'unrecognized_keys': {
      for (const key of issue.keys) {
        item('extra_forbidden', 'Extra inputs are not permitted', valueAt(value, [key]), undefined, [...path, key])
      }
      return
    }
    case 'invalid_union': {
      unionError(issue, path, value, context, item, out)
      return
    }
    case 'invalid_key':
    case 'invalid_element': {
      const at = issue.code === 'invalid_element' ? [...path, issue.key as string | number] : path
      const inner = { ...context, input: context.input }
      for (const sub of issue.issues) pushIssue(sub, [...at, ...(sub.path as Loc)], inner, out)
      return
    }
    default: {
      // custom (refine) and anything newer zod may add: pydantic's ValueError shape.
      item('value_error', `Value error, ${issue.message}`, value, { error: issue.message })
    }
  }
}

type PushItem = (type: string, msg: string, input: unknown, ctx?: Record<string, unknown>, at?: Loc, inputAt?: Loc) => void

function typeError (expected: string, value: unknown, fromString: boolean): [string, string] {
  const parsing = fromString && typeof value === 'string'
  switch (expected) {
    case 'string': return ['string_type', 'Input should be a valid string']
    case 'number':
      return parsing
        ? ['float_parsing', 'Input should be a valid number, unable to parse string as a number']
        : ['float_type', 'Input should be a valid number']
    case 'int':
    case 'bigint':
      if (typeof value === 'number' && Number.isFinite(value)) {
        return ['int_from_float', 'Input should be a valid integer, got a number with a fractional part']
      }
      return parsing
        ? ['int_parsing', 'Input should be a valid integer, unable to parse string as an integer']
        : ['int_type', 'Input should be a valid integer']
    case 'boolean':
      return parsing
        ? ['bool_parsing', 'Input should be a valid boolean, unable to interpret input']
        : ['bool_type', 'Input should be a valid boolean']
    case 'object': return ['model_attributes_type', 'Input should be a valid dictionary or object to extract fields from']
    case 'record': return ['dict_type', 'Input should be a valid dictionary']
    case 'array':
    case 'tuple': return ['list_type', 'Input should be a valid list']
    case 'set': return ['set_type', 'Input should be a valid set']
    case 'date':
      return parsing
        ? ['datetime_from_date_parsing', 'Input should be a valid datetime or date, invalid character in year']
        : ['datetime_type', 'Input should be a valid datetime']
    case 'null': return ['none_required', 'Input should be None']
    default: return [`${expected}_type`, `Input should be a valid ${expected}`]
  }
}

function sizeError (issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown, item: PushItem): void {
  const small = issue.code === 'too_small'
  const limit = jsonNumber(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum)
  if (issue.origin === 'string') {
    const s = limit === 1 ? '' : 's'
    if (small) item('string_too_short', `String should have at least ${limit} character${s}`, value, { min_length: limit })
    else item('string_too_long', `String should have at most ${limit} character${s}`, value, { max_length: limit })
    return
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    const actual = Array.isArray(value) ? value.length : value instanceof Set ? value.size : 0
    const s = limit === 1 ? '' : 's'
    const fieldType = issue.origin === 'array' ? 'List' : 'Set'
    if (small) {
      item('too_short', `${fieldType} should have at least ${limit} item${s} after validation, not ${actual}`, value,
        { field_type: fieldType, min_length: limit, actual_length: actual })
    } else {
      item('too_long', `${fieldType} should have at most ${limit} item${s} after validation, not ${actual}`, value,
        { field_type: fieldType, max_length: limit, actual_length: actual })
    }
    return
  }
  const inclusive = issue.inclusive !== false
  if (small) {
    if (inclusive) item('greater_than_equal', `Input should be greater than or equal to ${limit}`, value, { ge: limit })
    else item('greater_than', `Input should be greater than ${limit}`, value, { gt: limit })
  } else if (inclusive) {
    item('less_than_equal', `Input should be less than or equal to ${limit}`, value, { le: limit })
  } else {
    item('less_than', `Input should be less than ${limit}`, value, { lt: limit })
  }
}

const FORMAT_TYPES: Record<string, [string, string]> = {
  uuid: ['uuid_parsing', 'Input should be a valid UUID'],
  guid: ['uuid_parsing', 'Input should be a valid UUID'],
  url: ['url_parsing', 'Input should be a valid URL'],
  datetime: ['datetime_parsing', 'Input should be a valid datetime'],
  date: ['date_parsing', 'Input should be a valid date'],
  time: ['time_parsing', 'Input should be a valid time'],
  duration: ['time_delta_parsing', 'Input should be a valid timedelta']
}

function formatError (issue: z.core.$ZodIssueInvalidStringFormat, value: unknown, item: PushItem): void {
  if (issue.format === 'regex' && typeof issue.pattern === 'string') {
    const pattern = regexSource(issue.pattern)
    item('string_pattern_mismatch', `String should match pattern '${pattern}'`, value, { pattern })
    return
  }
  if (issue.format === 'email') {
    const reason = 'The email address is not valid.'
    item('value_error', `value is not a valid email address: ${reason}`, value, { reason })
    return
  }
  const known = FORMAT_TYPES[issue.format]
  if (known !== undefined) {
    item(known[0], `${known[1]}, invalid format`, value, { error: 'invalid format' })
    return
  }
  item('value_error', `Value error, ${issue.message}`, value, { error: issue.message })
}

function unionError (
  issue: z.core.$ZodIssueInvalidUnion, path: Loc, value: unknown, context: IssueContext, item: PushItem, out: ErrorItem[]
): void {
  const union = unwrap(schemaAt(context.schema, path) ?? context.schema)
  const def = defOf(union)
  if (issue.errors.length === 0 && typeof def.discriminator === 'string') {
    const discriminator = def.discriminator
    const tag = valueAt(value, [discriminator])
    const tags = def.options.flatMap((option: z.ZodType) => {
      const field = schemaAt(option, [discriminator])
      return field === undefined ? [] : (defOf(unwrap(field)).values ?? [])
    })
    if (tag === undefined) {
      item('union_tag_not_found', `Unable to extract tag using discriminator '${discriminator}'`, value, { discriminator: `'${discriminator}'` })
    } else {
      item('union_tag_invalid',
        `Input tag '${String(tag)}' found using '${discriminator}' does not match any of the expected tags: ${tags.map(pyRepr).join(', ')}`,
        value, { discriminator: `'${discriminator}'`, tag: String(tag), expected_tags: tags.map(pyRepr).join(', ') })
    }
    return
  }
  // pydantic reports every member's errors, each under the member's name.
  issue.errors.forEach((branch, index) => {
    const member: z.ZodType | undefined = def.options?.[index]
    const tag = member === undefined ? String(index) : memberName(member)
    const branchContext = { ...context }
    const seen = new Set<string>()
    for (const sub of branch) {
      const subPath = [...path, tag, ...(sub.path as Loc)]
      const key = subPath.map(String).join('\u0000')
      if (seen.has(key)) continue
      seen.add(key)
      const before = out.length
      pushIssue({ ...sub, path: [...path, ...sub.path] } as Issue, [...path, ...(sub.path as Loc)], branchContext, out)
      // Put the member's name into the loc after the union's own path.
      for (let i = before; i < out.length; i++) {
        out[i].loc.splice(context.loc.length + path.length, 0, tag)
      }
    }
  })
  if (issue.errors.length === 0) item('union_error', 'Input should match one of the union members', value)
}

function memberName (schema: z.ZodType): string {
  const meta = metaOf(schema)
  if (typeof meta.id === 'string') return meta.id
  if (typeof meta.title === 'string') return meta.title
  const inner = unwrap(schema)
  const def = defOf(inner)
  switch (def.type) {
    case 'string': return 'str'
    case 'number': return (def.format ?? '').includes('int') || (def.checks ?? []).some((c: any) => String(c._zod?.def?.format).includes('int')) ? 'int' : 'float'
    case 'boolean': return 'bool'
    case 'array': return `list[${memberName(def.element)}]`
    case 'object': return 'dict'
    case 'null': return 'none'
    case 'literal': return `literal[${def.values.map(pyRepr).join(',')}]`
    default: return def.type
  }
}

/** The value inside `root` at `path`, or undefined. */
function valueAt (root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = root
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = Object.hasOwn(current, key) ? (current as any)[key] : undefined
  }
  return current
}

/** What `input` may show: secrets replaced, non-finite numbers as strings. */
function shown (input: unknown, path: Loc, context: IssueContext): unknown {
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input)
  if (typeof input === 'bigint') return input.toString()
  if (!context.hasSecrets) return input
  return redact(schemaAt(context.schema, path), input)
}

/** A copy of `value` with every secret field replaced by {@link REDACTED}. */
export function redact (schema: z.ZodType | undefined, value: unknown): unknown {
  if (schema === undefined) return value
  if (isSecret(schema)) return REDACTED
  if (value === null || typeof value !== 'object') return value
  const def = defOf(unwrap(schema))
  if (Array.isArray(value)) {
    return def.type === 'array' ? value.map(v => redact(def.element, v)) : value
  }
  if (def.type === 'object' || def.type === 'record') {
    const copy: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) {
      copy[key] = redact(def.type === 'object' ? def.shape[key] : def.valueType, v)
    }
    return copy
  }
  return value
}

/** Python's repr of a JSON-like value: strings in single quotes, True/False/None. */
function pyRepr (value: unknown): string {
  if (typeof value === 'string') return `'${value}'`
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (value === null || value === undefined) return 'None'
  return String(value)
}

/** "'a'", "'a' or 'b'", "'a', 'b' or 'c'" — pydantic's way of listing choices. */
function pyList (items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

function jsonNumber (value: unknown): number | string {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  if (value instanceof Date) return value.toISOString()
  return value as number
}

function regexSource (pattern: string): string {
  const match = /^\/(.*)\/[a-z]*$/s.exec(pattern)
  return match === null ? pattern : match[1]
}
