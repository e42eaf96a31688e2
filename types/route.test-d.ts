/**
 * Type tests: the route declaration (`RouteDecl`) and the `app.api` methods.
 */
import { expectTypeOf } from 'expect-type'
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import { z } from 'zod'
import {
  Path, Query, status,
  type ExtraResponse, type FastapiRoutes, type RouteDecl, type RouteMethod
} from '../lib/index.js'

declare const app: FastifyInstance

const Item = z.object({ id: z.number(), name: z.string() })
const NotFound = z.object({ detail: z.string() })

// ---------------------------------------------------------------------------
// app.api and its methods
// ---------------------------------------------------------------------------

expectTypeOf(app.api).toEqualTypeOf<FastapiRoutes>()
expectTypeOf(app.api.get).toEqualTypeOf<RouteMethod>()
expectTypeOf(app.api.delete).toEqualTypeOf<RouteMethod>()
expectTypeOf(app.api.route).parameter(0).toEqualTypeOf<HTTPMethods | HTTPMethods[]>()
expectTypeOf(app.api.routes).toExtend<readonly unknown[]>()
// Route methods return the instance, as Fastify's own do.
expectTypeOf(app.api.get('/', {}, () => null)).toEqualTypeOf<FastifyInstance>()

// @ts-expect-error the route list is read-only
app.api.routes = []

// @ts-expect-error there is no `all` shorthand
app.api.all('/', {}, () => null)

// @ts-expect-error the declaration is required, even when empty
app.api.get('/', () => null)

// Fastify's HTTPMethods takes any string (autocompleting the known ones), so a made-up method
// compiles; Fastify rejects it at registration.
app.api.route('FETCH', '/', {}, () => null)
app.api.route(['GET', 'head'], '/', {}, () => null)

// ---------------------------------------------------------------------------
// Every option a declaration takes
// ---------------------------------------------------------------------------

app.api.get('/items/:id', {
  args: { id: Path(z.number().int()), q: Query(z.string().optional()) },
  statusCode: status.HTTP_200_OK,
  responseModel: Item,
  responseModelExcludeNone: true,
  responseModelExcludeUnset: false,
  responseModelExcludeDefaults: false,
  responseModelInclude: ['id', 'name'],
  responseModelExclude: ['name'] as const,
  responses: { 404: { model: NotFound, description: 'Item not found' }, '5XX': { description: 'Server error' } },
  summary: 'Read an item',
  description: 'Reads *one* item.',
  responseDescription: 'The item',
  tags: ['items'],
  operationId: 'readItem',
  deprecated: false,
  includeInSchema: true,
  // Fastify's own route options pass through.
  config: {},
  bodyLimit: 1024,
  logLevel: 'warn',
  onRequest: async (request, reply) => {
    expectTypeOf(request).toExtend<FastifyRequest>()
    expectTypeOf(reply).toExtend<FastifyReply>()
  },
  preHandler: [(request, reply, done) => { done() }],
  constraints: { version: '1.0.0' },
  exposeHeadRoute: false,
  prefixTrailingSlash: 'both'
}, ({ id }) => ({ id, name: 'x' }))

// A declaration can be written ahead and typed with RouteDecl.
const decl = { statusCode: status.HTTP_201_CREATED, tags: ['items'] } satisfies RouteDecl
app.api.post('/items', decl, () => null)
expectTypeOf<ExtraResponse>().toEqualTypeOf<{ model?: z.ZodType, description?: string }>()

// ---------------------------------------------------------------------------
// Typos and wrong values
// ---------------------------------------------------------------------------

// @ts-expect-error misspelt responseModel (object literal excess property check)
app.api.post('/items', { responseMdoel: Item }, () => null)

// @ts-expect-error misspelt option next to valid ones
app.api.get('/items/:id', { args: { id: Path(z.number()) }, summery: 'Read' }, ({ id }) => id)

// @ts-expect-error snake_case is FastAPI's spelling; here options are camelCase
app.api.get('/items', { response_model: Item }, () => null)

// @ts-expect-error status_code is FastAPI's spelling
app.api.post('/items', { status_code: 201 }, () => null)

// @ts-expect-error statusCode is a number, not a string
app.api.post('/items', { statusCode: '201' }, () => null)

// @ts-expect-error responseModel must be a zod schema
app.api.get('/items', { responseModel: { id: 'number' } }, () => null)

// @ts-expect-error a documented response's model must be a zod schema
app.api.get('/items', { responses: { 404: { model: { detail: 'string' } } } }, () => null)

// @ts-expect-error tags is a list
app.api.get('/items', { tags: 'items' }, () => null)

// @ts-expect-error Fastify's `schema` is replaced by args and responseModel
app.api.get('/items', { schema: { querystring: {} } }, () => null)

// @ts-expect-error `handler` is the third argument, not an option
app.api.get('/items', { handler: () => null }, () => null)

// @ts-expect-error args is an object of markers, not a list
app.api.get('/items', { args: [Query(z.string())] }, () => null)

// A declaration kept in a variable escapes the excess property check, as for any TypeScript
// object: the typo compiles and the route compiler rejects it at registration
// (FFA_ERR_ROUTE_INVALID_OPTION). `satisfies RouteDecl` brings the check back.
const loose = { tags: ['items'], summery: 'List' }
app.api.get('/items', loose, () => null)
// @ts-expect-error satisfies runs the excess property check
const checked = { tags: ['items'], summery: 'List' } satisfies RouteDecl

// ...except when no key at all is known (TypeScript's weak type check).
const allWrong = { responseMdoel: Item }
// @ts-expect-error no known key
app.api.get('/items', allWrong, () => null)

export { checked }
