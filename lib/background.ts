/**
 * @module background — FastAPI's `BackgroundTasks`: work a handler or a dependency queues to
 * run after the response is sent, in order, before the dependencies' teardown (as Starlette
 * runs a response's background before FastAPI closes the request's dependencies). Also the
 * per-app record of that after-response work, which `app.close()` waits for.
 */
import type { FastifyRequest } from 'fastify'
import { kBackgroundTasks } from './symbols.js'
import { loggableError } from './redact-log.js'

/** The queue an argument declared with `BackgroundTasks()` receives; one per request. */
export interface BackgroundTasks {
  /**
   * Queues `fn(...args)` to run after the response is sent. A task that throws (or rejects) is
   * logged with the route; the tasks after it do not run, as in Starlette.
   */
  add: <TArgs extends unknown[]>(fn: (...args: TArgs) => unknown, ...args: TArgs) => void
}

/** The marker `BackgroundTasks()` returns. */
export interface BackgroundTasksMarker {
  readonly [kBackgroundTasks]: true
}

/**
 * Declares an argument that receives the request's background task queue, in a route or a
 * dependency (all get the same queue).
 * @example
 * app.api.post('/send', { args: { tasks: BackgroundTasks() } }, ({ tasks }) => {
 *   tasks.add(sendEmail, 'to@example.com')
 *   return { queued: true }
 * })
 * @see README "Background tasks"
 */
// eslint-disable-next-line @typescript-eslint/no-redeclare -- the marker and the value's type share FastAPI's name, as a class would.
export function BackgroundTasks (): BackgroundTasksMarker {
  return { [kBackgroundTasks]: true }
}

/** True when `value` was made by `BackgroundTasks()`. */
export function isBackgroundTasksMarker (value: unknown): value is BackgroundTasksMarker {
  return typeof value === 'object' && value !== null && (value as any)[kBackgroundTasks] === true
}

/** The per-request queue behind the `BackgroundTasks` interface. */
export class TaskQueue implements BackgroundTasks {
  readonly tasks: Array<{ fn: (...args: any[]) => unknown, args: unknown[] }> = []

  add<TArgs extends unknown[]> (fn: (...args: TArgs) => unknown, ...args: TArgs): void {
    if (typeof fn !== 'function') throw new TypeError('BackgroundTasks.add() takes a function, then its arguments.')
    this.tasks.push({ fn: fn as (...args: any[]) => unknown, args })
  }

  /**
   * Runs the tasks in order; a failing task is logged and ends the run. Never rejects.
   * `entry` (when the app tracks after-response work) is told which task is running.
   */
  async run (request: FastifyRequest, entry: PendingEntry | null = null): Promise<void> {
    for (const { fn, args } of this.tasks) {
      if (entry !== null) {
        entry.stage = 'task'
        entry.name = fn.name
      }
      try {
        await fn(...args)
      } catch (err) {
        request.log.error({ err: loggableError(request, err), route: routeOf(request), task: fn.name || 'anonymous' },
          'A background task failed; the tasks after it were not run')
        return
      }
    }
  }
}

/** `METHOD /route/:pattern` for logs (the pattern, not the URL: no ids or query strings). */
export function routeOf (request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url}`
}

/**
 * One request's work that outlives its response: background tasks, then the teardown of its
 * dependencies with yield; or a handler still running after its `handlerTimeout`, whose
 * dependencies wait for it.
 */
export interface PendingEntry {
  readonly request: FastifyRequest
  /** What it is doing now, named in the log if shutdown abandons it. */
  stage: 'task' | 'teardown' | 'handler'
  /** The task's function name or the dependency's name ('' for the handler). */
  name: string
  /** Called if shutdown gives up on it: closes what can still be closed. */
  abandon: (() => void) | null
}

/**
 * The after-response work of one app, so `app.close()` can wait for it as uvicorn's graceful
 * shutdown waits for running tasks. A Set of small records, touched only by requests that have
 * tasks or dependencies with yield.
 */
export class PendingWork {
  readonly #entries = new Set<PendingEntry>()
  #onIdle: (() => void) | null = null

  /** How many entries are still running. */
  get size (): number {
    return this.#entries.size
  }

  /** Records a piece of work that has started; call `finish` with the result when it ends. */
  start (request: FastifyRequest, stage: PendingEntry['stage'], abandon: PendingEntry['abandon'] = null): PendingEntry {
    const entry: PendingEntry = { request, stage, name: '', abandon }
    this.#entries.add(entry)
    return entry
  }

  /** The work ended (a second call, or one after shutdown gave up, does nothing). */
  finish (entry: PendingEntry): void {
    if (this.#entries.delete(entry) && this.#entries.size === 0 && this.#onIdle !== null) this.#onIdle()
  }

  /**
   * Waits until every entry has finished, or `timeout` ms (Infinity: no limit). Each entry still
   * running then is logged as an error naming its route and stage, abandoned (its `abandon` is
   * called) and forgotten. Never rejects.
   */
  async drain (timeout: number): Promise<void> {
    if (this.#entries.size === 0) return
    let timer: NodeJS.Timeout | undefined
    const idle = new Promise<boolean>(resolve => { this.#onIdle = () => resolve(true) })
    const gaveUp = new Promise<boolean>(resolve => {
      if (timeout !== Infinity) timer = setTimeout(resolve, timeout, false)
    })
    const finished = await Promise.race([idle, gaveUp])
    clearTimeout(timer)
    this.#onIdle = null
    if (finished) return
    const left = [...this.#entries]
    this.#entries.clear()
    for (const entry of left) {
      const { request, stage, name } = entry
      const what = stage === 'task'
        ? { task: name || 'anonymous' }
        : stage === 'teardown' ? { dependency: name } : { handler: 'still running after its handlerTimeout' }
      request.log.error({ route: routeOf(request), ...what, shutdownTimeout: timeout },
        `app.close(): gave up waiting for a ${STAGE_WORDS[stage]} after shutdownTimeout; abandoned`)
      try {
        entry.abandon?.()
      } catch (err) /* c8 ignore next */ {
        request.log.error({ err }, 'Closing abandoned work failed')
      }
    }
  }
}

const STAGE_WORDS = { task: 'background task', teardown: 'dependency teardown', handler: 'timed-out handler' }
