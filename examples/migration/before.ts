/**
 * The bookshop before the migration: a plain Fastify app. `index.ts` is the same app after it
 * adopted fastify-fastapi; test/examples/migration.test.ts sends both the same requests.
 */
import Fastify, { type FastifyServerOptions } from 'fastify'
import { legacy } from './legacy.js'

/** Builds the plain Fastify app without listening. */
export async function buildBefore (options: FastifyServerOptions = {}) {
  const app = Fastify(options)
  await app.register(legacy)
  return app
}
