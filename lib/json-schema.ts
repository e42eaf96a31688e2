/**
 * @module json-schema — decides, once per schema, whether JSON Schema says exactly what a zod
 * schema checks, and if so gives that JSON Schema (for ajv and fast-json-stringify).
 *
 * "Exactly" means: a value passes the JSON Schema (with the ajv options of fast-path.ts) if and
 * only if zod accepts it, and zod's data is the value itself, after ajv's `removeAdditional`
 * and `useDefaults`. Anything this module cannot prove that for gives `null`, and the caller
 * keeps zod. The decision walks the zod definition with a whitelist: an unknown schema type,
 * check or wrapper is never exact.
 */
import { z } from 'zod'
import { defOf, isIntegerSchema, wrappersOf } from './zod-internals.js'

/** A JSON Schema object, as `z.toJSONSchema` writes it. */
export type JSONSchema = z.core.JSONSchema.BaseSchema

/**
 * The ajv keyword that marks a valid `Date` instance in {@link responseCheckSchema}; fast-path.ts
 * defines it on its ajv instance.
 */
export const DATE_KEYWORD = 'ffaDate'

/** What a schema accepts when the value is `undefined` (ajv only sees defined values). */
export interface TopLevel {
  /** `undefined` is accepted as is (`.optional()`, without a default). */
  optional: boolean
  /** `undefined` becomes the default value (`.default()`); read it through `defaultValue()`. */
  hasDefault: boolean
  /** The default, read as zod reads it (a fresh shallow copy, or the function's result). */
  defaultValue: () => unknown
}

type Io = 'input' | 'output'
type Position = 'root' | 'property' | 'element'

interface BuildOptions {
  io: Io
  /** How `z.date()` is written: not exact (`null`), as an ISO string, or as a Date-instance check. */
  dates: 'reject' | 'iso' | 'instance'
  /** Whether a strip-mode `z.object` forbids undeclared keys (for ajv's removeAdditional) or allows them. */
  extraKeys: 'forbid' | 'allow'
  /** Whether `z.looseObject` may appear (its extra keys are passed through untouched). */
  loose: boolean
}

/**
 * The JSON Schema of `schema` when it expresses the zod schema exactly, else `null`.
 *
 * - `io: 'input'`: what a request value must be. A strip-mode `z.object` gets
 *   `additionalProperties: false`, so ajv's `removeAdditional` drops what zod drops;
 *   `z.date()` is not exact (JSON has no dates).
 * - `io: 'output'`: the JSON a response model writes. `z.date()` is an ISO `date-time`
 *   string, defaulted properties are always present, `z.looseObject` is not exact (zod
 *   passes extra keys through, and their order in the output cannot be promised).
 *   Use {@link responseCheckSchema} to validate a handler's return value before writing it.
 */
export function exactJsonSchema (schema: z.ZodType, io: Io): JSONSchema | null {
  return io === 'input'
    ? buildExact(schema, { io, dates: 'reject', extraKeys: 'forbid', loose: true })
    : buildExact(schema, { io, dates: 'iso', extraKeys: 'forbid', loose: false })
}

/**
 * The JSON Schema that accepts a value exactly when zod accepts it, without changing it:
 * undeclared keys are allowed (zod strips them, it does not reject them), defaults are not
 * filled in, and with `dates` a `z.date()` is a valid `Date` instance ({@link DATE_KEYWORD}).
 * For a response model, pass `dates: true`: it checks the handler's return value.
 */
export function checkJsonSchema (schema: z.ZodType, options: { dates: boolean }): JSONSchema | null {
  return buildExact(schema, {
    io: 'input',
    dates: options.dates ? 'instance' : 'reject',
    extraKeys: 'allow',
    loose: !options.dates
  })
}

/** {@link checkJsonSchema} for a response model: validates what a handler returns. */
export function responseCheckSchema (model: z.ZodType): JSONSchema | null {
  return checkJsonSchema(model, { dates: true })
}

/** How the outermost wrappers of a schema treat `undefined`. */
export function topLevelOf (schema: z.ZodType): TopLevel {
  const wrappers = wrappersOf(schema)
  const dflt = wrappers.find(def => def.type === 'default')
  return {
    optional: dflt === undefined && wrappers.some(def => def.type === 'optional'),
    hasDefault: dflt !== undefined,
    defaultValue: () => dflt?.defaultValue
  }
}

function buildExact (schema: z.ZodType, options: BuildOptions): JSONSchema | null {
  if (!isExact(schema, 'root', options, new Set())) return null
  const json = z.toJSONSchema(schema, {
    io: options.io,
    target: 'draft-7',
    // An empty registry: metadata (examples, ids turned into $refs, `format: password`)
    // is for the docs; the validator and serializer want the bare constraints.
    metadata: z.registry(),
    unrepresentable: 'any',
    override: ctx => adjust(ctx.zodSchema as unknown as z.ZodType, ctx.jsonSchema, options)
  }) as JSONSchema
  delete json.$schema
  return json
}

