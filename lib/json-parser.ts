/**
 * @module json-parser — Fastify's JSON body parser, keeping the raw text when parsing fails,
 * and refusing on `app.api` routes the bodies FastAPI cannot decode.
 *
 * FastAPI reports malformed JSON as 422 `json_invalid` at `["body", <offset>]`; to find the
 * offset we need the text, which Fastify's parser drops. This parser delegates to Fastify's
 * own (same options, same errors, so plain routes answer exactly as before) and only keeps
 * the text on the error. On `app.api` routes an empty body counts as no body, as in FastAPI,
 * and two kinds of body are refused as FastAPI refuses them, with 400 `{"detail": "There was
 * an error parsing the body"}` (an `HTTPException`, as FastAPI raises one):
 * - invalid UTF-8: Starlette hands `json.loads` the bytes, whose strict decoding fails
 *   (Fastify would decode it with U+FFFD replacements and accept the body);
 * - nesting deeper than {@link MAX_JSON_DEPTH}: CPython's decoder recurses per level and stops
 *   with `RecursionError` (V8 parses any depth, but zod on a recursive schema, or the copy of a
 *   422 `input`, would then overflow the stack).
 */
import { isUtf8 } from 'node:buffer'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HTTPException } from './exceptions.js'
import { nestsDeeperThan } from './json-error.js'
import { kApiRoute, kRawBody } from './symbols.js'

/**
 * The deepest nesting a JSON body may have on an `app.api` route: 1,000 levels, CPython's default
 * recursion limit (`json.loads` fails a little earlier, at about 995 levels from a shallow
 * stack; a web app's stack is deeper still). Depth 1,000 passes, 1,001 is refused.
 */
export const MAX_JSON_DEPTH = 1000

const PARSE_ERROR = 'There was an error parsing the body'

/**
 * Replaces the `application/json` parser of `app` (the plugin's scope). `notFoundFirst`: the
 * plugin answers unknown URLs (errorFormat 'fastapi'), so their bodies are not refused first.
 */
export function installJsonParser (app: FastifyInstance, notFoundFirst = false): void {
  const { onProtoPoisoning, onConstructorPoisoning } = app.initialConfig
  const fastifyParser = app.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error')
  app.removeContentTypeParser('application/json')
  // Bytes, not text: the UTF-8 check needs them. Fastify decodes a string body from the same
  // bytes in one piece, so this costs one more copy of the body (Buffer.concat).
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, function parseJson (request: FastifyRequest, body: string | Buffer, done) {
    const bytes = body as Buffer
    const api = (request.routeOptions.config as unknown as Record<symbol, unknown>)[kApiRoute] === true
    if (!api) {
      // Plain routes: Fastify's parser as before (invalid UTF-8 replaced, any depth).
      const text = bytes.toString('utf8')
      fastifyParser(request, text, (error: Error | null, value?: unknown) => {
        if (error !== null && error !== undefined) {
          // No route matched: Starlette answers 404 without reading the body, so a malformed one
          // must not turn the plugin's 404 into Fastify's 400.
          if (notFoundFirst && request.is404) {
            done(null, undefined)
            return
          }
          (error as unknown as Record<symbol, unknown>)[kRawBody] = text
        }
        done(error, value)
      })
      return
    }
    if (bytes.length === 0) {
      done(null, undefined)
      return
    }
    // Native (simdutf): a few µs for 100 KB.
    if (!isUtf8(bytes)) {
      done(parseError())
      return
    }
    const text = bytes.toString('utf8')
    fastifyParser(request, text, (error: Error | null, value?: unknown) => {
      if (error !== null && error !== undefined) {
        // CPython meets whichever comes first: a syntax error (422), or the recursion limit (400).
        if (text.length > MAX_JSON_DEPTH && nestsDeeperThan(text, MAX_JSON_DEPTH)) {
          done(parseError())
          return
        }
        (error as unknown as Record<symbol, unknown>)[kRawBody] = text
        done(error, value)
        return
      }
      if (tooDeep(text, value)) done(parseError())
      else done(null, value)
    })
  })
}

function parseError (): HTTPException {
  return new HTTPException(400, PARSE_ERROR)
}

/**
 * Whether the parsed `value` of `text` nests deeper than MAX_JSON_DEPTH. A value that deep has
 * more than MAX_JSON_DEPTH `[` or `{` in its text: most bodies are settled by the text's length
 * or by counting those with native indexOf (~0.1 µs per KB). Only bodies with more than that
 * many containers are walked (~0.5 µs per KB, against ~6 µs per KB for JSON.parse itself).
 */
function tooDeep (text: string, value: unknown): boolean {
  if (text.length <= MAX_JSON_DEPTH || value === null || typeof value !== 'object') return false
  let openers = 0
  for (let i = text.indexOf('['); i !== -1 && openers <= MAX_JSON_DEPTH; i = text.indexOf('[', i + 1)) openers++
  for (let i = text.indexOf('{'); i !== -1 && openers <= MAX_JSON_DEPTH; i = text.indexOf('{', i + 1)) openers++
  return openers > MAX_JSON_DEPTH && deeperThan(value, MAX_JSON_DEPTH)
}

/**
 * Whether a parsed JSON value holds containers nested deeper than `levels` (the value itself is
 * one level). Recursive, at most `levels` + 1 frames deep, as it stops there.
 */
function deeperThan (value: object, levels: number): boolean {
  if (levels === 0) return true
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      if (item !== null && typeof item === 'object' && deeperThan(item, levels - 1)) return true
    }
    return false
  }
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key]
    if (item !== null && typeof item === 'object' && deeperThan(item, levels - 1)) return true
  }
  return false
}
