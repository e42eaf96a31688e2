/**
 * @module constraints — FastAPI's constraint and docs options, written onto a zod schema.
 *
 * `Field()` and the parameter markers share this: constraints become zod checks on the
 * innermost schema (so `z.string().optional()` with `maxLength` checks the string, and
 * z.toJSONSchema puts `maxLength` next to `type: string`), docs options become zod metadata.
 */
import { z } from 'zod'
import { defOf, unwrap, wrappersOf } from './zod-internals.js'

/** Constraint and documentation options shared by `Field()` and every parameter marker. */
export interface FieldOptions<T = unknown> {
  /** Title shown in the OpenAPI schema. */
  title?: string
  /** Description shown in the OpenAPI schema (markdown). */
  description?: string
  /** Exclusive lower bound of a number (`>`). */
  gt?: number | bigint
  /** Inclusive lower bound of a number (`>=`). */
  ge?: number | bigint
  /** Exclusive upper bound of a number (`<`). */
  lt?: number | bigint
  /** Inclusive upper bound of a number (`<=`). */
  le?: number | bigint
  /** Minimum length of a string (in characters) or of a list (in items). */
  minLength?: number
  /** Maximum length of a string (in characters) or of a list (in items). */
  maxLength?: number
  /** A regular expression the string must match somewhere (anchor it with ^…$ to match all). */
  pattern?: RegExp | string
  /** Value used when the input lacks this one; makes the argument optional. */
  default?: T
  /** Example values for the docs. */
  examples?: T[]
  /** Marks the value deprecated in the docs. */
  deprecated?: boolean
  /**
   * Marks the value secret: it is never echoed in a 422 `input` or a log line, and is
   * documented as `writeOnly` (like pydantic's SecretStr).
   */
  secret?: boolean
}

/** Names of the options above, used to reject typos at registration. */
export const FIELD_OPTION_KEYS = new Set([
  'title', 'description', 'gt', 'ge', 'lt', 'le', 'minLength', 'maxLength', 'pattern',
  'default', 'examples', 'deprecated', 'secret'
])

const NUMERIC = new Set(['number', 'bigint', 'date'])
const SIZED = new Set(['string', 'array'])

/**
 * Returns `schema` with `options` applied; `fail(message)` reports an option that does not
 * fit (it must throw). Called once per schema at registration.
 */
export function applyFieldOptions (
  schema: z.ZodType,
  options: FieldOptions<any>,
  fail: (message: string) => never
): z.ZodType {
  let result = schema
  const checks = constraintChecks(unwrap(schema), options, fail)
  if (checks.length > 0) result = rewrap(schema, unwrap(schema).check(...checks))
  if (options.default !== undefined) result = (result as any).default(options.default)
  const meta: Record<string, unknown> = {}
  if (options.title !== undefined) meta.title = options.title
  if (options.description !== undefined) meta.description = options.description
  if (options.examples !== undefined) {
    if (!Array.isArray(options.examples)) fail('`examples` must be an array of example values.')
    meta.examples = options.examples
  }
  if (options.deprecated !== undefined) meta.deprecated = options.deprecated
  if (options.secret === true) {
    meta.writeOnly = true
    if (defOf(unwrap(schema)).type === 'string') meta.format = 'password'
  }
  return Object.keys(meta).length > 0 ? result.meta({ ...ownMeta(result), ...meta }) : result
}

/**
 * A schema's metadata without its `id`: a schema derived from a named model (one with an
 * example, say) is another schema, and documents as a reference to the model plus its own keys.
 */
function ownMeta (schema: z.ZodType): Record<string, unknown> | undefined {
  const meta = z.globalRegistry.get(schema)
  if (meta === undefined || !('id' in meta)) return meta
  const { id, ...rest } = meta
  return rest
}

function constraintChecks (inner: z.ZodType, options: FieldOptions<any>, fail: (message: string) => never): any[] {
  const type = defOf(inner).type
  const checks: any[] = []
  for (const key of ['gt', 'ge', 'lt', 'le'] as const) {
    const bound = options[key]
    if (bound === undefined) continue
    if (!NUMERIC.has(type)) fail(`\`${key}\` applies to numbers, but the schema is a ${type}. Remove it, or use minLength/maxLength.`)
    if (typeof bound !== 'number' && typeof bound !== 'bigint') fail(`\`${key}\` must be a number.`)
    checks.push(key === 'gt' ? z.gt(bound) : key === 'ge' ? z.gte(bound) : key === 'lt' ? z.lt(bound) : z.lte(bound))
  }
  for (const key of ['minLength', 'maxLength'] as const) {
    const size = options[key]
    if (size === undefined) continue
    if (!SIZED.has(type)) fail(`\`${key}\` applies to strings and lists, but the schema is a ${type}. Remove it, or use gt/ge/lt/le.`)
    if (!Number.isInteger(size) || size < 0) fail(`\`${key}\` must be a non-negative integer.`)
    checks.push(key === 'minLength' ? z.minLength(size) : z.maxLength(size))
  }
  if (options.pattern !== undefined) {
    if (type !== 'string') fail(`\`pattern\` applies to strings, but the schema is a ${type}.`)
    let regex: RegExp
    try {
      regex = typeof options.pattern === 'string' ? new RegExp(options.pattern) : options.pattern
    } catch (err) {
      fail(`\`pattern\` is not a valid regular expression: ${(err as Error).message}`)
    }
    if (!(regex instanceof RegExp)) fail('`pattern` must be a RegExp or a string.')
    checks.push(z.regex(regex))
  }
  return checks
}

/** Puts the wrappers of `original` (optional, default, …) back around a new inner schema. */
function rewrap (original: z.ZodType, inner: z.ZodType): z.ZodType {
  let result: any = inner
  for (const def of wrappersOf(original).reverse()) {
    switch (def.type) {
      case 'optional': result = result.optional(); break
      case 'nullable': result = result.nullable(); break
      case 'default': result = result.default(def.defaultValue); break
      case 'prefault': result = result.prefault(def.defaultValue); break
      case 'readonly': result = result.readonly(); break
      case 'catch': result = result.catch(def.catchValue); break
      case 'nonoptional': result = result.nonoptional(); break
    }
  }
  const meta = ownMeta(original)
  return meta === undefined ? result : result.meta(meta)
}
