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
  /**
   * `input` with its secrets replaced ({@link redact} by `schema`), made once per argument when
   * `hasSecrets`; a union member's context gets its union's, so no member echoes another's secret.
   */
  redacted?: { value: unknown }
}

/** A value put in place of a secret in `input` (pydantic's SecretStr shows the same). */
export const REDACTED = '**********'

/** Appends one item per failing value (the first failing rule only, as pydantic). */
export function pushIssueItems (issues: readonly Issue[], context: IssueContext, out: ErrorItem[]): void {
  // One redacted copy of the whole input serves every item: a value under a secret at any depth
  // (a list, an object, a union member marked secret) reads as the secret does.
  if (context.hasSecrets && context.redacted === undefined) context = { ...context, redacted: { value: redact(context.schema, context.input) } }
  const seen = new Set<string>()
  for (const issue of issues) {
    const union = collapsedUnion(issue, context)
    const key = (union ?? issue.path).map(String).join('\u0000')
    if (seen.has(key)) continue
    seen.add(key)
    if (union === undefined) {
      pushIssue(issue, issue.path as Loc, context, out)
      continue
    }
    // Ask every member again (error path only) to report them all, as pydantic.
    const value = valueAt(context.input, union)
    const members: z.ZodType[] = defOf(unwrap(locate(context, union).schema ?? context.schema)).options
    const errors = members.map(member => member.safeParse(value).error?.issues ?? [])
    pushIssue({ code: 'invalid_union', errors, path: union, input: value, message: '' } as unknown as Issue, union, context, out)
  }
}

function pushIssue (issue: Issue, path: Loc, context: IssueContext, out: ErrorItem[]): void {
  const value = valueAt(context.input, path)
  const item = (type: string, msg: string, input: unknown, ctx?: Record<string, unknown>, at: Loc = path, inputAt: Loc = at): void => {
    const entry: ErrorItem = { type, loc: [...context.loc, ...locate(context, at).loc], msg, input: shown(input, inputAt, context) }
    if (ctx !== undefined) entry.ctx = ctx
    out.push(entry)
  }
  const missing = (): void => {
    // pydantic: a missing field reports its parent object; a missing argument reports null.
    const parent = path.slice(0, -1)
    item('missing', 'Field required', path.length === 0 ? null : valueAt(context.input, parent), undefined, path, parent)
  }
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) {
        missing()
        return
      }
      // zod checks the type before the integer format, so a string for an int says "number".
      const expected = issue.expected === 'number' && isIntegerSchema(unwrap(locate(context, path).schema ?? context.schema))
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
      // zod says "invalid option" for an absent enum or literal field; pydantic says it is
      // missing. (An undefined list item cannot come from JSON; it keeps zod's reading.)
      const parent = path.slice(0, -1)
      if (value === undefined && !Array.isArray(valueAt(context.input, parent))) {
        item('missing', 'Field required', path.length === 0 ? null : valueAt(context.input, parent), undefined, path, parent)
        return
      }
      const expected = pyList(issue.values.map(pyRepr))
      const literal = defOf(unwrap(locate(context, path).schema ?? context.schema)).type === 'literal'
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
      // A union does not report a missing value as such; pydantic checks presence first.
      if (value === undefined && !('discriminator' in issue)) {
        missing()
        return
      }
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
  // JSON.parse turns 1e999 into Infinity; pydantic refuses it with this type when inf is not allowed.
  if (typeof value === 'number' && !Number.isFinite(value) && (expected === 'number' || expected === 'int')) {
    return ['finite_number', 'Input should be a finite number']
  }
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
  const discriminator = (issue as { discriminator?: unknown }).discriminator
  if (issue.errors.length === 0 && typeof discriminator === 'string') {
    // zod points at the tag; pydantic at the union, with the whole object as input.
    const at = path.slice(0, -1)
    const object = valueAt(context.input, at)
    const union = defOf(unwrap(locate(context, at).schema ?? context.schema))
    const tags = ((union.options ?? []) as z.ZodType[]).flatMap(option => tagsOf(option, discriminator)).map(pyRepr).join(', ')
    const tag = valueAt(object, [discriminator])
    const quoted = `'${discriminator}'`
    if (tag === undefined) {
      item('union_tag_not_found', `Unable to extract tag using discriminator ${quoted}`, object, { discriminator: quoted }, at)
    } else {
      item('union_tag_invalid', `Input tag '${String(tag)}' found using ${quoted} does not match any of the expected tags: ${tags}`,
        object, { discriminator: quoted, tag: String(tag), expected_tags: tags }, at)
    }
    return
  }
  if (issue.errors.length === 0) {
    item('union_error', 'Input should match one of the union members', value)
    return
  }
  // pydantic reports every member's errors, each under the member's name. Each member's
  // issues are relative to the union's value, so they are described against the member.
  const located = locate(context, path)
  const members: z.ZodType[] = defOf(unwrap(located.schema ?? context.schema)).options ?? []
  // A member shows the value redacted as the whole union (and what holds it) would: a secret
  // for one member must not be echoed by another member's error.
  const redacted = context.redacted === undefined ? undefined : { value: displayAt(context.redacted.value, path) }
  const nullable = nullableMember(members)
  if (nullable !== -1) {
    // `X | None` is nullable X to pydantic: X's errors, without a member name.
    pushIssueItems(issue.errors[nullable] ?? [], { ...context, loc: [...context.loc, ...located.loc], input: value, schema: members[nullable], redacted }, out)
    return
  }
  issue.errors.forEach((branch, index) => {
    const member = members[index]
    const tag = member === undefined ? String(index) : memberName(member)
    pushIssueItems(branch, {
      ...context,
      loc: [...context.loc, ...located.loc, tag],
      input: value,
      schema: member ?? context.schema,
      redacted
    }, out)
  })
}

