/**
 * Security, after FastAPI's tutorial "Simple OAuth2 with Password and Bearer": a token from a
 * username/password form, a current-user dependency built on the token, and an active-user
 * dependency built on that. As in the tutorial, the token is the username and passwords are
 * "hashed" by a prefix: never do either for real.
 *
 * Run it with `EXAMPLE=security npm start`, then try:
 *   curl -s -X POST 127.0.0.1:8000/token -d 'username=johndoe&password=secret'
 *   curl -s 127.0.0.1:8000/users/me -H 'Authorization: Bearer johndoe'
 */
import Fastify, { type FastifyServerOptions } from 'fastify'
import { z } from 'zod'
import fastapi, {
  Depends, dependency, HTTPException, OAuth2PasswordBearer, OAuth2PasswordRequestForm, status
} from '../../lib/index.js'

// snippet: models
export const User = z.object({
  username: z.string(),
  email: z.string().nullable().default(null),
  full_name: z.string().nullable().default(null),
  disabled: z.boolean().nullable().default(null)
})

export const UserInDB = User.extend({ hashed_password: z.string() })
type StoredUser = z.infer<typeof UserInDB>
// end snippet

const fakeUsersDb: Record<string, StoredUser> = {
  johndoe: {
    username: 'johndoe',
    full_name: 'John Doe',
    email: 'johndoe@example.com',
    hashed_password: 'fakehashedsecret',
    disabled: false
  },
  alice: {
    username: 'alice',
    full_name: 'Alice Wonderson',
    email: 'alice@example.com',
    hashed_password: 'fakehashedsecret2',
    disabled: true
  }
}

function fakeHashPassword (password: string): string {
  return `fakehashed${password}`
}

function getUser (username: string): StoredUser | undefined {
  return Object.hasOwn(fakeUsersDb, username) ? fakeUsersDb[username] : undefined
}

// snippet: current-user
export const oauth2Scheme = OAuth2PasswordBearer({ tokenUrl: 'token' })

export const getCurrentUser = dependency({ token: Depends(oauth2Scheme) }, async function getCurrentUser ({ token }) {
  // The tutorial's "decoding": the token is the username.
  const user = getUser(token)
  if (user === undefined) {
    throw new HTTPException(status.HTTP_401_UNAUTHORIZED, 'Invalid authentication credentials', { 'WWW-Authenticate': 'Bearer' })
  }
  return user
})

export const getCurrentActiveUser = dependency({ currentUser: Depends(getCurrentUser) }, async function getCurrentActiveUser ({ currentUser }) {
  if (currentUser.disabled === true) throw new HTTPException(status.HTTP_400_BAD_REQUEST, 'Inactive user')
  return currentUser
})
// end snippet

/** Builds the app without listening; tests import this. */
export async function build (options: FastifyServerOptions = {}) {
  const app = Fastify(options)
  await app.register(fastapi)

  // snippet: routes
  app.api.post('/token', {
    args: { formData: Depends(OAuth2PasswordRequestForm) }
  }, async function login ({ formData }) {
    const user = getUser(formData.username)
    if (user === undefined || fakeHashPassword(formData.password) !== user.hashed_password) {
      throw new HTTPException(status.HTTP_400_BAD_REQUEST, 'Incorrect username or password')
    }
    return { access_token: user.username, token_type: 'bearer' }
  })

  app.api.get('/users/me', {
    // The stored user has a hashed password; the response model keeps it out of every answer.
    responseModel: User,
    args: { currentUser: Depends(getCurrentActiveUser) }
  }, async function readUsersMe ({ currentUser }) {
    return currentUser
  })
  // end snippet

  return app
}
