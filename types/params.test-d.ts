/**
 * Type tests: the handler's `args` object is inferred from the `args` declaration.
 * Each `@ts-expect-error` marks a declaration or use that must not compile.
 */
import { expectTypeOf } from 'expect-type'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Body, Cookie, Header, Path, Query, type Param, type InferArg } from '../lib/index.js'

declare const app: FastifyInstance

const UserIn = z.object({
  name: z.string(),
  password: z.string(),
  // Input and output differ here, so the tests below can tell z.input from z.output.
  tags: z.array(z.string()).default([]),
  age: z.string().transform(s => Number(s)).optional()
})

// ---------------------------------------------------------------------------
// Markers: what each factory returns
// ---------------------------------------------------------------------------

expectTypeOf(Path(z.number().int())).toEqualTypeOf<Param<'path', z.ZodNumber, false>>()
expectTypeOf(Query(z.number().int(), { default: 0 })).toEqualTypeOf<Param<'query', z.ZodNumber, true>>()
expectTypeOf(Header(z.string())).toExtend<Param<'header'>>()
expectTypeOf(Cookie(z.string().optional())).toExtend<Param<'cookie'>>()
expectTypeOf(Body(UserIn)).toExtend<Param<'body', typeof UserIn>>()

// `default: undefined` is no default: the argument may still be missing.
expectTypeOf<InferArg<ReturnType<typeof q1>>>().toEqualTypeOf<string | undefined>()
function q1 () { return Query(z.string().optional(), { default: undefined }) }
// `default: null` is a real default, but null stays possible.
expectTypeOf<InferArg<ReturnType<typeof q2>>>().toEqualTypeOf<string | null>()
function q2 () { return Query(z.string().nullable().optional(), { default: null }) }

// ---------------------------------------------------------------------------
// Scalars: path, query, header, cookie
// ---------------------------------------------------------------------------

app.api.get('/items/:itemId', {
  args: {
    itemId: Path(z.number().int(), { ge: 1 }),
    q: Query(z.string().optional(), { maxLength: 10 }),
    skip: Query(z.number().int(), { default: 0 }),
    // A default on an optional schema removes undefined as well.
    limit: Query(z.number().int().optional(), { default: 100 }),
    flag: Query(z.boolean()),
    xToken: Header(z.string()),
    userAgent: Header(z.string().optional(), { alias: 'user-agent' }),
    session: Cookie(z.string().optional()),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' })
  }
}, function readItem (args, request, reply) {
  expectTypeOf(args).toEqualTypeOf<{
    itemId: number
    q: string | undefined
    skip: number
    limit: number
    flag: boolean
    xToken: string
    userAgent: string | undefined
    session: string | undefined
    theme: 'light' | 'dark'
  }>()
  expectTypeOf(args.itemId).toEqualTypeOf<number>()
  expectTypeOf(args.q).toEqualTypeOf<string | undefined>()
  expectTypeOf(args.skip).toEqualTypeOf<number>()
  expectTypeOf(args.skip).not.toBeNullable()
  // `this` is the Fastify instance, request and reply are Fastify's.
  expectTypeOf(this).toEqualTypeOf<FastifyInstance>()
  expectTypeOf(request.url).toEqualTypeOf<string>()
  expectTypeOf(reply.code).toBeFunction()
  // The object is fresh for every request: arguments may be reassigned.
  args.q ??= 'default'
})

// The same inference through app.api.route and every method shorthand.
app.api.route(['GET', 'POST'], '/r/:id', { args: { id: Path(z.string().uuid()) } }, ({ id }) => {
  expectTypeOf(id).toEqualTypeOf<string>()
})
for (const method of ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'] as const) {
  app.api[method]('/m/:id', { args: { id: Path(z.number()) } }, ({ id }) => {
    expectTypeOf(id).toEqualTypeOf<number>()
  })
}

// No args: the handler gets an empty object.
app.api.get('/', {}, (args) => {
  expectTypeOf(args).toEqualTypeOf<{}>()
})

// ---------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------

app.api.get('/lists', {
  args: {
    q: Query(z.array(z.string())),
    ids: Query(z.array(z.number().int()).optional()),
    sizes: Query(z.array(z.enum(['s', 'm', 'l'])), { default: ['m'] }),
    accept: Header(z.array(z.string()).optional())
  }
}, ({ q, ids, sizes, accept }) => {
  expectTypeOf(q).toEqualTypeOf<string[]>()
  expectTypeOf(ids).toEqualTypeOf<number[] | undefined>()
  expectTypeOf(sizes).toEqualTypeOf<Array<'s' | 'm' | 'l'>>()
  expectTypeOf(accept).toEqualTypeOf<string[] | undefined>()
})

