/**
 * The seed's three routes with fastify-type-provider-zod: its validatorCompiler parses
 * params and body with zod, its serializerCompiler encodes the response with zod.
 */
import Fastify from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CREATED, FASTIFY_OPTIONS, USER_ID } from './shared.js'

const UserIn = z.object({
  name: z.string().min(3).regex(/^[a-z-]+$/),
  password: z.string().min(5)
})

const UserOut = z.object({
  id: z.number().int(),
  name: z.string(),
  creation_date: z.date()
})

/** Builds the app without listening. */
export async function build () {
  const app = Fastify(FASTIFY_OPTIONS)
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get('/', {
    schema: { response: { 200: z.object({ greating: z.string() }) } }
  }, function root () {
    return { greating: 'hello' }
  })

  api.get('/users/:name', {
    schema: { params: z.object({ name: z.string().min(3) }), response: { 200: UserOut } }
  }, async function getUser (request) {
    return { id: USER_ID, name: request.params.name, creation_date: CREATED }
  })

  api.post('/users', {
    schema: { body: UserIn, response: { 201: UserOut } }
  }, async function createUser (request, reply) {
    reply.code(201)
    return { ...request.body, id: USER_ID, creation_date: CREATED }
  })

  return app
}
