/**
 * A bigger application in several files, after FastAPI's tutorial "Bigger Applications -
 * Multiple Files": a users router, an items router with its own prefix, tags, responses and a
 * header check, and an admin router whose prefix, tags, dependency and responses are given by
 * the app that registers it. Every route also requires `?token=jessica`.
 *
 * Run it with `EXAMPLE=bigger-app npm start`, then try:
 *   curl -s '127.0.0.1:8000/users/?token=jessica'
 *   curl -s '127.0.0.1:8000/items/plumbus?token=jessica' -H 'x-token: fake-super-secret-token'
 *   curl -si -X PUT '127.0.0.1:8000/items/plumbus?token=jessica' -H 'x-token: fake-super-secret-token'
 *   curl -si '127.0.0.1:8000/items/latest?token=jessica' -H 'x-token: fake-super-secret-token'
 *   curl -s '127.0.0.1:8000/admin/audit?token=jessica' -H 'x-token: fake-super-secret-token'
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import fastapi, { Depends } from '../../lib/index.js'
import { getQueryToken, getTokenHeader } from './dependencies.js'
import { ItemStore } from './store.js'
import { router as items } from './routers/items.js'
import { router as users } from './routers/users.js'
import { router as admin } from './internal/admin.js'

export { ItemStore } from './store.js'

// snippet: bigger-app-lifespan
/**
 * Opens the item store when the app is ready and closes it when the app closes. What it
 * yields is `request.state`, which the `getStore` dependency reads.
 */
export async function * lifespan (app: FastifyInstance) {
  const store = new ItemStore()
  await store.connect()
  app.log.info('item store open')
  try {
    yield { store }
  } finally {
    await store.disconnect()
    app.log.info('item store closed')
  }
}
// end snippet

/** Builds the app without listening; tests import this. */
export async function build (options: FastifyServerOptions = {}) {
  // FastAPI answers GET /users with a redirect to /users/ (redirect_slashes); Fastify's
  // nearest equivalent is to serve both, so the tutorial's requests get the same answers.
  const app = Fastify({ ...options, routerOptions: { ignoreTrailingSlash: true, ...options.routerOptions } })

  // snippet: bigger-app-main
  await app.register(fastapi, { dependencies: [Depends(getQueryToken)], lifespan })

  await app.register(users)
  await app.register(items)
  await app.register(admin, {
    prefix: '/admin',
    tags: ['admin'],
    dependencies: [Depends(getTokenHeader)],
    responses: { 418: { description: "I'm a teapot" } }
  })

  app.api.get('/', {}, async function root () {
    return { message: 'Hello Bigger Applications!' }
  })
  // end snippet

  return app
}
