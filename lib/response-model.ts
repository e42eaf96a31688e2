/**
 * @module response-model — what a handler returns, filtered through its `responseModel`.
 *
 * The model is parsed with zod, whose object parsing drops every undeclared key at any
 * depth (a password never leaks); FastAPI's exclude options then trim the result.
 */
import type { z } from 'zod'
import { ResponseValidationError, type ErrorItem } from './exceptions.js'
import { pushIssueItems, redact } from './error-items.js'
import { containsSecret, defOf, schemaAt, unwrap, wrappersOf } from './zod-internals.js'
import { compileFastSerializer, FAST_PATH_MISS } from './fast-path.js'

/** FastAPI's `response_model_*` options, in camelCase. */
export interface ResponseModelOptions {
  /** Drop fields whose value is null (or undefined), at every depth. */
  responseModelExcludeNone?: boolean
  /** Drop fields the handler did not set (absent keys), instead of filling in defaults. */
  responseModelExcludeUnset?: boolean
  /** Drop fields whose value equals the model's default. */
  responseModelExcludeDefaults?: boolean
  /** Keep only these top-level fields. */
  responseModelInclude?: readonly string[]
  /** Drop these top-level fields. */
  responseModelExclude?: readonly string[]
}

/** Turns a handler's return value into the response value; throws ResponseValidationError. */
export type ResponseFilter = (value: unknown) => unknown

/** Turns a handler's return value into the JSON text of the response. */
export type ResponseSerializer = (value: unknown) => string

/** `JSON.stringify`, with `null` for a handler that returned nothing (FastAPI sends `null`). */
export function serializeJson (value: unknown): string {
  return JSON.stringify(value === undefined ? null : value)
}

/**
 * The serializer of a route with a response model: ajv + fast-json-stringify when the model
 * converts exactly to JSON Schema and no exclude option is set, zod + JSON.stringify otherwise.
 * Both give the same bytes (test/fast-path.test.ts); zod also runs when the fast check fails,
 * to build the ResponseValidationError.
 */
export function compileResponseSerializer (model: z.ZodType, options: ResponseModelOptions): ResponseSerializer {
  const filter = compileResponseModel(model, options)
  const trims = options.responseModelExcludeNone === true || options.responseModelExcludeUnset === true ||
    options.responseModelExcludeDefaults === true || options.responseModelInclude !== undefined ||
    options.responseModelExclude !== undefined
  const fast = trims ? null : compileFastSerializer(model)
  if (fast === null) return value => serializeJson(filter(value))
  return function serializeResponse (value) {
    try {
      return fast(value)
    } catch (error) {
      if (error !== FAST_PATH_MISS) throw error
      return serializeJson(filter(value))
    }
  }
}

/**
 * Compiles the filter for a model and its options, once per route. A field marked secret is
 * sent as "**********", as pydantic serializes a SecretStr (null stays null).
 */
export function compileResponseModel (model: z.ZodType, options: ResponseModelOptions): ResponseFilter {
  const hasSecrets = containsSecret(model)
  const include = options.responseModelInclude === undefined ? null : new Set(options.responseModelInclude)
  const exclude = options.responseModelExclude === undefined ? null : new Set(options.responseModelExclude)
  const { responseModelExcludeNone: excludeNone, responseModelExcludeUnset: excludeUnset, responseModelExcludeDefaults: excludeDefaults } = options
  const trims = excludeNone === true || excludeUnset === true || excludeDefaults === true || include !== null || exclude !== null

  return function filterResponse (value) {
    const result = model.safeParse(value)
    if (!result.success) {
      const errors: ErrorItem[] = []
      pushIssueItems(result.error.issues, { loc: ['response'], input: value, schema: model, fromString: false, hasSecrets }, errors)
      throw new ResponseValidationError(errors)
    }
    if (!trims) return hasSecrets ? redact(model, result.data, 'output') : result.data
    let out = result.data
    if (excludeUnset === true) out = keepSet(model, out, value)
    if (excludeDefaults === true) out = dropDefaults(model, out)
    if (excludeNone === true) out = dropNone(out)
    if (include !== null || exclude !== null) out = pickTop(out, include, exclude)
    // Last: excludeDefaults compares the value itself, as pydantic compares a SecretStr's.
    return hasSecrets ? redact(model, out, 'output') : out
  }
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
}

/** Keeps the keys present in what the handler returned (pydantic's fields_set), at every depth. */
function keepSet (schema: z.ZodType | undefined, out: unknown, given: unknown): unknown {
  if (Array.isArray(out) && Array.isArray(given)) {
    const element = schema === undefined ? undefined : schemaAt(schema, [0])
    return out.map((v, i) => keepSet(element, v, given[i]))
  }
  if (!isPlainObject(out) || !isPlainObject(given)) return out
  const kept: Record<string, unknown> = {}
  for (const key of Object.keys(out)) {
    if (given[key] === undefined) continue
    kept[key] = keepSet(schema === undefined ? undefined : schemaAt(schema, [key]), out[key], given[key])
  }
  return kept
}

/** Drops object fields equal to their declared default, at every depth. */
function dropDefaults (schema: z.ZodType | undefined, out: unknown): unknown {
  if (schema === undefined) return out
  if (Array.isArray(out)) {
    const element = schemaAt(schema, [0])
    return out.map(v => dropDefaults(element, v))
  }
  if (!isPlainObject(out) || defOf(unwrap(schema)).type !== 'object') return out
  const kept: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(out)) {
    const field = schemaAt(schema, [key])
    const dflt = field === undefined ? undefined : wrappersOf(field).find(d => d.type === 'default')
    if (dflt !== undefined && sameJson(dflt.defaultValue, v)) continue
    kept[key] = dropDefaults(field, v)
  }
  return kept
}

function sameJson (a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

/** Drops null and undefined object fields at every depth (list items stay). */
function dropNone (out: unknown): unknown {
  if (Array.isArray(out)) return out.map(dropNone)
  if (!isPlainObject(out)) return out
  const kept: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(out)) {
    if (v === null || v === undefined) continue
    kept[key] = dropNone(v)
  }
  return kept
}

function pickTop (out: unknown, include: Set<string> | null, exclude: Set<string> | null): unknown {
  if (!isPlainObject(out)) return out
  const kept: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(out)) {
    if (include !== null && !include.has(key)) continue
    if (exclude !== null && exclude.has(key)) continue
    kept[key] = v
  }
  return kept
}
