/**
 * @module handler — the per-request closure: validate (and run the route's dependencies),
 * call the user's handler with named arguments, filter the result through the response
 * model, serialize.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { RequestValidationError, type ErrorItem } from './exceptions.js'
import type { RequestValidator } from './validation.js'
import type { ResponseSerializer } from './response-model.js'
import type { Program } from './dependency-graph.js'
import { closeAfterResponse, failWithExits, isThenable, newFrame, rethrowUnlessTimedOut, runProgram, type Frame } from './dependency-runner.js'
import { isResponse, type Response } from './responses.js'
import { sendResponse } from './response-send.js'
import type { InvalidAnswer } from './exception-handlers.js'

/** What the closure needs, all computed at registration. */
export interface HandlerPlan {
  validate: RequestValidator
  statusCode: number
  serialize: ResponseSerializer
  /** For a route's non-JSON `responseClass`: makes the response from the return value. */
  wrap: ((value: unknown) => Response) | null
  /** The 422 answered without a throw, when nothing would see the error. */
  answerInvalid: InvalidAnswer
}

/** The plan of a route with dependencies; replaced when a dependency override changes. */
export interface DependentPlan {
  program: Program
  statusCode: number
  serialize: ResponseSerializer
  wrap: ((value: unknown) => Response) | null
  answerInvalid: InvalidAnswer
}

type UserHandler = (this: FastifyInstance, args: any, request: FastifyRequest, reply: FastifyReply) => unknown

const JSON_TYPE = 'application/json; charset=utf-8'

function finish (reply: FastifyReply, value: unknown, serialize: ResponseSerializer, wrap: HandlerPlan['wrap']): unknown {
  // The handler answered by itself (reply.send, a stream, a hijack).
  if (value === reply || reply.sent) return reply
  // A response class (HTMLResponse, RedirectResponse, …) bypasses the response model, as in
  // FastAPI, with its own status code (200 unless it says otherwise, 307 for a redirect).
  if (isResponse(value)) return sendResponse(reply, value)
  if (wrap !== null) return sendResponse(reply, wrap(value))
  const body = serialize(value)
  // FastAPI answers JSON for every return value, a bare string or null included.
  reply.header('content-type', JSON_TYPE)
  return body
}

function throwInvalid (errors: ErrorItem[], body: unknown): never {
  throw new RequestValidationError(errors, body)
}

/** Builds the Fastify handler for a route without dependencies. */
export function buildHandler (plan: HandlerPlan, userHandler: UserHandler) {
  const { validate, statusCode, serialize, wrap, answerInvalid } = plan

  return function fastapiHandler (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply): unknown {
    const result = validate(request)
    if (result.errors !== null) return answerInvalid(reply, result.errors) ?? throwInvalid(result.errors, request.body)
    // Set before the call, so a handler can still choose another code with reply.code().
    reply.code(statusCode)
    const value = userHandler.call(this, result.args, request, reply)
    // After a handlerTimeout answered, a late rejection is the runner's to drop or log, once.
    if (isThenable(value)) return Promise.resolve(value).then(resolved => finish(reply, resolved, serialize, wrap), error => rethrowUnlessTimedOut(request, error))
    return finish(reply, value, serialize, wrap)
  }
}

/**
 * Builds the Fastify handler for a route with dependencies. `current()` gives the plan in
 * force (it changes only when `dependencyOverrides` does).
 */
export function buildDependentHandler (current: () => DependentPlan, userHandler: UserHandler) {
  function fail (frame: Frame, error: unknown): never | Promise<never> {
    if (frame.exits === null) return rethrowUnlessTimedOut(frame.request, error)
    return failWithExits(frame, error)
  }

  function succeed (plan: DependentPlan, frame: Frame, value: unknown): unknown {
    let body: unknown
    try {
      body = finish(frame.reply, value, plan.serialize, plan.wrap)
    } catch (error) {
      // A return value that breaks the response model is an error of the handler's: as in FastAPI,
      // the open generators see it.
      return fail(frame, error)
    }
    if (frame.exits !== null || (frame.tasks !== null && frame.tasks.tasks.length > 0)) closeAfterResponse(frame)
    return body
  }

  function proceed (plan: DependentPlan, frame: Frame, args: Record<string, unknown>): unknown {
    const { request, reply } = frame
    if (frame.errors !== null) {
      // Open generators must see the error at their `yield`: only without them is the 422 answered directly.
      if (frame.exits === null) {
        const answer = plan.answerInvalid(reply, frame.errors)
        if (answer !== undefined) return answer
      }
      return fail(frame, new RequestValidationError(frame.errors, request.body))
    }
    reply.code(plan.statusCode)
    let value: unknown
    try {
      value = userHandler.call(frame.instance, args, request, reply)
    } catch (error) {
      return fail(frame, error)
    }
    if (isThenable(value)) {
      return Promise.resolve(value).then(resolved => succeed(plan, frame, resolved), error => fail(frame, error))
    }
    return succeed(plan, frame, value)
  }

  return function fastapiHandler (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply): unknown {
    const plan = current()
    const frame = newFrame(plan.program, this, request, reply)
    let args: Record<string, unknown> | Promise<Record<string, unknown>>
    try {
      args = runProgram(plan.program, frame, 0)
    } catch (error) {
      return fail(frame, error)
    }
    if (isThenable(args)) return args.then(resolved => proceed(plan, frame, resolved), error => fail(frame, error))
    return proceed(plan, frame, args)
  }
}
