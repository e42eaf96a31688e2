/**
 * The seed's three routes in plain Fastify with hand-written JSON Schema: ajv validates
 * params and body, fast-json-stringify serializes (and so drops the password). Also the
 * dependency routes' work written inline: `GET /deps` (token → user → active user, in the
 * handler) and `GET /deps-db` (the same with a session closed in `finally`).
 */
import Fastify from 'fastify'
import { CREATED, FASTIFY_OPTIONS, ITEMS, SessionPool, USER_ID, USERS } from './shared.js'

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

const page = {
  type: 'object',
  required: ['owner', 'skip', 'limit', 'items'],
  properties: {
    owner: { type: 'string' },
    skip: { type: 'integer' },
    limit: { type: 'integer' },
    items: { type: 'array', items: { type: 'string' } }
  }
} as const

// What the plugin's arguments declare: ajv coerces the query strings and fills in the defaults.
const pageSchema = {
  querystring: {
    type: 'object',
    properties: {
      skip: { type: 'integer', minimum: 0, default: 0 },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 }
    }
  },
  headers: {
    type: 'object',
    required: ['x-token'],
    properties: { 'x-token': { type: 'string' } }
  },
  response: { 200: page }
} as const

interface PageRequest {
  Querystring: { skip: number, limit: number }
  Headers: { 'x-token': string }
}

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

  app.get<PageRequest>('/deps', { schema: pageSchema }, function listItems (request, reply) {
    const { skip, limit } = request.query
    // What the plugin's three dependencies do: read the token, look the user up, check it.
    const user = USERS.get(request.headers['x-token'])
    if (user === undefined) return reply.code(401).send({ detail: 'Invalid token' })
    if (user.disabled) return reply.code(400).send({ detail: 'Inactive user' })
    return { owner: user.username, skip, limit, items: ITEMS.slice(skip, skip + limit) }
  })

  const pool = new SessionPool()
  app.get<PageRequest>('/deps-db', { schema: pageSchema }, async function listItemsDb (request, reply) {
    const { skip, limit } = request.query
    const session = pool.acquire()
    try {
      const user = session.users.get(request.headers['x-token'])
      if (user === undefined) return reply.code(401).send({ detail: 'Invalid token' })
      if (user.disabled) return reply.code(400).send({ detail: 'Inactive user' })
      return { owner: user.username, skip, limit, items: session.items.slice(skip, skip + limit) }
    } finally {
      pool.release(session)
    }
  })

  // How many sessions are open: 0 once every request has released its own.
  app.get('/sessions', function sessions () {
    return { open: pool.open }
  })

  return app
}
