/** @module symbols — every symbol fastify-fastapi creates, in one place. */

/** The raw text of a JSON body that failed to parse, kept on the parser's error. */
export const kRawBody = Symbol('fastify-fastapi.rawBody')
/** Marks a value as one of our parameter markers (Path, Query, …). */
export const kParam = Symbol('fastify-fastapi.param')
/** The plugin's shared state, decorated on the instance it is registered on. */
export const kState = Symbol('fastify-fastapi.state')
/** Route config flag: the route was declared through `app.api`. */
export const kApiRoute = Symbol('fastify-fastapi.apiRoute')
/** Marks a value made by `dependency()` (or a security helper). */
export const kDependency = Symbol('fastify-fastapi.dependency')
/** Marks a `Depends()` / `Security()` argument. */
export const kDepends = Symbol('fastify-fastapi.depends')
/** Marks a `SecurityScopes()` argument. */
export const kSecurityScopes = Symbol('fastify-fastapi.securityScopes')
/** An instance's own `dependencies` (app-wide or per encapsulated plugin), read through the prototype chain. */
export const kLevelDependencies = Symbol('fastify-fastapi.levelDependencies')
/** Route config flag: the route reads urlencoded form fields. */
export const kFormRoute = Symbol('fastify-fastapi.formRoute')
/** Marks a `BackgroundTasks()` argument. */
export const kBackgroundTasks = Symbol('fastify-fastapi.backgroundTasks')
/** A request's own copy of the lifespan state. */
export const kRequestState = Symbol('fastify-fastapi.requestState')
/** The app's record of work left running after responses, read through the instance prototype chain. */
export const kPendingWork = Symbol('fastify-fastapi.pendingWork')
/** On a request answered by its `handlerTimeout`: Fastify's FST_ERR_HANDLER_TIMEOUT error. */
export const kTimedOut = Symbol('fastify-fastapi.timedOut')
/** On a request whose dependencies opened a generator: its frame, so a timeout can find them. */
export const kFrame = Symbol('fastify-fastapi.frame')
/** Route config: what a route reads of a form body (fields, files and their limits). */
export const kFormInfo = Symbol('fastify-fastapi.formInfo')
/** Route config: the arguments holding a secret (redact-log.ts), a holder that dependency overrides update. */
export const kSecretArgs = Symbol('fastify-fastapi.secretArgs')
