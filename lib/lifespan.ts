/**
 * @module lifespan — FastAPI's `lifespan`: one async generator for the app's startup (before its
 * `yield`) and shutdown (after it), mapped onto Fastify's `onReady` and `onClose` hooks. What it
 * yields is the app's state: each request sees a shallow copy as `request.state`, as Starlette
 * copies the lifespan state into every request's scope.
 */
import type { FastifyInstance } from 'fastify'
import { FFA_ERR_OPTIONS_INVALID } from './errors.js'
import { kRequestState } from './symbols.js'

/** The `lifespan` option: setup, `yield state`, teardown. */
export type Lifespan = (app: FastifyInstance) => AsyncGenerator<Record<string, unknown> | undefined | void, unknown, unknown>

declare module 'fastify' {
  interface FastifyRequest {
    /** What the `lifespan` generator yielded, copied for this request (fastify-fastapi; set with the `lifespan` option). */
    readonly state: Record<string, any>
  }
}

type WithState = { [kRequestState]?: Record<string, any> }

/** Hooks the lifespan into `app`; throws FFA_ERR_OPTIONS_INVALID for something that is not a function. */
export function installLifespan (app: FastifyInstance, lifespan: Lifespan | undefined): void {
  if (lifespan !== undefined && typeof lifespan !== 'function') {
    throw new FFA_ERR_OPTIONS_INVALID('lifespan must be an async generator function: async function * (app) { …; yield state; … }.')
  }
  if (lifespan === undefined) return
  let state: Record<string, unknown> = {}
  app.decorateRequest('state', {
    getter (this: WithState) {
      return (this[kRequestState] ??= { ...state })
    }
  })
  let generator: ReturnType<Lifespan> | undefined
  app.addHook('onReady', async function startup () {
    generator = lifespan(app)
    if (typeof generator?.next !== 'function') {
      throw new FFA_ERR_OPTIONS_INVALID('lifespan must be an async generator function: it returned no generator.')
    }
    const first = await generator.next()
    if (first.done === true) throw new FFA_ERR_OPTIONS_INVALID('lifespan returned without yielding: put `yield` between startup and shutdown.')
    state = first.value ?? {}
  })
  app.addHook('onClose', async function shutdown () {
    if (generator === undefined) return
    const running = generator
    generator = undefined
    const next = await running.next()
    if (next.done !== true) {
      await running.return(undefined)
      throw new Error('lifespan yielded more than once: it must yield exactly once, between startup and shutdown.')
    }
  })
}