// ---------------------------------------------------------------------------
// Body: the handler sees z.output of the model
// ---------------------------------------------------------------------------

app.api.post('/users', { args: { user: Body(UserIn) } }, ({ user }) => {
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  // The default fills tags in and the transform turned age into a number.
  expectTypeOf(user.tags).toEqualTypeOf<string[]>()
  expectTypeOf(user.age).toEqualTypeOf<number | undefined>()
  expectTypeOf(user).not.toEqualTypeOf<z.input<typeof UserIn>>()
})

app.api.put('/items/:id', {
  args: {
    id: Path(z.number().int()),
    item: Body(z.object({ name: z.string(), price: z.number() })),
    importance: Body(z.number().int(), { embed: true }),
    tags: Body(z.array(z.string()), { default: [] })
  }
}, ({ id, item, importance, tags }) => {
  expectTypeOf(id).toEqualTypeOf<number>()
  expectTypeOf(item).toEqualTypeOf<{ name: string, price: number }>()
  expectTypeOf(importance).toEqualTypeOf<number>()
  expectTypeOf(tags).toEqualTypeOf<string[]>()
})

// ---------------------------------------------------------------------------
// Mistakes the compiler catches
// ---------------------------------------------------------------------------

app.api.get('/items/:itemId', { args: { itemId: Path(z.number().int()) } },
  // @ts-expect-error `item_id` is not a declared argument
  ({ item_id: itemId }) => itemId)

app.api.get('/items/:itemId', { args: { itemId: Path(z.number().int()) } }, (args) => {
  // @ts-expect-error the path argument is a number, not a string
  const asString: string = args.itemId
  // @ts-expect-error undeclared arguments are not on the object either
  return args.q
})

app.api.get('/search', { args: { q: Query(z.string().optional()) } }, ({ q }) => {
  // @ts-expect-error q may be undefined
  return q.toUpperCase()
})

app.api.get('/search', { args: { q: Query(z.string(), { default: 'x' }) } }, ({ q }) => {
  // With a default, q is always a string.
  return q.toUpperCase()
})

app.api.post('/users', { args: { user: Body(UserIn) } }, ({ user }) => {
  // @ts-expect-error the model has no `email`
  return user.email
})

app.api.get('/items/:itemId', { args: { itemId: Path(z.number().int()) } },
  // @ts-expect-error an annotation that contradicts the declaration
  ({ itemId }: { itemId: string }) => itemId)

// @ts-expect-error the default must fit the schema's input type
Query(z.number().int(), { default: 'zero' })

// @ts-expect-error examples must fit the schema's input type too
Query(z.number().int(), { examples: ['one'] })

// @ts-expect-error an option name that does not exist
Path(z.number(), { greaterThan: 1 })

// @ts-expect-error a misspelt option next to a valid one
Query(z.string(), { minLength: 1, maxLenght: 3 })

// @ts-expect-error a misspelt option on Header, whose own option is allowed
Header(z.string(), { convertUnderscores: false, alais: 'x-token' })

// @ts-expect-error a misspelt option on Body
Body(z.number(), { embed: true, embedd: true })

// Options typed in a variable keep working, and still record the default.
const pageOptions = { ge: 0, default: 1 }
expectTypeOf(Query(z.number().int(), pageOptions)).toEqualTypeOf<Param<'query', z.ZodNumber, true>>()
expectTypeOf(Header(z.string(), { convertUnderscores: false, alias: 'X-Token' })).toEqualTypeOf<Param<'header', z.ZodString, false>>()
expectTypeOf(Body(z.number(), { embed: true, default: 1 })).toEqualTypeOf<Param<'body', z.ZodNumber, true>>()

// @ts-expect-error convertUnderscores belongs to Header()
Query(z.string(), { convertUnderscores: false })

// @ts-expect-error embed belongs to Body()
Query(z.string(), { embed: true })

// @ts-expect-error the first argument must be a zod schema
Query({ type: 'string' })

// @ts-expect-error an args value must be a marker, not a bare schema
app.api.get('/bare', { args: { q: z.string() } }, () => null)

// Not caught at compile time (the route compiler throws at registration instead):
// an optional Path() schema or a Path() default (FFA_ERR_PATH_PARAM_OPTIONAL), a list in Path(),
// Body() on GET/HEAD, and a Path() name missing from the URL (the URL's prefix is only known
// at run time).

export { UserIn }
