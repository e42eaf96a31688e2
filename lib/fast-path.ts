/**
 * @module fast-path — ajv and fast-json-stringify, compiled once at registration from the
 * zod schemas that JSON Schema expresses exactly (json-schema.ts), used per request.
 *
 * zod stays the reference: every function here either gives zod's answer or says "ask zod"
 * (`false`, {@link FAST_PATH_MISS}). zod then builds the 422/500 items as before, so the
 * error bodies never depend on which path ran. Measured here on the seed's UserOut, zod's
 * parse + JSON.stringify costs about 1.5–2 µs, this serializer about 0.3 µs; on UserIn, zod's
 * safeParse about 0.15 µs, the fast check about 0.07 µs.
 */
import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv'
import fastJson from 'fast-json-stringify'
import type { z } from 'zod'
import { checkJsonSchema, DATE_KEYWORD, exactJsonSchema, responseCheckSchema, topLevelOf, type JSONSchema } from './json-schema.js'
import { REDACTED } from './error-items.js'
import { containsSecret, defOf, isSecret, unwrap } from './zod-internals.js'

// Options that make ajv decide like zod: no coercion, no `u` flag on patterns (zod's regexes
// here have none), no NaN/Infinity. Lengths: both count code points (a lone surrogate as one).
const SHARED = {
  allErrors: false,
  coerceTypes: false,
  strict: false,
  strictNumbers: true,
  unicodeRegExp: false,
  validateFormats: false,
  addUsedSchema: false
} as const

/** Never changes the value: used to decide, and for response values. */
const checker = new Ajv({ ...SHARED, useDefaults: false, removeAdditional: false })
/** Fills in defaults and drops undeclared keys, as zod's data would have them. */
const mutator = new Ajv({ ...SHARED, useDefaults: true, removeAdditional: true })
/** Reports every failing rule: only for values already rejected, to build their 422 items. */
const reporter = new Ajv({ ...SHARED, allErrors: true, useDefaults: false, removeAdditional: false })

// Compiling costs ~0.3–1.5 ms per schema (ajv, fast-json-stringify), and apps repeat the same
// models across many routes: compiled functions are shared by schema content. ajv's own cache
// is keyed by object identity, which every route's fresh JSON Schema object defeats.
const validators = new WeakMap<Ajv, Map<string, ValidateFunction>>()
const serializers = new Map<string, (value: unknown) => string>()

function cached<TFn> (cache: Map<string, TFn>, schema: unknown, build: (schema: unknown) => TFn): TFn {
  const key = JSON.stringify(schema)
  let fn = cache.get(key)
  if (fn === undefined) {
    fn = build(schema)
    cache.set(key, fn)
  }
  return fn
}

function compileCached (ajv: Ajv, schema: unknown): ValidateFunction {
  let cache = validators.get(ajv)
  if (cache === undefined) {
    cache = new Map()
    validators.set(ajv, cache)
  }
  return cached(cache, schema, s => ajv.compile(s as AnySchema))
}

checker.addKeyword({
  keyword: DATE_KEYWORD,
  schemaType: 'boolean',
  errors: false,
  // zod's z.date(): a Date instance holding a valid time.
  validate: (_: boolean, data: unknown) => data instanceof Date && !Number.isNaN(data.getTime())
})

/**
 * Thrown by a fast serializer when the value does not pass the response model: the caller
 * runs zod (`model.safeParse`) to build the ResponseValidationError. A single instance, so
 * the miss costs no stack capture.
 */
export const FAST_PATH_MISS: Error = new Error('fast path miss: validate with zod')

/** Returned by a fast parser when the value must go to zod (which will report the errors). */
export const FAST_PARSE_FAIL: unique symbol = Symbol('fastify-fastapi.fastParseFail')

/**
 * A validator equivalent to `schema.safeParse(value).success`, or `null` when JSON Schema
 * cannot say exactly what the schema checks.
 *
 * When it returns `true`, the value has become zod's data: undeclared keys are deleted and
 * missing defaults filled in, in place (key order aside: the input's order is kept). When it
 * returns `false`, the value is untouched and the caller runs zod for the error items.
 *
 * `undefined` at the top: `true` for an optional schema; for a schema with a top-level
 * default, `false` (a boolean cannot carry the default; zod, run next, gives it). Use
 * {@link compileFastParse} to get the default without zod.
 */
