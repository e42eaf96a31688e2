/**
 * @module redact-log — keeps a request's secret values out of the error lines the plugin logs.
 *
 * A handler, a dependency's teardown or a background task may write what it received into its
 * own error (`throw new Error(\`login failed for ${password}\`)`); the error line would log it as
 * thrown. On that error path only, the request's values for arguments marked secret are read
 * again and replaced by "**********" in the logged copy of the error. A route without secret
 * arguments, and every request that logs no error, pays nothing.
 */
import type { FastifyRequest } from 'fastify'
import type { ArgSpec } from './validation.js'
import { REDACTED, redact } from './error-items.js'
import { coercionFor, containsSecret } from './zod-internals.js'
import { parseCookies } from './cookies.js'
import { kSecretArgs } from './symbols.js'

/** An argument of a route that holds a secret somewhere, and how it is read. */
interface SecretArg {
  spec: ArgSpec
  list: boolean
}

/** What a route's config holds under kSecretArgs; `args` changes when dependency overrides do. */
export interface SecretArgs { args: readonly SecretArg[] }

/** Deepest level of an error's properties searched (errors rarely nest more than a cause or two). */
const MAX_DEPTH = 8

/**
 * The secret arguments among a route's (its own and its dependencies'), for its config; `null`
 * when there are none, so a route without secrets carries nothing. Called at registration.
 */
export function secretArgsOf (specs: readonly ArgSpec[]): SecretArg[] {
  return specs.filter(spec => containsSecret(spec.schema)).map(spec => ({ spec, list: coercionFor(spec.schema).list }))
}

/**
 * `error` as it may be logged for `request`: itself when the route has no secret argument or
 * the error holds none of this request's secret values; else a copy with each replaced by
 * "**********" in its message, stack, cause and other properties. The copy keeps the error's
 * class (pino's `type`), so log tooling reads it as the error it was.
 */
export function loggableError (request: FastifyRequest, error: unknown): unknown {
  const holder = (request.routeOptions?.config as unknown as Record<symbol, SecretArgs | undefined> | undefined)?.[kSecretArgs]
  if (holder === undefined || holder.args.length === 0) return error
  const secrets = secretsOf(request, holder.args)
  if (secrets.length === 0) return error
  return scrub(error, secrets, 0, new Map())
}

/** This request's secret values as text, longest first (a secret inside another goes with it). */
function secretsOf (request: FastifyRequest, plan: readonly SecretArg[]): string[] {
  const found = new Set<string>()
  let cookies: Record<string, string> | undefined
  for (const { spec, list } of plan) {
    let raw: unknown
    switch (spec.in) {
      case 'path': raw = (request.params as Record<string, unknown> | undefined)?.[spec.wire]; break
      case 'query': raw = (request.query as Record<string, unknown> | undefined)?.[spec.wire]; break
      case 'header': raw = request.headers[spec.wire]; break
      case 'cookie':
        cookies ??= (request as { cookies?: Record<string, string> }).cookies ?? parseCookies(request.headers.cookie)
        raw = cookies[spec.wire]
        break
      default: {
        const body = request.body
        raw = spec.in === 'body' && spec.wholeBody
          ? body
          : body !== null && typeof body === 'object' && Object.hasOwn(body, spec.wire) ? (body as Record<string, unknown>)[spec.wire] : undefined
      }
    }
    // A list parameter sent once arrives as a string; the schema reads it as a list.
    if (list && typeof raw === 'string') raw = [raw]
    collect(raw, redact(spec.schema, raw), found)
  }
  const texts = new Set<string>()
  for (const secret of found) {
    texts.add(secret)
    // As it reads in a JSON text or a URL.
    texts.add(JSON.stringify(secret).slice(1, -1))
    texts.add(encodeURIComponent(secret))
  }
  return [...texts].filter(text => text !== '' && text !== REDACTED).sort((a, b) => b.length - a.length)
}

/**
 * Adds the text of every value `redacted` replaced in `raw`. (Both are as deep as the schema
 * reaches into a value the request validated: no deeper than the request body itself.)
 */
function collect (raw: unknown, redacted: unknown, found: Set<string>): void {
  if (raw === redacted) return
  if (redacted === REDACTED) {
    leaves(raw, found)
    return
  }
  if (raw === null || typeof raw !== 'object' || redacted === null || typeof redacted !== 'object') return
  for (const key of Object.keys(raw)) {
    if (Object.hasOwn(redacted, key)) collect((raw as any)[key], (redacted as any)[key], found)
  }
}

/** Every string and number inside a secret value. */
function leaves (value: unknown, found: Set<string>): void {
  if (typeof value === 'string') found.add(value)
  else if (typeof value === 'number' || typeof value === 'bigint') found.add(String(value))
  else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) leaves(v, found)
  }
}

function scrubText (text: string, secrets: readonly string[]): string {
  for (const secret of secrets) {
    if (text.includes(secret)) text = text.split(secret).join(REDACTED)
  }
  return text
}

/**
 * `value` with the secrets replaced in every string of an error, a plain object or an array
 * (own properties, enumerable or not: message, stack, cause), copied only where one is found.
 */
function scrub (value: unknown, secrets: readonly string[], depth: number, seen: Map<object, unknown>): unknown {
  if (typeof value === 'string') return scrubText(value, secrets)
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value
  const isError = value instanceof Error
  const proto = Object.getPrototypeOf(value)
  if (!isError && !Array.isArray(value) && proto !== Object.prototype && proto !== null) return value
  if (seen.has(value)) return seen.get(value)
  // In progress: a cycle (an error that is its own cause) reads as the original.
  seen.set(value, value)
  const values = new Map<PropertyKey, unknown>()
  let changed = false
  for (const key of Reflect.ownKeys(value)) {
    if (Array.isArray(value) && key === 'length') continue
    let v: unknown
    try {
      v = (value as any)[key]
    } catch {
      continue
    }
    const safe = scrub(v, secrets, depth + 1, seen)
    if (safe !== v) changed = true
    values.set(key, safe)
  }
  if (!changed) return value
  // Data properties, enumerable as they were: an accessor (V8's `stack` may be one) would read
  // the original's slot.
  const copy = Array.isArray(value) ? [] : Object.create(proto)
  for (const [key, v] of values) {
    const enumerable = Object.getOwnPropertyDescriptor(value, key)?.enumerable ?? false
    Object.defineProperty(copy, key, { value: v, enumerable, writable: true, configurable: true })
  }
  seen.set(value, copy)
  return copy
}
