/**
 * fastify-fastapi — FastAPI-style routes for Fastify 5.
 *
 * @example
 * const app = Fastify()
 * await app.register(fastapi)
 * app.api.get('/items/:itemId', { args: { itemId: Path(z.number().int()) } }, ({ itemId }) => ({ itemId }))
 */
import fp from 'fastify-plugin'
import type { FastifyPluginCallback } from 'fastify'
import { apiFor, applyOverrides, type ApiState, type FastapiRoutes } from './api.js'
import type { ErrorFormat } from './exception-handlers.js'
import { installNotFound } from './not-found.js'
import { installJsonParser } from './json-parser.js'
import { FFA_ERR_OPTIONS_INVALID } from './errors.js'
import { DependencyOverrides } from './overrides.js'
import { isDependsMarker, type DependsMarker } from './dependencies.js'
import { kLevelDependencies } from './symbols.js'
import { OPENAPI_OPTION_KEYS, resolveOpenapiOptions, type OpenapiOptions, type ResolvedOpenapiOptions } from './openapi-options.js'
import { installOpenapi } from './openapi-plugin.js'
import { installLifespan, type Lifespan } from './lifespan.js'
import { setupFormParsers } from './form-parser.js'

/** Options of `app.register(fastapi, options)`. */
export interface FastifyFastapiOptions extends OpenapiOptions {
  /**
   * `'fastapi'` (default): 404 `{"detail":"Not Found"}`, 405 with `Allow`, 422 validation errors.
   * `'fastify'`: Fastify's own 404, and validation errors as Fastify's 400 shape — for apps
   * whose clients depend on those.
   */
  errorFormat?: ErrorFormat
  /** Dependencies run before every `app.api` route (FastAPI's `FastAPI(dependencies=[...])`). */
  dependencies?: ReadonlyArray<DependsMarker<any>>
  /**
   * Startup and shutdown in one async generator, as FastAPI's `lifespan`: code before `yield`
   * runs when the app is ready, after it when the app closes; the yielded object is `request.state`.
   */
  lifespan?: Lifespan
  /**
   * Which `app.api` routes parse `application/x-www-form-urlencoded` and `multipart/form-data`
   * bodies (fields as strings, files as `UploadFile`, in `request.body`).
   * `'auto'` (default): the routes that read form fields or files (`Form()`, `File()`); the
   * parsers are installed on the instance that declares the first such route.
   * `'always'`: also every other `app.api` route without a JSON `Body()`, as Starlette parses
   * `await request.form()` for any endpoint; the parsers are installed at registration, so an
   * app's own parser (@fastify/formbody) must be registered before this plugin.
   * Either way plain Fastify routes keep Fastify's 415 for these types, and an app's own parser
   * for a type is kept (with @fastify/multipart's, a `File()` route fails: FFA_ERR_BODY_PARSER_CONFLICT).
   * @see README "Forms and files"
   */
  formParsers?: 'auto' | 'always'
  /**
   * FastAPI's `redirect_slashes` (default `true`): a request for `/items/` when only `/items` is
   * declared (or the other way round) answers 307 to the other spelling, query kept. Only with
   * `errorFormat: 'fastapi'`; Fastify's `ignoreTrailingSlash` makes both spellings match instead.
   */
  redirectSlashes?: boolean
  /**
   * How long `app.close()` waits, in ms, for work requests left running after their responses
   * (background tasks, dependency teardown) before it logs each as abandoned and goes on
   * (default 10000; `Infinity`: no limit, as uvicorn by default).
   */
  shutdownTimeout?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** FastAPI-style route declarations (fastify-fastapi). */
    readonly api: FastapiRoutes
    /** Replacements for dependencies, for tests (fastify-fastapi). */
    readonly dependencyOverrides: DependencyOverrides
  }
}

const OPTION_KEYS = new Set(['errorFormat', 'dependencies', 'lifespan', 'formParsers', 'redirectSlashes', 'shutdownTimeout', ...OPENAPI_OPTION_KEYS])

