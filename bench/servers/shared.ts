/**
 * What the three implementations share, so they answer byte for byte the same thing.
 */
import type { FastifyServerOptions } from 'fastify'

/** Every server is built with these options: the same for all three, logger off. */
export const FASTIFY_OPTIONS: FastifyServerOptions = { logger: false }

/** The creation date of every user, as in examples/users, so the bodies are reproducible. */
export const CREATED = new Date('2024-01-01T12:00:00Z')

/** The user id every route answers. */
export const USER_ID = 42

/** A user as the token lookup finds it. */
export interface User {
  username: string
  disabled: boolean
}

/** The token the dependency routes are called with. */
export const TOKEN = 'token-alice'

/** The "user table" every token is looked up in: a synchronous in-memory map. */
export const USERS: ReadonlyMap<string, User> = new Map([
  [TOKEN, { username: 'alice', disabled: false }],
  ['token-bob', { username: 'bob', disabled: true }]
])

/** What the dependency routes page through with `skip` and `limit`. */
export const ITEMS: readonly string[] = ['apple', 'banana', 'cherry', 'damson', 'elderberry', 'fig']

/** A database session as the DB-like routes see it. */
export interface Session {
  users: ReadonlyMap<string, User>
  items: readonly string[]
  closed: boolean
}

/**
 * A stand-in for a connection pool: `acquire` opens a session, `release` closes it. Synchronous
 * and cheap, so the DB-like routes measure the teardown machinery, not a database.
 */
export class SessionPool {
  /** Sessions acquired and not yet released. */
  open = 0

  acquire (): Session {
    this.open++
    return { users: USERS, items: ITEMS, closed: false }
  }

  release (session: Session): void {
    if (session.closed) throw new Error('session released twice')
    session.closed = true
    this.open--
  }
}
