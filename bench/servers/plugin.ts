/**
 * The seed's three routes written with fastify-fastapi (the models mirror examples/users),
 * and the dependency routes: `GET /deps` (three nested sync dependencies), `GET /deps-inline`
 * (the same work without dependencies) and `GET /deps-db` (the chain with an async generator
 * dependency that opens and closes a session).
 */
import Fastify from 'fastify'
import { z } from 'zod'
import fastapi, { Body, Depends, Field, Header, HTTPException, Path, Query, dependency, status } from '../../lib/index.js'
import { CREATED, FASTIFY_OPTIONS, ITEMS, SessionPool, USER_ID, USERS, type User } from './shared.js'

const UserIn = z.object({
  name: Field(z.string(), { minLength: 3, pattern: /^[a-z-]+$/ }),
  password: Field(z.string(), { minLength: 5, secret: true })
})

const UserOut = z.object({
  id: z.number().int(),
  name: z.string(),
  creation_date: z.date()
})

const Page = z.object({
  owner: z.string(),
  skip: z.number().int(),
  limit: z.number().int(),
  items: z.array(z.string())
})

// The route's own arguments, shared by the three dependency routes.
const skip = Query(z.number().int(), { default: 0, ge: 0 })
const limit = Query(z.number().int(), { default: 10, ge: 1, le: 100 })

// Three levels: the route ← activeUser ← currentUser ← token (reads the x-token header).
const token = dependency({ xToken: Header(z.string()) }, function token ({ xToken }) {
  return xToken
})

const currentUser = dependency({ token: Depends(token) }, function currentUser ({ token }): User {
  const user = USERS.get(token)
  if (user === undefined) throw new HTTPException(401, 'Invalid token')
  return user
})

const activeUser = dependency({ user: Depends(currentUser) }, function activeUser ({ user }) {
  if (user.disabled) throw new HTTPException(400, 'Inactive user')
  return user
})

// The DB-like chain: the session is opened once per request (the route and dbUser share it,
// through the per-request cache) and closed after the response.
const pool = new SessionPool()

const db = dependency({}, async function * db () {
  const session = pool.acquire()
  try {
    yield session
  } finally {
    pool.release(session)
  }
})

const dbUser = dependency({ token: Depends(token), session: Depends(db) }, function dbUser ({ token, session }): User {
  const user = session.users.get(token)
  if (user === undefined) throw new HTTPException(401, 'Invalid token')
  return user
})

const dbActiveUser = dependency({ user: Depends(dbUser) }, function dbActiveUser ({ user }) {
  if (user.disabled) throw new HTTPException(400, 'Inactive user')
  return user
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

  app.api.get('/deps', {
    responseModel: Page,
    args: { user: Depends(activeUser), skip, limit }
  }, function listItems ({ user, skip, limit }) {
    return { owner: user.username, skip, limit, items: ITEMS.slice(skip, skip + limit) }
  })

  // Not a contender: the plugin without dependencies, to tell their cost from the arguments'.
  app.api.get('/deps-inline', {
    responseModel: Page,
    args: { xToken: Header(z.string()), skip, limit }
  }, function listItemsInline ({ xToken, skip, limit }) {
    const user = USERS.get(xToken)
    if (user === undefined) throw new HTTPException(401, 'Invalid token')
    if (user.disabled) throw new HTTPException(400, 'Inactive user')
    return { owner: user.username, skip, limit, items: ITEMS.slice(skip, skip + limit) }
  })

  app.api.get('/deps-db', {
    responseModel: Page,
    args: { user: Depends(dbActiveUser), session: Depends(db), skip, limit }
  }, async function listItemsDb ({ user, session, skip, limit }) {
    return { owner: user.username, skip, limit, items: session.items.slice(skip, skip + limit) }
  })

  // How many sessions are open: 0 once every teardown has run.
  app.get('/sessions', function sessions () {
    return { open: pool.open }
  })

  return app
}
