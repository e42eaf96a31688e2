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
