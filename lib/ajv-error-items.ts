/**
 * @module ajv-error-items — the 422 items of a rejected body, without a failing zod parse.
 *
 * For a schema JSON Schema expresses exactly (fast-path.ts), a rejected value costs zod a
 * ZodError (finalized issues, messages) and error-items.ts a walk per issue: about 7 µs for
 * the seed's UserIn. Here ajv (`allErrors`) says which values fail, a walk over the schema
 * visits only those, in zod's order, and zod's own checks pick each value's first failing
 * rule. The items are those `pushIssueItems(schema.safeParse(value).error.issues, ...)`
 * appends, byte for byte: their wording is taken from error-items.ts, once per rule.
 *
 * Whenever the walk and ajv disagree, it gives up and zod builds the items as before.
 */
import type { z } from 'zod'
import type { ErrorItem } from './exceptions.js'
import { jsonSafe, pushIssueItems, REDACTED, redact, type IssueContext } from './error-items.js'
import { compileFastErrors } from './fast-path.js'
import { acceptsUndefined, defOf, isSecret, runCheck, runSchema, unwrap } from './zod-internals.js'

type Issue = z.core.$ZodIssue
type Path = Array<string | number>
/** zod's raw issue: before finalization (no message, path only below the value it was found on). */
type RawIssue = Issue & { inst?: object, path?: Path }

/** Appends the 422 items of a value the schema rejects (see {@link compileAjvErrorItems}). */
export type ErrorItemsBuilder = (value: unknown, context: IssueContext, out: ErrorItem[]) => void

/**
 * A builder of the items `pushIssueItems(schema.safeParse(value).error.issues, context, out)`
 * appends, for a schema with an exact fast parser (`compileFastParse`); `null` otherwise, or
 * when identity cannot be promised (then keep zod). It falls back to zod by itself for
 * string-sourced arguments and whenever the fast walk cannot conclude.
 *
 * @example
 * const items = compileAjvErrorItems(UserIn)
 * if (data === FAST_PARSE_FAIL) items?.(body, { loc: ['body'], input: body, schema: UserIn, fromString: false, hasSecrets }, errors)
 */
export function compileAjvErrorItems (schema: z.ZodType): ErrorItemsBuilder | null {
  const fast = compileFastItems(schema)
  if (fast === null) return null
  return function ajvErrorItems (value, context, out) {
    if (fast(value, context, out)) return
    const result = schema.safeParse(value)
    if (!result.success) pushIssueItems(result.error.issues, context, out)
  }
}

/**
 * The fast builder alone: appends the items and returns `true`, or appends nothing and
 * returns `false` when zod must build them. Exported for the tests, which check it concludes.
 */
export function compileFastItems (schema: z.ZodType): ((value: unknown, context: IssueContext, out: ErrorItem[]) => boolean) | null {
  const errors = compileFastErrors(schema)
  if (errors === null) return null
  const root = buildNode(schema)
  if (root === null) return null
  const rootIssues = acceptsUndefined(schema) ? null : schema.safeParse(undefined).error?.issues ?? null
  return function fastItems (value, context, out) {
    // The walk reads values where zod reads them; a coerced argument shows what was received.
    if (context.fromString || !Object.is(context.input, value) || context.schema !== schema) return false
    if (value === undefined) {
      // A missing whole argument, rare: error-items.ts describes it.
      if (rootIssues === null) return false
      pushIssueItems(rootIssues, context, out)
      return true
    }
    const found = errors(value)
    if (found === null) return false
    const failing = new Set<string>()
    for (const error of found) {
      addWithPrefixes(failing, error.instancePath)
      if (error.keyword === 'required') {
        failing.add(`${error.instancePath}/${escapePointer(String(error.params.missingProperty))}`)
      }
    }
    const walk: Walk = { failing, context, items: [], ok: true }
    visit(root, value, undefined, undefined, '', [], walk)
    if (!walk.ok || walk.items.length === 0) return false
    for (const item of walk.items) out.push(item)
    return true
  }
}

interface Node {
  /** The schema at this place, wrappers included (what error-items' `locate` finds there). */
  schema: z.ZodType
  kind: 'object' | 'array' | 'scalar'
  /** A nullable wrapper lets null through. */
  nullable: boolean
  /** Whether `redact` replaces this whole value: marked secret, or inside a value that is. */
  secret: boolean
  /**
   * For an undefined value: `undefined` when accepted, 'missing' for error-items' missing
   * item, else zod's issues (an enum or literal reports its values even for undefined).
   */
  undefinedOutcome: RawIssue[] | null
  undefinedMissing: boolean
  /** Missing only as an object field: an enum or literal, which zod reports by its values. */
  undefinedMissingField: boolean
  properties: Array<{ key: string, pointer: string, node: Node }>
  element: Node | null
  /** An array's own checks (min/max length), in zod's order. */
  checks: object[]
  /**
   * The maxima of an array's leading run of length checks, each with its check, and the
   * least of them: zod checks a longer array against them before reading its elements.
   */
  caps: Array<[number, object]>
  cap: number
  /** The wording of each rule, computed by error-items.ts on its first failure. */
  templates: WeakMap<object, Map<string, Template | null>>
}

