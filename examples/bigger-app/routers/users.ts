/**
 * The users router (FastAPI tutorial: app/routers/users.py): no prefix of its own, the
 * paths and tags are written on each route.
 */
import { z } from 'zod'
import { APIRouter, Path } from '../../../lib/index.js'

// snippet: bigger-app-users
export const router = new APIRouter()

router.get('/users/', { tags: ['users'] }, async function readUsers () {
  return [{ username: 'Rick' }, { username: 'Morty' }]
})

router.get('/users/me', { tags: ['users'] }, async function readUserMe () {
  return { username: 'fakecurrentuser' }
})

router.get('/users/:username', {
  tags: ['users'],
  args: { username: Path(z.string()) }
}, async function readUser ({ username }) {
  return { username }
})
// end snippet