/** In a union of one schema and null (`X | None`), the index of that schema; else -1. */
function nullableMember (members: readonly z.ZodType[]): number {
  if (members.length !== 2) return -1
  const nulls = members.map(m => defOf(unwrap(m)).type === 'null')
  return nulls[0] === nulls[1] ? -1 : nulls.indexOf(false)
}

/**
 * zod answers a union with the issues of its only member that failed on a rule rather than
 * on the type, as if there were no union; pydantic lists every member's errors. Returns the
 * path of the outermost plain union such an issue went through, or undefined.
 */
function collapsedUnion (issue: Issue, context: IssueContext): Loc | undefined {
  // A string-sourced input was coerced before parsing; asking the members again with the
  // string as received would give other errors, so those keep zod's answer.
  if (context.fromString) return undefined
  const path = issue.path as Loc
  let schema: z.ZodType | undefined = context.schema
  let value = context.input
  for (let i = 0; i <= path.length && schema !== undefined; i++) {
    schema = chosenMember(schema, value, [])
    const def = defOf(unwrap(schema))
    if (def.type === 'union' && typeof def.discriminator !== 'string' && nullableMember(def.options) === -1 &&
      (i < path.length || issue.code !== 'invalid_union')) {
      return path.slice(0, i)
    }
    if (i < path.length) {
      schema = schemaAt(schema, [path[i]])
      value = valueAt(value, [path[i]])
    }
  }
  return undefined
}

/** The tag values a discriminated union's member accepts. */
function tagsOf (option: z.ZodType, discriminator: string): unknown[] {
  const field = schemaAt(option, [discriminator])
  if (field === undefined) return []
  const def = defOf(unwrap(field))
  return def.values ?? Object.values(def.entries ?? {})
}

/**
 * The schema that checks the value at `path`, and that path as pydantic's loc: inside a
 * discriminated union the member the value's tag picks, with the tag added to the loc.
 */