function adjust (schema: z.ZodType, json: JSONSchema, options: BuildOptions): void {
  const def = defOf(schema)
  if (def.type === 'date') {
    for (const key of Object.keys(json)) delete (json as Record<string, unknown>)[key]
    if (options.dates === 'iso') Object.assign(json, { type: 'string', format: 'date-time' })
    else Object.assign(json, { [DATE_KEYWORD]: true })
  } else if (def.type === 'object' && def.catchall === undefined) {
    if (options.extraKeys === 'forbid') json.additionalProperties = false
    else delete json.additionalProperties
  }
}

/** The definitions of a schema's checks (`.min()`, `.regex()`, `.refine()`…), its own included. */
function checksOf (schema: z.ZodType): Array<{ check: string, [key: string]: any }> {
  const def = defOf(schema)
  const own = typeof def.check === 'string' ? [def as any] : []
  const added = (def.checks ?? []).map((check: any) => check._zod.def)
  return [...own, ...added]
}

const STRING_CHECKS = new Set(['min_length', 'max_length', 'length_equals'])
const INT_FORMATS = new Set(['safeint', 'int32', 'uint32'])

/** The whitelist walk. `stack` holds the schemas above this one, to reject recursion. */
function isExact (schema: z.ZodType, position: Position, options: BuildOptions, stack: Set<z.ZodType>): boolean {
  if (stack.has(schema)) return false
  const wrappers = wrappersOf(schema)
  for (let i = 0; i < wrappers.length; i++) {
    const wrapper = wrappers[i]
    if ((wrapper.checks ?? []).length > 0) return false
    if (wrapper.type === 'nullable') continue
    // ajv cannot see an undefined array item, and only fills in defaults of object properties
    // (the caller handles the root); a default inside optional/nullable is never reached by ajv.
    if (position === 'element') return false
    if (wrapper.type === 'optional') continue
    if (wrapper.type !== 'default' || i !== 0 || !isExactDefault(wrapper)) return false
  }
  const inner = wrappers.length === 0 ? schema : wrappers[wrappers.length - 1].innerType as z.ZodType
  stack.add(schema)
  const exact = isExactInner(inner, options, stack)
  stack.delete(schema)
  return exact
}

function isExactInner (schema: z.ZodType, options: BuildOptions, stack: Set<z.ZodType>): boolean {
  const def = defOf(schema)
  if (def.coerce === true) return false
  const checks = checksOf(schema)
  switch (def.type) {
    case 'string':
      return checks.every(check => STRING_CHECKS.has(check.check) ||
        // Without flags, zod's regex.test and ajv's new RegExp(source) match alike
        // (fast-path.ts turns off ajv's `u` flag).
        (check.check === 'string_format' && check.format === 'regex' &&
          check.pattern instanceof RegExp && check.pattern.flags === ''))
    case 'number': {
      const integer = isIntegerSchema(schema)
      return checks.every(check => {
        switch (check.check) {
          case 'greater_than':
          case 'less_than':
            return typeof check.value === 'number' && Number.isFinite(check.value)
          case 'number_format':
            return INT_FORMATS.has(check.format)
          case 'multiple_of':
            // zod's float-safe remainder and ajv's `%` agree on integers only.
            return integer && Number.isSafeInteger(check.value) && check.value > 0
          default:
            return false
        }
      })
    }
    case 'boolean':
    case 'null':
      return checks.length === 0
    case 'enum':
      return checks.length === 0 && Object.values(def.entries as Record<string, unknown>)
        .every(v => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
    case 'literal':
      return checks.length === 0 && (def.values as unknown[]).length > 0 && (def.values as unknown[])
        .every(v => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
    case 'date':
      return options.dates !== 'reject' && checks.length === 0
    case 'array':
      return checks.every(check => STRING_CHECKS.has(check.check)) &&
        isExact(def.element, 'element', options, stack)
    case 'object': {
      if (checks.length > 0) return false
      // Strip mode (no catchall) or z.looseObject (catchall unknown); strictObject rejects
      // extra keys with an error that ajv's removeAdditional would not give.
      const catchall = def.catchall === undefined ? undefined : defOf(def.catchall).type
      if (catchall !== undefined && !(catchall === 'unknown' && options.loose)) return false
      return Object.entries(def.shape as Record<string, z.ZodType>).every(([key, value]) =>
        key !== '__proto__' && isExact(value, 'property', options, stack))
    }
    default:
      return false
  }
}

/**
 * ajv (useDefaults) and fast-json-stringify bake a default in at compile time and validate
 * it like any value; zod returns it unchecked, on every parse. They agree when the default
 * is plain JSON, stable, and already what the inner schema would give for it.
 */
function isExactDefault (wrapper: { [key: string]: any }): boolean {
  const first = wrapper.defaultValue
  const second = wrapper.defaultValue
  if (!isPlainJson(first) || JSON.stringify(first) !== JSON.stringify(second)) return false
  const result = (wrapper.innerType as z.ZodType).safeParse(first)
  return result.success && JSON.stringify(result.data) === JSON.stringify(first)
}

function isPlainJson (value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainJson(value[i])) return false
    return true
  }
  if (typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return false
  return Object.entries(value as Record<string, unknown>).every(([key, v]) => key !== '__proto__' && isPlainJson(v))
}
