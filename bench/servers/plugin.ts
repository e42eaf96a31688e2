/**
 * The seed's three routes written with fastify-fastapi (the models mirror examples/users).
 */
import Fastify from 'fastify'
import { z } from 'zod'
import fastapi, { Body, Field, Path, status } from '../../lib/index.js'
import { CREATED, FASTIFY_OPTIONS, USER_ID } from './shared.js'

const UserIn = z.object({
  name: Field(z.string(), { minLength: 3, pattern: /^[a-z-]+$/ }),
  password: Field(z.string(), { minLength: 5, secret: true })
})

const UserOut = z.object({
  id: z.number().int(),
  name: z.string(),
  creation_date: z.date()
})

/** Builds the app without listening. */
export async function build () {
  const app = Fastify(FASTIFY_OPTIONS)
  await app.register(fastapi)

  app.api.get('/', {}, function root () {
    return { greating: 'hello' }
  })

  app.api.get('/users/:name', {
    responseModel: UserOut,
    args: { name: Path(z.string(), { minLength: 3 }) }
  }, async function getUser ({ name }) {
    return { id: USER_ID, name, creation_date: CREATED }
  })

  app.api.post('/users', {
    statusCode: status.HTTP_201_CREATED,
    responseModel: UserOut,
    args: { user: Body(UserIn) }
  }, async function createUser ({ user }) {
    return { ...user, id: USER_ID, creation_date: CREATED } // UserOut strips the password
  })

  return app
}