export function compileFastCheck (schema: z.ZodType): ((value: unknown) => boolean) | null {
  const check = compileChecker(schema)
  if (check === null) return null
  const optional = topLevelOf(schema).optional
  return function fastCheck (value) {
    return value === undefined ? optional : check(value)
  }
}

/**
 * Like {@link compileFastCheck}, but returns zod's data (the value itself, or the top-level
 * default) or {@link FAST_PARSE_FAIL}; `null` when not exact.
 *
 * @example
 * const parse = compileFastParse(UserIn)
 * const data = parse?.(body) ?? FAST_PARSE_FAIL
 * if (data === FAST_PARSE_FAIL) { const result = UserIn.safeParse(body) ... }
 */
export function compileFastParse (schema: z.ZodType): ((value: unknown) => unknown) | null {
  const check = compileChecker(schema)
  if (check === null) return null
  const top = topLevelOf(schema)
  return function fastParse (value) {
    if (value === undefined) {
      if (top.hasDefault) return top.defaultValue()
      return top.optional ? undefined : FAST_PARSE_FAIL
    }
    return check(value) ? value : FAST_PARSE_FAIL
  }
}

/**
 * ajv's errors for a value, every failing rule (`allErrors`), or `null` when the value is
 * valid; `null` instead of a function when {@link compileFastParse} gives `null`. Checks like
 * the fast parser and never changes the value. The array is ajv's and is replaced by the next
 * call: read it at once.
 */
export function compileFastErrors (schema: z.ZodType): ((value: unknown) => ErrorObject[] | null) | null {
  if (compileFastParse(schema) === null) return null
  const validate = compileCached(reporter, checkJsonSchema(schema, { dates: false }))
  return function fastErrors (value) {
    return validate(value) as boolean ? null : (validate.errors ?? [])
  }
}

function compileChecker (schema: z.ZodType): ((value: unknown) => boolean) | null {
  const decide = checkJsonSchema(schema, { dates: false })
  const mutate = exactJsonSchema(schema, 'input')
  if (decide === null || mutate === null) return null
  const validate = compileCached(checker, decide)
  // Deciding first and mutating only a valid value keeps a rejected value as the client sent
  // it: zod's error items echo the input, undeclared keys included.
  if (!changesValues(mutate)) return value => validate(value) as boolean
  // The value is valid by then: the second pass needs only the structure (types, properties,
  // items, defaults), which makes it a few nanoseconds instead of a second validation.
  const structure = structureOf(mutate)
  if (structure === null) return null
  const apply = compileCached(mutator, structure)
  return value => validate(value) && (apply(value) as boolean)
}

/** True when ajv's useDefaults/removeAdditional can change a value of this schema. */
function changesValues (json: unknown): boolean {
  if (json === null || typeof json !== 'object') return false
  if (Array.isArray(json)) return json.some(changesValues)
  const node = json as Record<string, unknown>
  if (node.additionalProperties === false || node.default !== undefined) return true
  return Object.values(node).some(changesValues)
}

const STRUCTURE = new Set(['type', 'additionalProperties', 'default'])

/**
 * The keywords of a schema that place defaults and drop keys; constraints are left out.
 * A nullable `anyOf` becomes a type list, because ajv ignores defaults under `anyOf`;
 * `null` when that cannot be done.
 */
function structureOf (json: JSONSchema): JSONSchema | null {
  const merged = mergeNullable(json)
  if (merged === null) return null
  const node: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(merged)) {
    if (STRUCTURE.has(key)) {
      node[key] = value
    } else if (key === 'items' && !Array.isArray(value)) {
      const items = structureOf(value as JSONSchema)
      if (items === null) return null
      node.items = items
    } else if (key === 'properties') {
      const properties: Record<string, JSONSchema> = {}
      for (const [name, schema] of Object.entries(value as Record<string, JSONSchema>)) {
        const property = structureOf(schema)
        if (property === null) return null
        properties[name] = property
      }
      node.properties = properties
    }
  }
  return node as JSONSchema
}

/**
 * `anyOf: [X, { type: 'null' }]` (zod's `.nullable()`, possibly nested) as X with `'null'`
 * added to its `type`; the schema itself when it has no `anyOf`; `null` for any other `anyOf`.
 * Only for a value already validated: X's `enum` or `const` would now reject null.
 */
