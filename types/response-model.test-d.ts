/**
 * Type tests: with a `responseModel`, the handler must return something the model accepts
 * (its z.input type), a Promise of it, or the reply itself.
 */
import { expectTypeOf } from 'expect-type'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { Body, Path, type Response, type RouteHandler } from '../lib/index.js'

declare const app: FastifyInstance

const UserIn = z.object({ name: z.string(), password: z.string() })
const UserOut = z.object({
  id: z.number().int(),
  name: z.string(),
  creation_date: z.date(),
  // Optional on input: a handler may leave it out.
  nickname: z.string().default('anonymous')
})

// ---------------------------------------------------------------------------
// What compiles
// ---------------------------------------------------------------------------

// Extra fields that come from a spread are allowed: the model drops them at run time.
app.api.post('/users', { responseModel: UserOut, args: { user: Body(UserIn) } }, ({ user }) => {
  return { ...user, id: 42, creation_date: new Date() }
})

// Async handlers return a Promise of the model's input.
app.api.post('/users', { responseModel: UserOut, args: { user: Body(UserIn) } }, async ({ user }) => {
  await Promise.resolve()
  return { ...user, id: 42, creation_date: new Date(), nickname: 'bob' }
})

// Even an extra field written out in the literal compiles: TypeScript does not run its excess
// property check on a returned literal whose function has no return annotation. So a misspelt
// optional field (`nick_name`) is not caught here; the model drops it and uses its default.
app.api.get('/users/:id', { responseModel: UserOut, args: { id: Path(z.number().int()) } }, ({ id }) => {
  return { id, name: 'bob', creation_date: new Date(), nick_name: 'b' }
})
app.api.get('/users/:id', { responseModel: UserOut }, () => ({ id: 1, name: 'bob', creation_date: new Date(), extra: 1 }))

// Returning a value held in a variable is never checked for extra fields.
app.api.get('/users/:id', { responseModel: UserOut, args: { id: Path(z.number().int()) } }, async ({ id }) => {
  const row = { id, name: 'bob', creation_date: new Date(), password: 'hunter2', internal: true }
  return row
})

// The handler may answer by itself and return the reply, with or without a model.
app.api.get('/raw', { responseModel: UserOut }, (args, request, reply) => {
  return reply.code(204).send()
})
app.api.get('/raw', { responseModel: UserOut }, async (args, request, reply) => {
  return reply.send({ anything: true })
})
app.api.get('/raw', {}, (args, request, reply) => reply.redirect('/elsewhere'))

// A list model takes an array.
app.api.get('/users', { responseModel: z.array(UserOut) }, () => [
  { id: 1, name: 'a', creation_date: new Date() },
  { id: 2, name: 'b', creation_date: new Date(), nickname: 'bee' }
])

// A nullable or union model.
app.api.get('/maybe', { responseModel: UserOut.nullable() }, () => null)
app.api.get('/either', { responseModel: z.union([z.string(), z.number()]) }, () => 'ok')

// A model whose input differs from its output: the handler returns the input side.
const Stamped = z.object({ at: z.string().transform(s => new Date(s)) })
app.api.get('/stamped', { responseModel: Stamped }, () => ({ at: '2024-01-01T00:00:00Z' }))

// Without a model, anything goes (FastAPI serializes whatever the handler returns).
app.api.get('/free', {}, () => 'text')
app.api.get('/free', {}, () => ({ any: { shape: [1, 2, 3] } }))
app.api.get('/free', {}, async () => undefined)
app.api.get('/free', {}, () => { throw new Error('boom') })

// A throwing handler fits a model as well (never is assignable to anything).
app.api.get('/never', { responseModel: UserOut }, () => { throw new Error('boom') })

// The handler type the route methods expect, spelled out: a response class bypasses the model.
expectTypeOf<ReturnType<RouteHandler<{}, typeof UserOut>>>().toEqualTypeOf<
  z.input<typeof UserOut> | FastifyReply | Response | Promise<z.input<typeof UserOut> | FastifyReply | Response>
>()
expectTypeOf<ReturnType<RouteHandler<{}, undefined>>>().toEqualTypeOf<unknown>()

// ---------------------------------------------------------------------------
// What does not compile
// ---------------------------------------------------------------------------

// @ts-expect-error creation_date is missing
app.api.post('/users', { responseModel: UserOut, args: { user: Body(UserIn) } }, ({ user }) => {
  return { ...user, id: 42 }
})

// @ts-expect-error id must be a number
app.api.post('/users', { responseModel: UserOut, args: { user: Body(UserIn) } }, async ({ user }) => {
  return { ...user, id: '42', creation_date: new Date() }
})

// @ts-expect-error a date is expected, not a string
app.api.get('/users/:id', { responseModel: UserOut, args: { id: Path(z.number().int()) } }, ({ id }) => {
  return { id, name: 'bob', creation_date: '2024-01-01' }
})

app.api.get('/users', { responseModel: z.array(UserOut) }, () => [
  { id: 1, name: 'a', creation_date: new Date() },
  // @ts-expect-error this element of the list lacks its name
  { id: 2, creation_date: new Date() }
])

// @ts-expect-error a single object where the model is a list
app.api.get('/users', { responseModel: z.array(UserOut) }, () => ({ id: 1, name: 'a', creation_date: new Date() }))

// @ts-expect-error null needs a nullable model
app.api.get('/maybe', { responseModel: UserOut }, () => null)

// @ts-expect-error the transform's input is a string, not a Date
app.api.get('/stamped', { responseModel: Stamped }, () => ({ at: new Date() }))
