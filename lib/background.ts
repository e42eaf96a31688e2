/**
 * @module background — FastAPI's `BackgroundTasks`: work a handler or a dependency queues to
 * run after the response is sent, in order, before the dependencies' teardown (as Starlette
 * runs a response's background before FastAPI closes the request's dependencies).
 */
import type { FastifyRequest } from 'fastify'
import { kBackgroundTasks } from './symbols.js'

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

  /** Runs the tasks in order; a failing task is logged and ends the run. Never rejects. */
  async run (request: FastifyRequest): Promise<void> {
    for (const { fn, args } of this.tasks) {
      try {
        await fn(...args)
      } catch (err) {
        request.log.error({ err, route: `${request.method} ${request.routeOptions.url ?? request.url}`, task: fn.name || 'anonymous' },
          'A background task failed; the tasks after it were not run')
        return
      }
    }
  }
}
