/**
 * @module zod-internals — the one place that reads zod's schema definitions.
 *
 * NOTE: zod 4 exposes a schema's definition as `schema._zod.def` (documented for
 * library authors, but not part of the everyday API). Reading it here, and only
 * here, keeps the rest of the code independent of its shape.
 */
import { z } from 'zod'

type Def = { type: string, [key: string]: any }

/** The zod definition of a schema. */
export function defOf (schema: z.ZodType): Def {
  return (schema as any)._zod.def
}

/** True for any zod 4 schema (classic or mini). */
export function isZodSchema (value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value &&
    typeof (value as any)._zod?.def?.type === 'string'
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'])

/** The schema under optional/nullable/default/readonly/catch wrappers. */
export function unwrap (schema: z.ZodType): z.ZodType {
  let current = schema
  for (;;) {
    const def = defOf(current)
    if (WRAPPERS.has(def.type)) current = def.innerType
    else if (def.type === 'lazy') current = def.getter()
    else return current
  }
}

/** The wrappers around the innermost schema, outermost first. */
export function wrappersOf (schema: z.ZodType): Def[] {
  const found: Def[] = []
  let current = schema
  for (;;) {
    const def = defOf(current)
    if (!WRAPPERS.has(def.type)) return found
    found.push(def)
    current = def.innerType
  }
}

/** True when the schema carries a default value at its outer level. */
export function hasDefault (schema: z.ZodType): boolean {
  return wrappersOf(schema).some(def => def.type === 'default' || def.type === 'prefault')
}

/** True when `undefined` is an accepted input (optional, or defaulted). */
export function acceptsUndefined (schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success
}

/** True for `z.number().int()`, `z.int()` and the other integer formats. */
export function isIntegerSchema (schema: z.ZodType): boolean {
  const def = defOf(schema)
  if (def.type !== 'number') return false
  if (typeof def.format === 'string' && def.format.includes('int')) return true
  return (def.checks ?? []).some((check: any) => {
    const cdef = check._zod?.def
    return cdef?.check === 'number_format' && String(cdef.format).includes('int')
  })
}

/** What a string from a URL, query, header or cookie must be turned into. */
export type ScalarKind = 'string' | 'number' | 'integer' | 'boolean' | 'bigint' | 'date'

/** How a string-sourced argument is coerced: the kind of its values, and whether it is a list. */
export interface Coercion { kind: ScalarKind, list: boolean }

/** Decides, once, how strings must be coerced to fit `schema` (FastAPI coerces without z.coerce). */
export function coercionFor (schema: z.ZodType): Coercion {
  const inner = unwrap(schema)
  const def = defOf(inner)
  if (def.type === 'array') return { kind: scalarKind(def.element), list: true }
  if (def.type === 'set') return { kind: scalarKind(def.valueType), list: true }
  return { kind: scalarKind(inner), list: false }
}

function scalarKind (schema: z.ZodType): ScalarKind {
  const inner = unwrap(schema)
  const def = defOf(inner)
  switch (def.type) {
    case 'number': return isIntegerSchema(inner) ? 'integer' : 'number'
    case 'boolean': return 'boolean'
    case 'bigint': return 'bigint'
    case 'date': return 'date'
    case 'pipe': return scalarKind(def.in)
    case 'literal': return kindOfValues(def.values)
    case 'enum': return kindOfValues(Object.values(def.entries))
    case 'union': {
      const kinds = new Set<ScalarKind>(def.options.map(scalarKind))
      // A union of numbers and strings keeps the string: it cannot be told apart here.
      return kinds.size === 1 ? [...kinds][0] : 'string'
    }
    default: return 'string'
  }
}

function kindOfValues (values: unknown[]): ScalarKind {
  if (values.every(v => typeof v === 'number')) return 'number'
  if (values.every(v => typeof v === 'boolean')) return 'boolean'
  return 'string'
}

/** The schema that validates the value at `path` inside `schema`, when it can be told. */
export function schemaAt (schema: z.ZodType, path: ReadonlyArray<PropertyKey>): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema
  for (const key of path) {
    if (current === undefined) return undefined
    const def = defOf(unwrap(current))
    // An own key only: `constructor` or `toString` must not read Object.prototype's.
    if (def.type === 'object') current = (Object.hasOwn(def.shape, key) ? def.shape[key as string] : undefined) ?? def.catchall
    else if (def.type === 'array') current = def.element
    else if (def.type === 'record') current = def.valueType
    else if (def.type === 'tuple') current = def.items[key as number] ?? def.rest
    else if (def.type === 'pipe') current = schemaAt(def.in, [key])
    else return undefined
  }
  return current
}

