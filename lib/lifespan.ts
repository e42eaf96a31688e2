/**
 * @module lifespan — FastAPI's `lifespan`: one async generator for the app's startup (before its
 * `yield`) and shutdown (after it), mapped onto Fastify's `onReady` and `onClose` hooks. What it
 * yields is the app's state: each request sees a shallow copy as `request.state`, as Starlette
 * copies the lifespan state into every request's scope.
 *
 * Shutdown first waits for the work requests left running after their responses (background
 * tasks, dependency teardown), up to `shutdownTimeout`, as uvicorn's graceful shutdown waits
 * for running tasks; then the lifespan's own teardown runs, so that work can still use what
 * the lifespan opened.
 */
import type { FastifyInstance } from 'fastify'
import { FFA_ERR_OPTIONS_INVALID } from './errors.js'
import { kPendingWork, kRequestState } from './symbols.js'
import { PendingWork } from './background.js'

/** Default `shutdownTimeout`: how long `app.close()` waits for after-response work, in ms. */
export const DEFAULT_SHUTDOWN_TIMEOUT = 10_000
/** Above this, setTimeout fires at once (Node clamps it to 1 ms): treated as no limit. */
const MAX_TIMER = 2 ** 31 - 1

/** The `lifespan` option: setup, `yield state`, teardown. */
export type Lifespan = (app: FastifyInstance) => AsyncGenerator<Record<string, unknown> | undefined | void, unknown, unknown>

declare module 'fastify' {
  interface FastifyRequest {
    /** What the `lifespan` generator yielded, copied for this request (fastify-fastapi; set with the `lifespan` option). */
    readonly state: Record<string, any>
  }
}

type WithState = { [kRequestState]?: Record<string, any> }

/**
 * Hooks the lifespan and the graceful shutdown into `app`; throws FFA_ERR_OPTIONS_INVALID for a
 * lifespan that is not a function or a `shutdownTimeout` that is not a number ≥ 0.
 */
export function installLifespan (app: FastifyInstance, lifespan: Lifespan | undefined, shutdownTimeout: number = DEFAULT_SHUTDOWN_TIMEOUT): void {
  if (lifespan !== undefined && typeof lifespan !== 'function') {
    throw new FFA_ERR_OPTIONS_INVALID('lifespan must be an async generator function: async function * (app) { …; yield state; … }.')
  }
  if (typeof shutdownTimeout !== 'number' || Number.isNaN(shutdownTimeout) || shutdownTimeout < 0) {
    throw new FFA_ERR_OPTIONS_INVALID(`shutdownTimeout must be a number of milliseconds ≥ 0 (Infinity: no limit), got ${String(shutdownTimeout)}.`)
  }
  const timeout = shutdownTimeout > MAX_TIMER ? Infinity : shutdownTimeout
  const work = new PendingWork()
  // Read through the prototype chain by every route of this app and of its encapsulated children.
  ;(app as { [kPendingWork]?: PendingWork })[kPendingWork] = work
  let generator: ReturnType<Lifespan> | undefined
  // One hook, so the order is fixed: after-response work first, then the lifespan's teardown.
  app.addHook('onClose', async function shutdown () {
    await work.drain(timeout)
    if (generator === undefined) return
    const running = generator
    generator = undefined
    const next = await running.next()
    if (next.done !== true) {
      await running.return(undefined)
      throw new Error('lifespan yielded more than once: it must yield exactly once, between startup and shutdown.')
    }
  })
  if (lifespan === undefined) return
  let state: Record<string, unknown> = {}
  app.decorateRequest('state', {
    getter (this: WithState) {
      return (this[kRequestState] ??= { ...state })
    }
  })
  app.addHook('onReady', async function startup () {
    generator = lifespan(app)
    if (typeof generator?.next !== 'function') {
      throw new FFA_ERR_OPTIONS_INVALID('lifespan must be an async generator function: it returned no generator.')
    }
    const first = await generator.next()
    if (first.done === true) throw new FFA_ERR_OPTIONS_INVALID('lifespan returned without yielding: put `yield` between startup and shutdown.')
    state = first.value ?? {}
  })
}
