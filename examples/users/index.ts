/**
 * The seed example: the final API of the tutorial, FastAPI style.
 * Run it with `npm start`, then open http://127.0.0.1:8000/docs.
 */
import Fastify, { type FastifyServerOptions } from 'fastify'
import { z } from 'zod'
import fastapi, { Body, Depends, dependency, Field, Header, HTTPException, Path, Query, status } from '../../lib/index.js'

// The date every user of this example was "created" at, so answers are reproducible.
const CREATED = new Date('2024-01-01T12:00:00Z')

export const UserIn = z.object({
  name: Field(z.string(), { minLength: 3, pattern: /^[a-z-]+$/, examples: ['my-username'] }),
  password: Field(z.string(), { minLength: 5, examples: ['secret'], secret: true })
}).meta({ id: 'UserIn' })

export const UserOut = z.object({
  id: z.number().int(),
  name: z.string(),
  creation_date: z.date()
}).meta({ id: 'UserOut' })

export const ItemOut = z.object({
  item_id: z.number().int(),
  q: z.string().nullish(),
  x_token: z.string(),
  commons: z.object({ skip: z.number().int(), limit: z.number().int() })
}).meta({ id: 'ItemOut' })

/** Pagination any route can use: its query parameters are declared once, here. */
export const commonParameters = dependency({
  skip: Query(z.number().int(), { default: 0 }),
  limit: Query(z.number().int(), { default: 100 })
}, function commonParameters ({ skip, limit }) {
  return { skip, limit }
})

/** Builds the app without listening; tests import this. */
export async function build (options: FastifyServerOptions = {}) {
  const app = Fastify(options)
  await app.register(fastapi)

  app.api.get('/', {}, function root () {
    return { greating: 'hello' }
  })

  app.api.post('/users', {
    statusCode: status.HTTP_201_CREATED,
    responseModel: UserOut,
    args: { user: Body(UserIn) }
  }, async function createUser ({ user }) {
    return { ...user, id: 42, creation_date: CREATED } // password is stripped by UserOut
  })

  app.api.get('/users', {
    responseModel: UserOut,
    responseDescription: 'The `new` user',
    description: 'Create a new user. *Supports `markdown`!*',
    args: { name: Query(z.string(), { minLength: 3 }) }
  }, async function getUserByQuery ({ name }) {
    return { id: 42, name, creation_date: CREATED }
  })

  app.api.get('/users/:name', {
    responseModel: UserOut,
    args: { name: Path(z.string(), { minLength: 3 }) }
  }, async function getUser ({ name }) {
    return { id: 42, name, creation_date: CREATED }
  })

  app.api.get('/error', {}, function throwError () {
    throw new HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, 'Just throwing an internal server error')
  })

  app.api.get('/error/teapot', {}, function throwTeapot () {
    throw new HTTPException(status.HTTP_418_IM_A_TEAPOT, { reason: 'teapot', items: [1, 2] }, { 'X-Error': 'yes' })
  })

  app.api.get('/items/:item_id', {
    responseModel: ItemOut,
    responseModelExcludeNone: true,
    args: {
      item_id: Path(z.number().int(), { ge: 1 }),
      q: Query(z.string().optional(), { maxLength: 10 }),
      x_token: Header(z.string()),
      commons: Depends(commonParameters)
    }
  }, async function readItem ({ item_id: itemId, q, x_token: xToken, commons }) {
    return { item_id: itemId, q, x_token: xToken, commons }
  })

  return app
}