const plugin: FastifyPluginCallback<FastifyFastapiOptions> = function fastifyFastapi (app, options, done) {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) return done(new FFA_ERR_OPTIONS_INVALID(`unknown option "${key}".`))
  }
  const format = options.errorFormat ?? 'fastapi'
  if (format !== 'fastapi' && format !== 'fastify') {
    return done(new FFA_ERR_OPTIONS_INVALID(`errorFormat must be 'fastapi' or 'fastify', got ${JSON.stringify(format)}.`))
  }
  if (options.redirectSlashes !== undefined && typeof options.redirectSlashes !== 'boolean') {
    return done(new FFA_ERR_OPTIONS_INVALID(`redirectSlashes must be true or false, got ${JSON.stringify(options.redirectSlashes)}.`))
  }
  const dependencies = options.dependencies ?? []
  if (!Array.isArray(dependencies) || !dependencies.every(isDependsMarker)) {
    return done(new FFA_ERR_OPTIONS_INVALID('dependencies must be an array such as [Depends(verifyKey)].'))
  }
  let docs: ResolvedOpenapiOptions
  try {
    docs = resolveOpenapiOptions(options)
    installLifespan(app, options.lifespan, options.shutdownTimeout)
    setupFormParsers(app, options.formParsers)
  } catch (error) {
    return done(error as Error)
  }
  const state: ApiState = {
    errors: { format, handlers: new Map() },
    routes: [],
    overrides: new DependencyOverrides((next, changed) => applyOverrides(state, next, changed))
  }
  ;(app as { [kLevelDependencies]?: unknown })[kLevelDependencies] = dependencies
  app.decorate('api', {
    getter (this: typeof app) { return apiFor(this, state) }
  })
  app.decorate('dependencyOverrides', state.overrides)
  installJsonParser(app, format === 'fastapi')
  if (format === 'fastapi') installNotFound(app, options.redirectSlashes ?? true)
  installOpenapi(app, state, docs)
  done()
}

/** The plugin: `await app.register(fastapi, options)`. */
const fastapi = fp(plugin, { fastify: '5.x', name: 'fastify-fastapi' })
export default fastapi
export { fastapi }

export { Path, Query, Header, Cookie, Body, Form, isParam } from './params.js'
export { dependency, Depends, Security, SecurityScopes, isDependency } from './dependencies.js'
export type {
  Dependency, DependencyFunction, DependencyValue, DependencyOptions, DependsMarker, DependsOptions,
  SecurityOptions, SecurityScopesMarker, SecuritySchemeInfo, ValueOf
} from './dependencies.js'
export { DependencyOverrides } from './overrides.js'
export { BackgroundTasks } from './background.js'
export type { BackgroundTasksMarker } from './background.js'
export type { Provides } from './overrides.js'
export type { Param, ParamOptions, HeaderOptions, BodyOptions } from './params.js'
export { Field } from './field.js'
export type { FieldOptions } from './constraints.js'
export {
  HTTPException, RequestValidationError, ResponseValidationError,
  isHTTPException, isRequestValidationError, isResponseValidationError
} from './exceptions.js'
export type { ErrorItem, Location } from './exceptions.js'
export { status, reasonPhrase } from './status.js'
export type { StatusCode, StatusName } from './status.js'
export type { FastapiRoutes, RouteMethod } from './api.js'
export type { ArgsDecl, InferArg, InferArgs, RouteDecl, RouteHandler, ExtraResponse, ResponseClass } from './infer.js'
export type { ResponseModelOptions } from './response-model.js'
export type { OpenapiOptions } from './openapi-options.js'
export type { Lifespan } from './lifespan.js'
export type { ExceptionHandler, ErrorFormat } from './exception-handlers.js'
export * as errorCodes from './errors.js'
export {
  OAuth2, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer, OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict, OpenIdConnect
} from './security-oauth2.js'
export { HTTPBearer, HTTPBasic, HTTPDigest } from './security-http.js'
export { APIKeyHeader, APIKeyQuery, APIKeyCookie } from './security-api-key.js'
export { getAuthorizationSchemeParam } from './security.js'
export type {
  SecurityBaseOptions, OAuth2PasswordBearerOptions, OAuth2AuthorizationCodeBearerOptions, OAuth2Options, OpenIdConnectOptions, HTTPBearerOptions, HTTPBasicOptions, APIKeyOptions, AuthValue,
  HTTPAuthorizationCredentials, HTTPBasicCredentials, OAuth2PasswordRequestFormData, OAuth2PasswordRequestFormStrictData
} from './security.js'
export { jsonableEncoder, type JsonableEncoderOptions, type IncEx, type JsonValue } from './encoders.js'
export { APIRouter, type APIRouterOptions, type APIRouterIncludeOptions, type APIRouterRegisterOptions } from './router.js'
export {
  Response, HTMLResponse, PlainTextResponse, JSONResponse, RedirectResponse, StreamingResponse, FileResponse,
  isResponse
} from './responses.js'
export { formatSetCookie } from './cookies.js'
export type { CookieOptions, FileResponseOptions, StreamContent, StreamChunk } from './responses.js'
export { File, type FileOptions, type FileSchema } from './params.js'
export { UploadFile } from './upload.js'
export { frameworkErrors } from './framework-errors.js'