function locate (context: IssueContext, path: Loc): { schema: z.ZodType | undefined, loc: Loc } {
  let schema: z.ZodType | undefined = context.schema
  let value = context.input
  const loc: Loc = []
  for (const key of path) {
    if (schema !== undefined) schema = schemaAt(chosenMember(schema, value, loc), [key])
    value = valueAt(value, [key])
    loc.push(key)
  }
  return { schema, loc }
}

/** Through discriminated unions, the member `value`'s tag picks (its tag pushed onto `loc`). */
function chosenMember (schema: z.ZodType, value: unknown, loc: Loc): z.ZodType {
  for (;;) {
    const def = defOf(unwrap(schema))
    if (def.type !== 'union' || typeof def.discriminator !== 'string') return schema
    const tag = valueAt(value, [def.discriminator])
    const option = (def.options as z.ZodType[]).find(o => tagsOf(o, def.discriminator).includes(tag))
    if (option === undefined) return schema
    loc.push(String(tag))
    schema = option
  }
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

/**
 * What `input` may show: secrets replaced, non-finite numbers as strings. `input` is the value
 * at `path` in `context.input`.
 */
function shown (input: unknown, path: Loc, context: IssueContext): unknown {
  if (context.redacted === undefined || input === undefined || input === null) return jsonSafe(input)
  return jsonSafe(displayAt(context.redacted.value, path))
}

/**
 * The value at `path` in a {@link redact}ed copy: {@link REDACTED} once the path enters a
 * value replaced whole (everything under a secret is secret).
 */
function displayAt (redacted: unknown, path: Loc): unknown {
  let current = redacted
  for (const key of path) {
    if (current === REDACTED) return REDACTED
    if (current === null || typeof current !== 'object') return undefined
    current = Object.hasOwn(current, key) ? (current as any)[key] : undefined
  }
  return current
}

/** A container {@link jsonSafe} walks: an array or a plain object (JSON gives no other). */
function isPlainContainer (value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return true
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function safeScalar (value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'bigint') return value.toString()
  return value
}

/**
 * `value` with every non-finite number and bigint, at any depth, as a string: JSON would
 * turn Infinity into null (or throw on a bigint), and a 422 must show what was sent.
 * Returns `value` itself when nothing needs changing.
 */
export function jsonSafe (value: unknown): unknown {
  if (!isPlainContainer(value)) return safeScalar(value)
  // A plain recursive walk serves what a 422 echoes (a few levels, a few values); a deeper or
  // larger value, or a cyclic one (a handler's return value), gets the iterative walk.
  nodesLeft = MAX_NODES
  const safe = jsonSafeSmall(value, 0)
  return safe === TOO_BIG ? jsonSafeTree(value) : safe
}

const TOO_BIG = Symbol('too big')
const MAX_DEPTH = 64
const MAX_NODES = 10_000
let nodesLeft = 0

function jsonSafeSmall (value: object, depth: number): unknown {
  if (depth === MAX_DEPTH || --nodesLeft < 0) return TOO_BIG
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const v = value[i]
      const safe = isPlainContainer(v) ? jsonSafeSmall(v, depth + 1) : safeScalar(v)
      if (safe === TOO_BIG) return TOO_BIG
      if (safe !== v) (copy ??= value.slice())[i] = safe
    }
    return copy ?? value
  }
  let copy: Record<string, unknown> | undefined
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key]
    const safe = isPlainContainer(v) ? jsonSafeSmall(v, depth + 1) : safeScalar(v)
    if (safe === TOO_BIG) return TOO_BIG
    if (safe !== v) setKey(copy ??= { ...value }, key, safe)
  }
  return copy ?? value
}

/** `object[key] = value`, a "__proto__" key included (as an own key, as JSON.parse makes it). */
function setKey (object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
  else object[key] = value
}

