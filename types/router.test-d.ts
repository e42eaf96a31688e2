/**
 * Type tests: `APIRouter` — its options, the route methods (inferred as `app.api`'s), chaining,
 * `include()`, and registering it as a Fastify plugin.
 */
import { expectTypeOf } from 'expect-type'
import Fastify, { type FastifyInstance, type FastifyPluginCallback, type FastifyReply, type FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  APIRouter, Depends, Path, Query, Body, dependency,
  type APIRouterIncludeOptions, type APIRouterOptions, type APIRouterRegisterOptions, type RouteMethod
} from '../lib/index.js'

declare const app: FastifyInstance

const Item = z.object({ id: z.number(), name: z.string() })
const verify = dependency({ xToken: Query(z.string()) }, ({ xToken }) => ({ user: xToken }))

// ---------------------------------------------------------------------------
// Construction and options
// ---------------------------------------------------------------------------

const router = new APIRouter({
  prefix: '/items',
  tags: ['items'],
  dependencies: [Depends(verify)],
  responses: { 404: { description: 'Not found', model: z.object({ detail: z.string() }) } },
  deprecated: false,
  includeInSchema: true
})
expectTypeOf(router).toEqualTypeOf<APIRouter>()
expectTypeOf(new APIRouter()).toEqualTypeOf<APIRouter>()
expectTypeOf<APIRouterIncludeOptions>().toEqualTypeOf<APIRouterOptions>()
expectTypeOf<APIRouterRegisterOptions>().not.toHaveProperty('prefix')

// @ts-expect-error a typo in an option
const bad1 = new APIRouter({ prefx: '/items' })

// @ts-expect-error tags are strings
const bad2 = new APIRouter({ tags: [1] })

// @ts-expect-error dependencies are Depends() markers, not the dependency itself
const bad3 = new APIRouter({ dependencies: [verify] })

// @ts-expect-error deprecated is a boolean
const bad4 = new APIRouter({ deprecated: 'yes' })

// ---------------------------------------------------------------------------
// Route methods: the same declarations and inference as app.api
// ---------------------------------------------------------------------------

router.get('/:id', { args: { id: Path(z.number().int()), q: Query(z.string().optional()), limit: Query(z.number(), { default: 10 }) } },
  ({ id, q, limit }) => {
    expectTypeOf(id).toEqualTypeOf<number>()
    expectTypeOf(q).toEqualTypeOf<string | undefined>()
    expectTypeOf(limit).toEqualTypeOf<number>()
  })

router.post('/', { args: { item: Body(Item), auth: Depends(verify) } }, ({ item, auth }) => {
  expectTypeOf(item).toEqualTypeOf<{ id: number, name: string }>()
  expectTypeOf(auth).toEqualTypeOf<{ user: string }>()
})

router.route(['PUT', 'PATCH'], '/:id', { args: { id: Path(z.string()) } }, ({ id }) => {
  expectTypeOf(id).toEqualTypeOf<string>()
})

router.delete('/', {}, function (args, request, reply) {
  expectTypeOf(this).toEqualTypeOf<FastifyInstance>()
  expectTypeOf(args).toEqualTypeOf<{}>()
  expectTypeOf(request).toEqualTypeOf<FastifyRequest>()
  expectTypeOf(reply).toEqualTypeOf<FastifyReply>()
})

// The handler's return is checked against the response model.
router.get('/model', { responseModel: Item }, () => ({ id: 1, name: 'a' }))
router.get('/model-async', { responseModel: Item }, async () => ({ id: 1, name: 'a' }))

// @ts-expect-error `id` must be a number
router.get('/model', { responseModel: Item }, () => ({ id: 'one', name: 'a' }))

// @ts-expect-error `name` is missing
router.put('/model', { responseModel: Item }, () => ({ id: 1 }))

// @ts-expect-error an argument that is not declared
router.get('/', { args: { id: Path(z.number()) } }, ({ nope }) => nope)

// @ts-expect-error a typo in a route option
router.get('/', { responseMdoel: Item }, () => null)

// @ts-expect-error the declaration is required, even when empty
router.get('/', () => null)

// @ts-expect-error there is no `all` shorthand
router.all('/', {}, () => null)

// Each shorthand takes exactly what app.api's does.
expectTypeOf<Parameters<APIRouter['get']>>().toEqualTypeOf<Parameters<RouteMethod>>()
expectTypeOf<Parameters<APIRouter['head']>>().toEqualTypeOf<Parameters<RouteMethod>>()
expectTypeOf<Parameters<APIRouter['route']>>().toEqualTypeOf<Parameters<FastifyInstance['api']['route']>>()

// ---------------------------------------------------------------------------
// Chaining and include()
// ---------------------------------------------------------------------------

expectTypeOf(router.get('/', {}, () => null)).toEqualTypeOf<APIRouter>()
expectTypeOf(router.get('/a', {}, () => null).post('/b', {}, () => null).include(new APIRouter())).toEqualTypeOf<APIRouter>()

class AdminRouter extends APIRouter {
  audit (): void {}
}
// Methods return `this`: a subclass keeps its own methods through a chain.
new AdminRouter().get('/', {}, () => null).include(router, { prefix: '/items' }).audit()

router.include(new APIRouter(), { prefix: '/x', tags: ['x'], dependencies: [Depends(verify)], responses: { 500: {} }, deprecated: true, includeInSchema: false })

// @ts-expect-error include() takes a router, not a plain plugin
router.include(async () => {})

// @ts-expect-error a typo in an include option
router.include(new APIRouter(), { prefx: '/x' })

// ---------------------------------------------------------------------------
// Registering: an ordinary Fastify plugin
// ---------------------------------------------------------------------------

expectTypeOf(router).toExtend<FastifyPluginCallback<APIRouterRegisterOptions>>()

async function register (): Promise<void> {
  await app.register(router)
  await app.register(router, { prefix: '/v1' })
  await app.register(router, { prefix: '/v2', tags: ['v2'], dependencies: [Depends(verify)], deprecated: true, logLevel: 'warn' })
  await app.register(router, instance => ({ prefix: `/${instance.prefix}v3` }))
  // An app with another type provider takes it as well.
  await Fastify().withTypeProvider<ZodTypeProvider>().register(router, { prefix: '/v4' })

  // @ts-expect-error a typo in a register option
  await app.register(router, { tgas: ['v1'] })

  // @ts-expect-error register tags are strings
  await app.register(router, { tags: [1] })
}
export { register }
