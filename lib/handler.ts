/**
 * @module handler — the per-request closure: validate, call the user's handler with named
 * arguments, filter the result through the response model, serialize.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { RequestValidationError } from './exceptions.js'
import type { RequestValidator } from './validation.js'
import type { ResponseSerializer } from './response-model.js'

/** What the closure needs, all computed at registration. */
export interface HandlerPlan {
  validate: RequestValidator
  statusCode: number
  serialize: ResponseSerializer
}

type UserHandler = (this: FastifyInstance, args: any, request: FastifyRequest, reply: FastifyReply) => unknown

const JSON_TYPE = 'application/json; charset=utf-8'

/** Builds the Fastify handler for one route. */
export function buildHandler (plan: HandlerPlan, userHandler: UserHandler) {
  const { validate, statusCode, serialize } = plan

  function finish (reply: FastifyReply, value: unknown): unknown {
    // The handler answered by itself (reply.send, a stream, a hijack).
    if (value === reply || reply.sent) return reply
    const body = serialize(value)
    // FastAPI answers JSON for every return value, a bare string or null included.
    reply.header('content-type', JSON_TYPE)
    return body
  }

  return function fastapiHandler (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply): unknown {
    const result = validate(request)
    if (result.errors !== null) throw new RequestValidationError(result.errors, request.body)
    // Set before the call, so a handler can still choose another code with reply.code().
    reply.code(statusCode)
    const value = userHandler.call(this, result.args, request, reply)
    if (value !== null && typeof value === 'object' && typeof (value as Promise<unknown>).then === 'function') {
      return (value as Promise<unknown>).then(resolved => finish(reply, resolved))
    }
    return finish(reply, value)
  }
}
