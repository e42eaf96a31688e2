/**
 * @module framework-errors — FastAPI-shaped answers for the requests Fastify refuses before any
 * route runs, through Fastify's server option `frameworkErrors`.
 *
 * The router (find-my-way) refuses some URLs while it looks for the route: a path with a `%`
 * escape it cannot decode, a path parameter longer than `maxParamLength`, an async constraint
 * that failed. No hook, error handler or not-found handler sees those requests, so a plugin
 * cannot change their answer; only the server option can, and a plugin cannot set it.
 */
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

/**
 * Answers the errors Fastify's router raises before routing as FastAPI-style JSON
 * (`{"detail": ...}`) instead of Fastify's `{statusCode, code, error, message}`.
 * Pass it as a server option: `Fastify({ frameworkErrors })`. Without it Fastify's shape is kept.
 *
 * - `FST_ERR_BAD_URL` (a path with a `%` escape that is not valid UTF-8, such as `/items/%FF`):
 *   400 `{"detail": "Bad Request"}`. uvicorn would decode the path with U+FFFD replacements and
 *   route it (a `str` path parameter would get `"\ufffd"`); the router cannot match such a path,
 *   so no route, and no 404 or 422 for one, can be chosen. 400 says the request itself is at
 *   fault, as the plugin answers every other request Fastify refuses before the handler (a body
 *   it cannot parse, a media type it does not take); a 404 would claim the resource is missing.
 * - `FST_ERR_MAX_PARAM_LENGTH` (a path parameter longer than `routerOptions.maxParamLength`,
 *   100 by default): 414 `{"detail": "URI Too Long"}`. Starlette has no such limit; raise it for
 *   long path values (tokens, slugs).
 * - `FST_ERR_ASYNC_CONSTRAINT` (an async route constraint failed) and anything else Fastify may
 *   pass: logged, 500 `{"detail": "Internal Server Error"}`; a 4xx keeps its status with its
 *   reason phrase.
 *
 * @example
 * import Fastify from 'fastify'
 * import fastapi, { frameworkErrors } from 'fastify-fastapi'
 * const app = Fastify({ frameworkErrors })
 * await app.register(fastapi)
 */
export function frameworkErrors (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // FST_ERR_BAD_URL carries 400, FST_ERR_MAX_PARAM_LENGTH 414, FST_ERR_ASYNC_CONSTRAINT 500.
  const code = error?.statusCode
  const status = typeof code === 'number' && code >= 400 && code < 500 ? code : 500
  if (status === 500) request.log.error({ err: error }, 'Request refused before routing')
  reply.code(status).send({ detail: STATUS_CODES[status] ?? 'Bad Request' })
}