interface Template { type: string, msg: string, ctx: Record<string, unknown> | undefined }

interface Walk {
  failing: Set<string>
  context: IssueContext
  items: ErrorItem[]
  /** False once the walk cannot promise zod's items. */
  ok: boolean
}

const KINDS: Record<string, Node['kind']> = {
  object: 'object',
  array: 'array',
  string: 'scalar',
  number: 'scalar',
  boolean: 'scalar',
  null: 'scalar',
  enum: 'scalar',
  literal: 'scalar'
}

function buildNode (schema: z.ZodType, inSecret = false): Node | null {
  const inner = unwrap(schema)
  const def = defOf(inner)
  const kind = KINDS[def.type]
  if (kind === undefined) return null
  let outcome: RawIssue[] | null = null
  let missing = false
  let missingField = false
  if (!acceptsUndefined(schema)) {
    outcome = runSchema(schema, undefined)
    missing = outcome.length > 0 && outcome[0].code === 'invalid_type'
    // error-items.ts reads an absent enum/literal field (not list item) as missing too.
    missingField = outcome.length > 0 && outcome[0].code === 'invalid_value'
  }
  const node: Node = {
    schema,
    kind,
    nullable: schema.safeParse(null).success,
    secret: inSecret || isSecret(schema),
    undefinedOutcome: outcome,
    undefinedMissing: missing,
    undefinedMissingField: missingField,
    properties: [],
    element: null,
    checks: [],
    caps: [],
    cap: Infinity,
    templates: new WeakMap()
  }
  if (kind === 'object') {
    for (const [key, child] of Object.entries(def.shape as Record<string, z.ZodType>)) {
      // zod reads `input[key]`, inherited values included; error-items.ts reads own keys only.
      if (key in Object.prototype) return null
      const childNode = buildNode(child, node.secret)
      if (childNode === null) return null
      node.properties.push({ key, pointer: `/${escapePointer(key)}`, node: childNode })
    }
  } else if (kind === 'array') {
    node.element = buildNode(def.element, node.secret)
    if (node.element === null) return null
    node.checks = ((def.checks ?? []) as object[])
    for (const check of node.checks) {
      const { check: name, maximum, length } = defOf(check as z.ZodType)
      // As zod's sizeCaps: only length checks, up to the first other check.
      if (!/_(length|size)$|_equals$/.test(name)) break
      const max = maximum ?? length
      if (max >= 0) node.caps.push([max, check])
    }
    node.cap = Math.min(...node.caps.map(([max]) => max))
  }
  return node
}

/**
 * Appends the items of `value` (at `path`, JSON pointer `pointer`) in zod's order: an
 * object's properties in shape order; an array's elements, then its own length checks.
 * Returns whether zod's issues there include one that stops an enclosing array's checks
 * (`continue: false`, as zod's runChecks reads it).
 */
function visit (node: Node, value: unknown, parent: Node | undefined, parentValue: unknown, pointer: string, path: Path, walk: Walk): boolean {
  if (!walk.ok || !walk.failing.has(pointer)) return false
  const before = walk.items.length
  const stops = visitFailing(node, value, parent, parentValue, pointer, path, walk)
  // ajv found a failure at or below this value: zod reports one there too.
  if (walk.items.length === before) walk.ok = false
  return stops
}

function visitFailing (node: Node, value: unknown, parent: Node | undefined, parentValue: unknown, pointer: string, path: Path, walk: Walk): boolean {
  if (value === undefined) {
    const issues = node.undefinedOutcome
    if (issues === null) return false
    if (parent !== undefined && (node.undefinedMissing || (node.undefinedMissingField && !Array.isArray(parentValue)))) {
      // error-items.ts: a missing field shows its parent object.
      walk.items.push({ type: MISSING.type, loc: [...walk.context.loc, ...path], msg: MISSING.msg, input: shown(parent, parentValue, walk) })
    } else {
      pushRaw(node, issues[0], value, path, walk)
    }
    return stopsChecks(issues)
  }
  if (node.kind === 'scalar' || (node.kind === 'object' ? !isObject(value) : !Array.isArray(value))) {
    // zod's own parse of this value alone: its type check, then its checks in order.
    const issues = runSchema(node.schema, value)
    if (issues.length > 0) pushRaw(node, issues[0], value, path, walk)
    return stopsChecks(issues)
  }
  if (node.kind === 'object') {
    let stops = false
    for (const { key, pointer: suffix, node: child } of node.properties) {
      const childValue = Object.hasOwn(value as object, key) ? (value as Record<string, unknown>)[key] : undefined
      if (visit(child, childValue, node, value, pointer + suffix, [...path, key], walk)) stops = true
    }
    return stops
  }
  const array = value as unknown[]
  if (array.length > node.cap) {
    // zod measures an array longer than its maximum before its elements, reports only that,
    // and marks it as stopping (capSize).
    const [, check] = node.caps.find(([max]) => array.length > max)!
    const issues = runCheck(check, value)
    if (issues.length > 0) pushRaw(node, issues[0], value, path, walk)
    return true
  }
  let stops = false
  for (let i = 0; i < array.length; i++) {
    if (visit(node.element!, array[i], node, array, `${pointer}/${i}`, [...path, i], walk)) stops = true
  }
  // zod skips the length checks (all have a `when`) once an issue says `continue: false`.
  if (stops) return true
  for (const check of node.checks) {
    const issues = runCheck(check, value)
    if (issues.length > 0) {
      pushRaw(node, issues[0], value, path, walk)
      return stopsChecks(issues)
    }
  }
  return false
}

