/**
 * Dependencies shared by the app's routers (FastAPI tutorial: app/dependencies.py).
 */
import { z } from 'zod'
import { dependency, Header, HTTPException, Query } from '../../lib/index.js'
import type { ItemStore } from './store.js'

// snippet: bigger-app-dependencies
/** The items and admin routers require this header; a missing one is a 422, a wrong one a 400. */
export const getTokenHeader = dependency({
  xToken: Header(z.string())
}, async function getTokenHeader ({ xToken }) {
  if (xToken !== 'fake-super-secret-token') throw new HTTPException(400, 'X-Token header invalid')
})

/** Every route of the app requires `?token=jessica` (the plugin option `dependencies`). */
export const getQueryToken = dependency({
  token: Query(z.string())
}, async function getQueryToken ({ token }) {
  if (token !== 'jessica') throw new HTTPException(400, 'No Jessica token provided')
})
// end snippet

// snippet: bigger-app-get-store
/**
 * The store the app's `lifespan` opened: what it yields is `request.state`. A dependency,
 * rather than `request.state.store` in each handler, gives the handlers a typed value and
 * tests one place to override it.
 */
export const getStore = dependency({}, function getStore (_args, request): ItemStore {
  return request.state.store
})
// end snippet
