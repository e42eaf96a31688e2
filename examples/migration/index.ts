/**
 * The bookshop after adopting fastify-fastapi: the old JSON-schema routes (`legacy.ts`, unchanged)
 * answer as before, new FastAPI-style routes sit beside them, and /openapi.json documents both.
 * `before.ts` is the same app without the plugin.
 *
 * Run it with `EXAMPLE=migration npm start`, then try:
 *   curl -s 127.0.0.1:8000/books/1                                  (old route, as before)
 *   curl -s 127.0.0.1:8000/books -H 'content-type: application/json' -d '{}'  (Fastify's 400)
 *   curl -s 127.0.0.1:8000/authors/0                                (new route: FastAPI's 422)
 *   curl -s 127.0.0.1:8000/openapi.json                             (both kinds of route)
 */
import Fastify, { type FastifyServerOptions } from 'fastify'
import { z } from 'zod'
import fastapi, { Body, HTTPException, Path, Query, type ErrorFormat } from '../../lib/index.js'
import { legacy } from './legacy.js'

export const AuthorIn = z.object({
  name: z.string().min(1)
}).meta({ id: 'AuthorIn' })

export const AuthorOut = z.object({
  name: z.string(),
  books: z.array(z.object({ id: z.number().int(), title: z.string() }))
}).meta({ id: 'AuthorOut' })

/** What `build()` accepts besides Fastify's options. */
export interface MigrationOptions {
  /**
   * `'fastapi'` (default): unknown URLs answer `{"detail":"Not Found"}`, a known path with
   * another method 405, and the new routes 422. `'fastify'` keeps Fastify's own 404 for
   * unknown URLs and answers validation errors of the new routes as Fastify's 400.
   */
  errorFormat?: ErrorFormat
}

/** Builds the migrated app without listening. */
export async function build (options: FastifyServerOptions = {}, { errorFormat = 'fastapi' }: MigrationOptions = {}) {
  // snippet: migration-register
  const app = Fastify(options)
  // The plugin first: routes declared before it are missing from /openapi.json and from its
  // 405 check. Then the existing app, unchanged.
  await app.register(fastapi, { title: 'Bookshop', version: '2.0.0', errorFormat })
  await app.register(legacy)
  // end snippet

  // snippet: migration-new-routes
  app.api.get('/authors/:name', {
    responseModel: AuthorOut,
    args: {
      name: Path(z.string(), { minLength: 2 }),
      limit: Query(z.number().int(), { ge: 1, default: 10 })
    }
  }, function readAuthor ({ name, limit }) {
    // The old decorator serves the new routes too.
    const books = this.books.list(Number.MAX_SAFE_INTEGER).filter(book => book.author === name)
    if (books.length === 0) throw new HTTPException(404, 'Author not found')
    return { name, books: books.slice(0, limit) }
  })

  app.api.post('/authors', {
    statusCode: 201,
    responseModel: AuthorOut,
    args: { author: Body(AuthorIn) }
  }, function createAuthor ({ author }) {
    return { name: author.name, books: [] }
  })
  // end snippet

  return app
}