function mergeNullable (json: JSONSchema): JSONSchema | null {
  if (!Array.isArray(json.anyOf)) return json
  const { anyOf, ...rest } = json as Record<string, any>
  if (anyOf.length !== 2 || anyOf[1].type !== 'null' || Object.keys(anyOf[1]).length !== 1) return null
  const inner = mergeNullable(anyOf[0])
  if (inner === null || inner.type === undefined) return null
  const types = new Set([inner.type].flat())
  types.add('null')
  return { ...rest, ...inner, type: [...types] } as JSONSchema
}

/**
 * A serializer for a response model: it returns `JSON.stringify(model.parse(value))`, byte
 * for byte, or throws {@link FAST_PATH_MISS} when zod must run (the value does not fit the
 * model, or is `undefined`). `null` when JSON Schema cannot express the model exactly.
 *
 * The value is validated without being changed, then fast-json-stringify writes only the
 * declared fields, dates as ISO strings, a field marked secret as "**********" (written by the
 * compiled code itself: a model without secrets compiles as before). FastAPI's
 * `responseModelExclude*` / include options are not applied: use it only for routes without them.
 */
export function compileFastSerializer (model: z.ZodType): ((value: unknown) => string) | null {
  const check = responseCheckSchema(model)
  const output = exactJsonSchema(model, 'output')
  if (check === null || output === null) return null
  const validate = compileCached(checker, check)
  const stringify = cached(serializers, forSerializer(output, containsSecret(model) ? model : undefined),
    schema => fastJson(schema as Parameters<typeof fastJson>[0]) as (value: unknown) => string)
  return function fastSerialize (value) {
    if (value === undefined || !(validate(value) as boolean)) throw FAST_PATH_MISS
    return stringify(value)
  }
}

/**
 * Adapts an output schema to fast-json-stringify, which must write keys in zod's order:
 * - it writes required properties first, so `required` keeps only the leading run of
 *   required keys (the value is validated already; `required` is only an ordering hint);
 * - a nullable `anyOf: [X, { type: 'null' }]` becomes `type: [X.type, 'null']`, which it
 *   serializes without a runtime ajv call per value (the value is validated already);
 * - with `model` (the zod schema `json` was made from, given when it holds a secret), a value
 *   marked secret becomes a `const` "**********" (null still written as null), as the zod path's
 *   `redact(model, data, 'output')` writes it.
 */
function forSerializer (json: JSONSchema, model?: z.ZodType): JSONSchema {
  if (model !== undefined && isSecret(model)) {
    const secret: Record<string, unknown> = { type: model.safeParse(null).success ? ['string', 'null'] : 'string', const: REDACTED }
    // It writes a missing property's default as given: a secret default is a secret.
    if (json.default !== undefined) secret.default = json.default === null ? null : REDACTED
    return secret as JSONSchema
  }
  // The zod schema of what is inside (z.toJSONSchema writes wrappers on the same node).
  const inner = model === undefined ? undefined : defOf(unwrap(model))
  const node: Record<string, any> = { ...(mergeNullable(json) ?? json) }
  // Validated already; fast-json-stringify would write a `const` without looking at the value.
  delete node.const
  delete node.enum
  if (node.properties !== undefined) {
    const properties: Record<string, JSONSchema> = {}
    for (const [key, value] of Object.entries(node.properties as Record<string, JSONSchema>)) {
      const field = inner?.type === 'object' && Object.hasOwn(inner.shape, key) ? inner.shape[key] as z.ZodType : undefined
      properties[key] = forSerializer(value, field)
    }
    node.properties = properties
    const required = new Set<string>(node.required ?? [])
    const keys = Object.keys(properties)
    let prefix = 0
    while (prefix < keys.length && required.has(keys[prefix])) prefix++
    node.required = keys.slice(0, prefix)
  }
  if (node.items !== undefined && !Array.isArray(node.items)) node.items = forSerializer(node.items, inner?.type === 'array' ? inner.element : undefined)
  // A nullable that did not merge: the non-null member is what the wrappers wrap.
  if (Array.isArray(node.anyOf)) node.anyOf = node.anyOf.map((member: JSONSchema) => forSerializer(member, member.type === 'null' || model === undefined ? undefined : unwrap(model)))
  return node as JSONSchema
}
