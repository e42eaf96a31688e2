/**
 * @module coerce — strings from the URL, query, headers and cookies, turned into the
 * numbers, booleans and lists the schema asks for (FastAPI does this without z.coerce).
 *
 * A coercer is chosen once per argument. A string that cannot be converted is passed on
 * unchanged, so the schema rejects it and the 422 item shows the string as received.
 */
import type { Coercion, ScalarKind } from './zod-internals.js'

/** Converts one raw value (a string, or an array of strings for repeated keys). */
export type Coercer = (raw: unknown) => unknown

// pydantic accepts surrounding whitespace, a sign, and a zero fraction ("7.0") for integers.
const INTEGER = /^\s*[+-]?\d+(?:\.0*)?\s*$/
const TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes'])
const FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no'])

const scalars: Record<ScalarKind, (raw: string) => unknown> = {
  string: raw => raw,
  integer: raw => INTEGER.test(raw) ? Number.parseFloat(raw) : raw,
  number: raw => {
    const trimmed = raw.trim()
    if (trimmed === '') return raw
    const value = Number(trimmed)
    // Infinity and NaN are refused: they have no JSON form to echo back or return.
    return Number.isFinite(value) ? value : raw
  },
  boolean: raw => {
    const lower = raw.trim().toLowerCase()
    return TRUE.has(lower) ? true : FALSE.has(lower) ? false : raw
  },
  bigint: raw => {
    try { return BigInt(raw.trim()) } catch { return raw }
  },
  date: raw => {
    const value = new Date(raw)
    return Number.isNaN(value.getTime()) ? raw : value
  }
}

/**
 * Builds the coercer for an argument. Scalars take the last of repeated values
 * (as FastAPI does); lists take every value, and a single value becomes a one-item list.
 */
export function buildCoercer ({ kind, list }: Coercion): Coercer {
  const scalar = scalars[kind]
  const one = (value: unknown): unknown => typeof value === 'string' ? scalar(value) : value
  if (list) {
    return raw => raw === undefined ? raw : Array.isArray(raw) ? raw.map(one) : [one(raw)]
  }
  if (kind === 'string') return raw => Array.isArray(raw) ? raw[raw.length - 1] : raw
  return raw => one(Array.isArray(raw) ? raw[raw.length - 1] : raw)
}
