/**
 * The admin router (FastAPI tutorial: app/internal/admin.py). It declares no prefix, tags or
 * dependencies itself: the app gives them when it registers the router, as a team would do
 * with a router it shares with other projects and cannot edit.
 */
import { APIRouter, Depends } from '../../../lib/index.js'
import { getStore } from '../dependencies.js'

// snippet: bigger-app-admin
export const router = new APIRouter()

router.post('/', {}, async function updateAdmin () {
  return { message: 'Admin getting schwifty' }
})
// end snippet

/** The audit lines the items router's background tasks wrote (not in the tutorial). */
router.get('/audit', {
  args: { store: Depends(getStore) }
}, async function readAudit ({ store }) {
  return store.audit
})
