/**
 * @module json-parser — Fastify's JSON body parser, keeping the raw text when parsing fails.
 *
 * FastAPI reports malformed JSON as 422 `json_invalid` at `["body", <offset>]`; to find the
 * offset we need the text, which Fastify's parser drops. This parser delegates to Fastify's
 * own (same options, same errors, so plain routes answer exactly as before) and only keeps
 * the text on the error. On `app.api` routes an empty body counts as no body, as in FastAPI.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { kApiRoute, kRawBody } from './symbols.js'

/** Replaces the `application/json` parser of `app` (the plugin's scope). */
export function installJsonParser (app: FastifyInstance): void {
  const { onProtoPoisoning, onConstructorPoisoning } = app.initialConfig
  const fastifyParser = app.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, function parseJson (request: FastifyRequest, body: string | Buffer, done) {
    if (body.length === 0 && (request.routeOptions.config as unknown as Record<symbol, unknown>)[kApiRoute] === true) {
      done(null, undefined)
      return
    }
    fastifyParser(request, body as string, (error: Error | null, value?: unknown) => {
      if (error !== null && error !== undefined) (error as unknown as Record<symbol, unknown>)[kRawBody] = body
      done(error, value)
    })
  })
}