/** The metadata registered for a schema or any of its wrappers (outer first wins). */
export function metaOf (schema: z.ZodType): Record<string, unknown> {
  const merged: Record<string, unknown> = {}
  let current: z.ZodType | undefined = schema
  while (current !== undefined) {
    const meta = z.globalRegistry.get(current)
    if (meta !== undefined) {
      for (const [k, v] of Object.entries(meta)) if (!(k in merged)) merged[k] = v
    }
    const def = defOf(current)
    current = WRAPPERS.has(def.type) ? def.innerType : undefined
  }
  return merged
}

/**
 * True when the user marked the value secret (`secret: true`, which sets JSON Schema's writeOnly),
 * on the schema or on what it wraps (optional, default, … and a lazy's target); the outermost
 * mark wins, as in {@link metaOf}.
 */
export function isSecret (schema: z.ZodType | undefined): boolean {
  let current = schema
  while (current !== undefined) {
    const mark = z.globalRegistry.get(current)?.writeOnly
    if (mark !== undefined) return mark === true
    const def = defOf(current)
    current = WRAPPERS.has(def.type) ? def.innerType : def.type === 'lazy' ? def.getter() : undefined
  }
  return false
}

/** True when `schema` or anything inside it is marked secret; walks each schema once. */
export function containsSecret (schema: z.ZodType, seen = new Set<z.ZodType>()): boolean {
  if (seen.has(schema)) return false
  seen.add(schema)
  if (isSecret(schema)) return true
  const def = defOf(schema)
  const children: z.ZodType[] = []
  if (WRAPPERS.has(def.type)) children.push(def.innerType)
  if (def.type === 'object') {
    children.push(...Object.values(def.shape as Record<string, z.ZodType>))
    if (def.catchall !== undefined) children.push(def.catchall)
  }
  if (def.type === 'array') children.push(def.element)
  if (def.type === 'record' || def.type === 'set') children.push(def.valueType)
  if (def.type === 'union') children.push(...def.options)
  if (def.type === 'intersection') children.push(def.left, def.right)
  if (def.type === 'tuple') {
    children.push(...def.items)
    if (def.rest != null) children.push(def.rest)
  }
  if (def.type === 'pipe') children.push(def.in, def.out)
  if (def.type === 'lazy') children.push(def.getter())
  return children.some(child => containsSecret(child, seen))
}

/** An issue as zod holds it before `safeParse` finalizes it into a ZodError. */
type RawIssue = z.core.$ZodRawIssue

/**
 * zod's issues for `value`, unfinalized: what `safeParse` has before it builds a ZodError,
 * which is most of a failing parse's cost. `_zod.run` is zod's internal entry point.
 */
export function runSchema (schema: z.ZodType, value: unknown): any[] {
  const result = (schema as any)._zod.run({ value, issues: [] }, { async: false })
  return result instanceof Promise ? [] : result.issues
}

/** One zod check (`_zod.check`, internal like `_zod.run`) on a value alone. */
export function runCheck (check: object, value: unknown): any[] {
  const payload = { value, issues: [] as RawIssue[] }
  ;(check as any)._zod.check(payload)
  return payload.issues
}
