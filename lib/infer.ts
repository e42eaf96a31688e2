/**
 * @module infer — the types that turn a route declaration into the handler's argument types.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify'
import type { z } from 'zod'
import type { Param } from './params.js'
import type { DependsMarker, SecurityScopes, SecurityScopesMarker } from './dependencies.js'
import type { BackgroundTasks, BackgroundTasksMarker } from './background.js'
import type { Response } from './responses.js'
import type { ResponseModelOptions } from './response-model.js'

/** A route's (or a dependency's) `args`: argument name → parameter marker, `Depends()` or `SecurityScopes()`. */
export type ArgsDecl = Record<string, Param<any, any, any> | DependsMarker<any> | SecurityScopesMarker | BackgroundTasksMarker>

/**
 * The handler's type for one argument: the schema's output (never undefined with a default),
 * or the value of a dependency.
 */
export type InferArg<TParam> = TParam extends Param<any, infer TSchema, infer TDefault>
  ? TDefault extends true ? Exclude<z.output<TSchema>, undefined> : z.output<TSchema>
  : TParam extends DependsMarker<infer TValue>
    ? TValue
    : TParam extends SecurityScopesMarker ? SecurityScopes
      : TParam extends BackgroundTasksMarker ? BackgroundTasks : never

/**
 * The object the handler receives, typed from the declaration. Not readonly although the
 * route methods infer `args` with a `const` type parameter: the object is built afresh for
 * every request, so the handler may reassign its arguments like any local.
 */
export type InferArgs<TArgs extends ArgsDecl> = { -readonly [K in keyof TArgs]: InferArg<TArgs[K]> }

/** What a handler may return: the model's input type when there is a model, or a response class. */
export type HandlerReturn<TModel> = [TModel] extends [z.ZodType]
  ? z.input<TModel> | FastifyReply | Response | Promise<z.input<TModel> | FastifyReply | Response>
  : unknown

/** An extra documented response, FastAPI's `responses={404: {...}}`. */
export interface ExtraResponse {
  model?: z.ZodType
  description?: string
}

/** Fastify route options passed through unchanged. */
export type FastifyRouteOptions = Pick<RouteShorthandOptions,
  'config' | 'bodyLimit' | 'logLevel' | 'onRequest' | 'preParsing' | 'preValidation' | 'preHandler' |
  'preSerialization' | 'onSend' | 'onResponse' | 'onTimeout' | 'onError' | 'onRequestAbort' |
  'constraints' | 'exposeHeadRoute' | 'prefixTrailingSlash' | 'handlerTimeout'>

/** A response class: `HTMLResponse`, `PlainTextResponse`, … or a subclass of `Response`. */
export type ResponseClass = (abstract new (...args: any[]) => Response) & { mediaType?: string | undefined, defaultStatusCode?: number }

/** Everything a FastAPI-style route declaration may say. */
export interface RouteDecl<TArgs extends ArgsDecl = ArgsDecl, TModel extends z.ZodType | undefined = z.ZodType | undefined>
  extends ResponseModelOptions, FastifyRouteOptions {
  /** The handler's arguments and where each comes from. */
  args?: TArgs
  /** Dependencies run before the handler for their effect (checks, logging); their values are not passed. */
  dependencies?: ReadonlyArray<DependsMarker<any>>
  /** Status code of every successful response (default 200, or the response class's own). */
  statusCode?: number
  /**
   * The response class of the return value (FastAPI's `response_class`): `HTMLResponse` sends a
   * returned string as HTML, `PlainTextResponse` as text; the OpenAPI document shows its media type.
   */
  responseClass?: ResponseClass
  /** Schema the return value is filtered through; undeclared fields are dropped. */
  responseModel?: TModel
  /** Extra documented responses by status code. */
  responses?: Record<number | string, ExtraResponse>
  /** OpenAPI summary (default: the handler's name in Title Case). */
  summary?: string
  /** OpenAPI description (markdown). */
  description?: string
  /** Description of the success response (default "Successful Response"). */
  responseDescription?: string
  tags?: string[]
  operationId?: string
  deprecated?: boolean
  /** `false` leaves the route out of the OpenAPI document. */
  includeInSchema?: boolean
}

/** A FastAPI-style handler: one object of validated arguments, then Fastify's request and reply. */
export type RouteHandler<TArgs extends ArgsDecl, TModel> = (
  this: FastifyInstance, args: InferArgs<TArgs>, request: FastifyRequest, reply: FastifyReply
) => HandlerReturn<TModel>
