/** @module symbols — every symbol fastify-fastapi creates, in one place. */

/** The raw text of a JSON body that failed to parse, kept on the parser's error. */
export const kRawBody = Symbol('fastify-fastapi.rawBody')
/** Marks a value as one of our parameter markers (Path, Query, …). */
export const kParam = Symbol('fastify-fastapi.param')
/** The plugin's shared state, decorated on the instance it is registered on. */
export const kState = Symbol('fastify-fastapi.state')
/** Route config flag: the route was declared through `app.api`. */
export const kApiRoute = Symbol('fastify-fastapi.apiRoute')
