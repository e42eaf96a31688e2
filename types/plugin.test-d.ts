/**
 * Type tests: registering the plugin, its options, and `app.api` on Fastify instances.
 */
import { expectTypeOf } from 'expect-type'
import Fastify, {
  type FastifyInstance, type FastifyPluginAsync, type FastifyPluginCallback, type FastifyTypeProvider
} from 'fastify'
import fp from 'fastify-plugin'
import { z } from 'zod'
import fastapi, { fastapi as namedFastapi, Path, type ErrorFormat, type FastapiRoutes } from '../lib/index.js'

const app = Fastify()

// ---------------------------------------------------------------------------
// The plugin and its options
// ---------------------------------------------------------------------------

expectTypeOf(namedFastapi).toEqualTypeOf(fastapi)
expectTypeOf<ErrorFormat>().toEqualTypeOf<'fastapi' | 'fastify'>()

await app.register(fastapi)
await app.register(fastapi, {})
await app.register(fastapi, { errorFormat: 'fastapi' })
await app.register(fastapi, { errorFormat: 'fastify' })
// Fastify's own register options still apply.
await app.register(fastapi, { errorFormat: 'fastify', prefix: '/v1' })

// @ts-expect-error not an error format
await app.register(fastapi, { errorFormat: 'django' })

// @ts-expect-error misspelt option
await app.register(fastapi, { errorFromat: 'fastify' })

// @ts-expect-error the format is a string, not a flag
await app.register(fastapi, { errorFormat: true })

// ---------------------------------------------------------------------------
// app.api on every instance
// ---------------------------------------------------------------------------

expectTypeOf(app.api).toEqualTypeOf<FastapiRoutes>()
expectTypeOf<FastifyInstance['api']>().toEqualTypeOf<FastapiRoutes>()

// In an encapsulated plugin (async and callback style).
const items: FastifyPluginAsync = async (instance) => {
  expectTypeOf(instance.api).toEqualTypeOf<FastapiRoutes>()
  instance.api.get('/items/:id', { args: { id: Path(z.number().int()) } }, ({ id }) => {
    expectTypeOf(id).toEqualTypeOf<number>()
    return { id }
  })
}
await app.register(items, { prefix: '/v1' })

const users: FastifyPluginCallback<{ greeting: string }> = (instance, options, done) => {
  expectTypeOf(options.greeting).toEqualTypeOf<string>()
  instance.api.get('/users', {}, () => options.greeting)
  done()
}
await app.register(users, { greeting: 'hi' })

// Inline, and in a child of a child.
await app.register(async (child) => {
  await child.register(async (grandchild) => {
    expectTypeOf(grandchild.api).toEqualTypeOf<FastapiRoutes>()
  })
})

// In a plugin wrapped with fastify-plugin.
export const shared = fp(async (instance) => {
  instance.api.post('/shared', {}, () => null)
})

// On an instance with a type provider, `app.api` is unchanged.
interface PlainProvider extends FastifyTypeProvider { validator: unknown, serializer: unknown }
const withProvider = Fastify().withTypeProvider<PlainProvider>()
expectTypeOf(withProvider.api).toEqualTypeOf<FastapiRoutes>()
