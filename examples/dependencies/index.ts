/**
 * Dependencies, after FastAPI's tutorial chapter: shared query parameters, a database
 * connection with teardown, a transaction that rolls back on errors, header checks on one route
 * and on a whole plugin, sub-dependencies, and a dependency that must run afresh.
 *
 * Run it with `EXAMPLE=dependencies npm start`, then try:
 *   curl -s '127.0.0.1:8000/items?skip=1&limit=1'
 *   curl -s '127.0.0.1:8000/search' -H 'cookie: last_query=plumbus'
 *   curl -s -X POST 127.0.0.1:8000/admin/items -H 'x-key: fake-super-secret-key' \
 *     -H 'x-token: fake-super-secret-token' -H 'content-type: application/json' -d '[{"name":"Qux"}]'
 */
import Fastify, { type FastifyServerOptions } from 'fastify'
import { z } from 'zod'
import fastapi, { Body, Cookie, Depends, dependency, Field, Header, HTTPException, Query, status } from '../../lib/index.js'
import { Pool } from './db.js'

export { Pool } from './db.js'
export type { Db, Item } from './db.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The example's database pool: a decorator, as Fastify database plugins provide theirs. */
    pool: Pool
  }
}

export const ItemIn = z.object({
  name: Field(z.string(), { minLength: 1, maxLength: 50, examples: ['Portal Gun'] })
})

const USERS = [{ username: 'Rick' }, { username: 'Morty' }]

// snippet: pagination
/** Pagination shared by the list routes: declared, validated and documented once. */
export const pagination = dependency({
  skip: Query(z.number().int(), { default: 0 }),
  limit: Query(z.number().int(), { default: 100, le: 1000 })
}, function pagination ({ skip, limit }) {
  return { skip, limit }
})
// end snippet

// snippet: get-db
/**
 * One connection per request. The code after `yield` runs once the response is sent, or,
 * when the request fails, before the error response: the connection is always given back.
 */
export const getDb = dependency({}, async function * getDb () {
  const db = await this.pool.connect()
  try {
    yield db
  } finally {
    db.release()
  }
})
// end snippet

// snippet: transaction
/**
 * A transaction on the request's connection (a sub-dependency of `getDb`). An error thrown by
 * the handler, an HTTPException included, is thrown in here at the `yield`, so it rolls back.
 * NOTE: as in FastAPI, the commit runs after the response is sent.
 */
export const transaction = dependency({ db: Depends(getDb) }, async function * transaction ({ db }) {
  await db.begin()
  try {
    yield db
  } catch (err) {
    await db.rollback()
    throw err
  }
  await db.commit()
})
// end snippet

// snippet: use-cache
/**
 * Writes audit entries on a connection of its own: without `useCache: false` it would get the
 * request's connection, and its entries would roll back with the transaction.
 */
export const auditLog = dependency({
  db: Depends(getDb, { useCache: false })
}, function auditLog ({ db }) {
  return (entry: string) => db.log(entry)
})
// end snippet

// snippet: header-checks
/** FastAPI's `verify_token`: run for its effect only, through `dependencies: [...]`. */
export const verifyToken = dependency({ xToken: Header(z.string()) }, function verifyToken ({ xToken }) {
  if (xToken !== 'fake-super-secret-token') {
    throw new HTTPException(status.HTTP_400_BAD_REQUEST, 'X-Token header invalid')
  }
})

/** FastAPI's `verify_key`: its value is ignored where it is used for its effect. */
export const verifyKey = dependency({ xKey: Header(z.string()) }, function verifyKey ({ xKey }) {
  if (xKey !== 'fake-super-secret-key') {
    throw new HTTPException(status.HTTP_400_BAD_REQUEST, 'X-Key header invalid')
  }
  return xKey
})
// end snippet

// snippet: sub-dependencies
export const queryExtractor = dependency({
  q: Query(z.string().optional())
}, function queryExtractor ({ q }) {
  return q
})

export const queryOrCookieExtractor = dependency({
  q: Depends(queryExtractor),
  lastQuery: Cookie(z.string().optional(), { alias: 'last_query' })
}, function queryOrCookieExtractor ({ q, lastQuery }) {
  // As FastAPI's `if not q`: an empty ?q= falls back to the cookie too.
  return q === undefined || q === '' ? lastQuery : q
})
// end snippet

/** Builds the app without listening; tests import this. Each app has its own pool. */
export async function build (options: FastifyServerOptions = {}) {
  const app = Fastify(options)
  app.decorate('pool', new Pool())
  await app.register(fastapi)

  // snippet: routes
  app.api.get('/items', {
    args: { page: Depends(pagination), db: Depends(getDb) }
  }, async function readItems ({ page, db }) {
    return await db.listItems(page.skip, page.limit)
  })

  app.api.get('/users', {
    args: { page: Depends(pagination) }
  }, function readUsers ({ page }) {
    return USERS.slice(page.skip, page.skip + page.limit)
  })

  app.api.get('/search', {
    args: { query: Depends(queryOrCookieExtractor) }
  }, function readQuery ({ query }) {
    return { q_or_cookie: query ?? null }
  })
  // end snippet

  // snippet: admin
  await app.register(async function admin (admin) {
    // Every route of this plugin checks x-key first (FastAPI's router-level dependencies).
    admin.api.addDependency(Depends(verifyKey))

    admin.api.get('/audit', {}, function readAuditLog () {
      return this.pool.auditLog
    })

    admin.api.post('/items', {
      statusCode: status.HTTP_201_CREATED,
      dependencies: [Depends(verifyToken)],
      args: {
        items: Body(z.array(ItemIn)),
        db: Depends(transaction),
        // After `db`: run first, its fresh connection would be cached and given to `db` as well.
        audit: Depends(auditLog)
      }
    }, async function createItems ({ items, db, audit }) {
      await audit(`create ${items.map(item => item.name).join(', ')}`)
      const created = []
      for (const { name } of items) {
        // All or nothing: the items inserted before a duplicate roll back with it.
        if (await db.findItem(name) !== undefined) {
          throw new HTTPException(status.HTTP_409_CONFLICT, `Item ${name} already exists`)
        }
        created.push(await db.insertItem(name))
      }
      return created
    })
  }, { prefix: '/admin' })
  // end snippet

  return app
}
