/**
 * The items router (FastAPI tutorial: app/routers/items.py): prefix, tags, the X-Token check
 * and the 404 response are declared once, for every route below. Beyond the tutorial, the
 * items live in the store the app's `lifespan` opens, an update is stored with
 * `jsonableEncoder` and audited by a background task, and /items/latest redirects.
 */
import { z } from 'zod'
import {
  APIRouter, BackgroundTasks, Depends, HTTPException, jsonableEncoder, Path, RedirectResponse
} from '../../../lib/index.js'
import { getStore, getTokenHeader } from '../dependencies.js'
import type { StoredItem } from '../store.js'

// snippet: bigger-app-items-router
export const router = new APIRouter({
  prefix: '/items',
  tags: ['items'],
  dependencies: [Depends(getTokenHeader)],
  responses: { 404: { description: 'Not found' } }
})
// end snippet

router.get('/', {
  args: { store: Depends(getStore) }
}, async function readItems ({ store }) {
  return store.items
})

// snippet: bigger-app-redirect
router.get('/latest', {
  responseClass: RedirectResponse,
  args: { store: Depends(getStore) }
}, async function readLatestItem ({ store }, request) {
  // Relative to /items/latest, so it holds under any prefix; the query string is kept because
  // the app-wide `token` dependency needs it on the next request too.
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
  return new RedirectResponse(`${encodeURIComponent(store.latest)}${query}`)
})
// end snippet

router.get('/:item_id', {
  args: { item_id: Path(z.string()), store: Depends(getStore) }
}, async function readItem ({ item_id: itemId, store }) {
  const item = store.items[itemId]
  if (item === undefined) throw new HTTPException(404, 'Item not found')
  return { name: item.name, item_id: itemId }
})

// snippet: bigger-app-update-item
router.put('/:item_id', {
  tags: ['custom'],
  responses: { 403: { description: 'Operation forbidden' } },
  args: { item_id: Path(z.string()), store: Depends(getStore), tasks: BackgroundTasks() }
}, async function updateItem ({ item_id: itemId, store, tasks }) {
  if (itemId !== 'plumbus') throw new HTTPException(403, 'You can only update the item: plumbus')
  const item = { item_id: itemId, name: 'The great Plumbus' }
  // The store keeps JSON data only: jsonableEncoder turns the Date into an ISO string.
  store.save(itemId, jsonableEncoder({ name: item.name, updated_at: new Date() }) as StoredItem)
  // Written after the response is sent: the client does not wait for the audit.
  tasks.add(line => store.record(line), `updated ${itemId}`)
  return item
})
// end snippet
