/**
 * The seed's three routes in plain Fastify with hand-written JSON Schema: ajv validates
 * params and body, fast-json-stringify serializes (and so drops the password).
 */
import Fastify from 'fastify'
import { CREATED, FASTIFY_OPTIONS, USER_ID } from './shared.js'

const userOut = {
  type: 'object',
  required: ['id', 'name', 'creation_date'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    creation_date: { type: 'string', format: 'date-time' }
  }
} as const

const userIn = {
  type: 'object',
  required: ['name', 'password'],
  properties: {
    name: { type: 'string', minLength: 3, pattern: '^[a-z-]+$' },
    password: { type: 'string', minLength: 5 }
  }
} as const

interface UserIn { name: string, password: string }

/** Builds the app without listening. */
export async function build () {
  const app = Fastify(FASTIFY_OPTIONS)

  app.get('/', {
    schema: { response: { 200: { type: 'object', properties: { greating: { type: 'string' } } } } }
  }, function root () {
    return { greating: 'hello' }
  })

  app.get<{ Params: { name: string } }>('/users/:name', {
    schema: {
      params: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 3 } } },
      response: { 200: userOut }
    }
  }, async function getUser (request) {
    return { id: USER_ID, name: request.params.name, creation_date: CREATED }
  })

  app.post<{ Body: UserIn }>('/users', {
    schema: { body: userIn, response: { 201: userOut } }
  }, async function createUser (request, reply) {
    reply.code(201)
    return { ...request.body, id: USER_ID, creation_date: CREATED }
  })

  return app
}