interface Pending {
  source: any
  /** An object's keys; null for an array. */
  keys: string[] | null
  index: number
  /** Made on the first change. */
  copy: any
}

/**
 * {@link jsonSafe} over any tree, without recursion (an echoed input may be nested a thousand
 * levels deep). Each container is walked once (`done`): a value shared, or cyclic (a handler's
 * return value failing its response model), costs nothing more.
 */
function jsonSafeTree (root: object): unknown {
  const done = new Map<object, unknown>()
  const open = (source: any): Pending => {
    // In progress: a cycle back to it reads as itself.
    done.set(source, source)
    return { source, keys: Array.isArray(source) ? null : Object.keys(source), index: 0, copy: undefined }
  }
  const store = (frame: Pending, key: string | number, v: unknown): void => {
    frame.copy ??= frame.keys === null ? frame.source.slice() : { ...frame.source }
    setKey(frame.copy, key as string, v)
  }
  const stack: Pending[] = [open(root)]
  for (;;) {
    const top = stack[stack.length - 1]
    const length = top.keys === null ? top.source.length : top.keys.length
    if (top.index < length) {
      const key = top.keys === null ? top.index : top.keys[top.index]
      const child = top.source[key]
      if (isPlainContainer(child)) {
        if (!done.has(child)) {
          stack.push(open(child))
          continue
        }
        const safe = done.get(child)
        if (safe !== child) store(top, key, safe)
      } else {
        const safe = safeScalar(child)
        if (safe !== child) store(top, key, safe)
      }
      top.index++
      continue
    }
    stack.pop()
    const result = top.copy ?? top.source
    done.set(top.source, result)
    if (stack.length === 0) return result
    const parent = stack[stack.length - 1]
    if (result !== top.source) store(parent, parent.keys === null ? parent.index : parent.keys[parent.index], result)
    parent.index++
  }
}

/**
 * A copy of `value` with every value under a schema marked secret replaced by {@link REDACTED}
 * (null and undefined stay: nothing sent, nothing to hide). `'input'` reads a request value (a
 * pipe by its input schema); `'output'` a response model's data (a pipe by both ends: what
 * came of a secret stays secret).
 */
export function redact (schema: z.ZodType | undefined, value: unknown, side: 'input' | 'output' = 'input'): unknown {
  if (schema === undefined || value === undefined || value === null) return value
  // A missing secret reads `input: null`, as FastAPI's.
  if (isSecret(schema)) return REDACTED
  const def = defOf(unwrap(schema))
  if (def.type === 'union') {
    const options = def.options as z.ZodType[]
    // zod's output took the first member that accepts it (pydantic serializes by the value's
    // type too); for a rejected input, which member it was meant for cannot be told: every
    // member redacts.
    const member = side === 'output' ? options.find(option => option.safeParse(value).success) : undefined
    return member !== undefined ? redact(member, value, side) : options.reduce<unknown>((v, option) => redact(option, v, side), value)
  }
  if (def.type === 'intersection') return redact(def.right, redact(def.left, value, side), side)
  if (def.type === 'pipe') return side === 'input' ? redact(def.in, value, side) : redact(def.out, redact(def.in, value, side), side)
  if (typeof value !== 'object') return value
  if (Array.isArray(value)) {
    if (def.type === 'array') return value.map(v => redact(def.element, v, side))
    if (def.type === 'set') return value.map(v => redact(def.valueType, v, side))
    if (def.type === 'tuple') return value.map((v, i) => redact(def.items[i] ?? def.rest ?? undefined, v, side))
    return value
  }
  if (def.type !== 'object' && def.type !== 'record') return value
  const copy: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    // An own key only: an extra `constructor` must not read Object.prototype's.
    const field: z.ZodType | undefined = def.type === 'record'
      ? def.valueType
      : Object.hasOwn(def.shape, key) ? def.shape[key] : def.catchall
    setKey(copy, key, redact(field, v, side))
  }
  return copy
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