function stopsChecks (issues: readonly RawIssue[]): boolean {
  return issues.some(issue => (issue as { continue?: boolean }).continue === false)
}

/** The item error-items.ts makes of zod's raw issue found on `value` itself. */
function pushRaw (node: Node, issue: RawIssue, value: unknown, path: Path, walk: Walk): void {
  if (issue.path !== undefined && issue.path.length > 0) {
    walk.ok = false
    return
  }
  const loc = [...walk.context.loc, ...path]
  // A list's length is in its message: error-items.ts is asked each time (rare).
  const cacheable = issue.inst !== undefined && !((issue.code === 'too_small' || issue.code === 'too_big') && issue.origin !== 'string' && issue.origin !== 'number' && issue.origin !== 'int')
  let template: Template | null | undefined
  // One check gives several issues: int32's own range or the safe range, too long or too short.
  const { expected, minimum, maximum } = issue as { expected?: string, minimum?: unknown, maximum?: unknown }
  const key = `${issue.code}|${expected}|${String(minimum ?? maximum)}|${category(value)}`
  if (cacheable) {
    let byKey = node.templates.get(issue.inst!)
    if (byKey === undefined) node.templates.set(issue.inst!, byKey = new Map())
    template = byKey.get(key)
    if (template === undefined) byKey.set(key, template = templateOf(node, issue, value))
  } else {
    template = templateOf(node, issue, value)
  }
  if (template === null) {
    walk.ok = false
    return
  }
  const item: ErrorItem = { type: template.type, loc, msg: template.msg, input: shown(node, value, walk) }
  if (template.ctx !== undefined) item.ctx = { ...template.ctx }
  walk.items.push(item)
}

const KNOWN = new Set(['invalid_type', 'too_small', 'too_big', 'invalid_format', 'invalid_value', 'not_multiple_of'])

/**
 * type, msg and ctx of the item error-items.ts makes of `issue` (they depend on the value
 * only through {@link category}, or a list's length); `null` for an issue whose wording a
 * raw issue cannot give (zod writes `message` when it finalizes).
 */
function templateOf (node: Node, issue: RawIssue, value: unknown): Template | null {
  if (!KNOWN.has(issue.code) || (issue.code === 'invalid_format' && issue.format !== 'regex')) return null
  const out: ErrorItem[] = []
  pushIssueItems([{ ...issue, path: [] } as Issue], { loc: [], input: value, schema: node.schema, fromString: false, hasSecrets: false }, out)
  if (out.length !== 1 || out[0].type === 'value_error' || out[0].type === 'missing') return null
  return { type: out[0].type, msg: out[0].msg, ctx: out[0].ctx }
}

/** What the wording of a type error depends on (error-items' typeError). */
function category (value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? 'finite' : 'nonfinite'
  return typeof value
}

const MISSING: Template = (() => {
  const out: ErrorItem[] = []
  const schema = { _zod: { def: { type: 'object', shape: {} } } } as unknown as z.ZodType
  pushIssueItems([{ code: 'invalid_type', expected: 'string', path: ['a'], message: '' } as unknown as Issue],
    { loc: [], input: {}, schema, fromString: false, hasSecrets: false }, out)
  return { type: out[0].type, msg: out[0].msg, ctx: undefined }
})()

/** error-items' `shown`: secrets replaced (when the argument has any), non-finite numbers as strings. */
function shown (node: Node, value: unknown, walk: Walk): unknown {
  if (!walk.context.hasSecrets) return jsonSafe(value)
  if (node.secret) return value === undefined || value === null ? value : REDACTED
  // `redact` copies only objects and arrays, and only for an object or array schema.
  return jsonSafe(node.kind === 'scalar' ? value : redact(node.schema, value))
}

function isObject (value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function escapePointer (key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

function addWithPrefixes (set: Set<string>, pointer: string): void {
  set.add(pointer)
  for (let i = pointer.lastIndexOf('/'); i >= 0; i = pointer.lastIndexOf('/', i - 1)) {
    const prefix = pointer.slice(0, i)
    if (set.has(prefix)) return
    set.add(prefix)
    if (i === 0) return
  }
}
