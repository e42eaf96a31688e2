/**
 * @module dependency-runner — steps through a route's dependency program for one request,
 * and closes the dependencies that yielded.
 *
 * The loop stays synchronous until a dependency returns a promise, so a graph of plain
 * functions costs no await. Teardown follows FastAPI (request scope): after the response on
 * success; on an error, the error is thrown into each open generator (latest first) before the
 * error response is made, so a `catch` can roll back or turn it into another error.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorItem } from './exceptions.js'
import { OP_CALL, OP_ENTER, OP_VALIDATE, type Occurrence, type Program } from './dependency-graph.js'
import { securityScopesValue, type Dependency } from './dependencies.js'
import { TaskQueue, type PendingEntry, type PendingWork } from './background.js'
import { kFrame, kPendingWork, kTimedOut } from './symbols.js'
import { loggableError } from './redact-log.js'

const UNSET = Symbol('unset')
const FAILED = Symbol('failed')
const NO_CACHE: unknown[] = []

type AnyGenerator = Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>

/** An open generator dependency, waiting for its teardown. */
interface Exit {
  gen: AnyGenerator
  name: string
}

/** The state of one request's run. */
export interface Frame {
  instance: FastifyInstance
  request: FastifyRequest
  reply: FastifyReply
  /** Per node: the object its arguments are collected in (slot 0: the route's). */
  slots: Array<Record<string, unknown> | undefined>
  cache: unknown[]
  errors: ErrorItem[] | null
  /** Index of the latest step that found invalid input (-1: none). */
  lastFailed: number
  exits: Exit[] | null
  /** The request's background tasks, made when an argument first asks for them. */
  tasks: TaskQueue | null
  /** Its record in the app's after-response work, once that work has started. */
  work: PendingEntry | null
}

type Marked = FastifyRequest & { [kTimedOut]?: Error, [kFrame]?: Frame }

/** A fresh frame for one request. */
export function newFrame (program: Program, instance: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Frame {
  return {
    instance,
    request,
    reply,
    slots: new Array(program.slotCount),
    cache: program.cacheCount === 0 ? NO_CACHE : new Array(program.cacheCount).fill(UNSET),
    errors: null,
    lastFailed: -1,
    exits: null,
    tasks: null,
    work: null
  }
}

/** True for a promise or any other thenable. */
export function isThenable (value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function'
}

/**
 * Runs the program from step `from`: returns the route's arguments (or a promise of them).
 * Validation problems are collected in `frame.errors`; a dependency's own error is thrown.
 */
export function runProgram (program: Program, frame: Frame, from: number): Record<string, unknown> | Promise<Record<string, unknown>> {
  const steps = program.steps
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]
    const occ = step.occ
    if (step.op === OP_VALIDATE) {
      const before = frame.errors === null ? 0 : frame.errors.length
      frame.errors = (occ.reader as NonNullable<Occurrence['reader']>)(frame.request, slotOf(frame, occ.slot), frame.errors)
      if (frame.errors !== null && frame.errors.length > before) frame.lastFailed = i
    } else if (step.op === OP_ENTER) {
      const cached = frame.cache[occ.cacheSlot]
      if (cached === UNSET) continue
      // Ran (or failed) earlier in this request: reuse, and report its errors only once.
      if (cached === FAILED) frame.lastFailed = i
      else if (occ.name !== null) slotOf(frame, occ.parent)[occ.name] = cached
      i = step.skipTo
    } else if (step.op === OP_CALL) {
      if (frame.lastFailed >= occ.firstStep) {
        // Something below did not validate: as FastAPI, this dependency does not run.
        if (occ.cacheSlot >= 0 && frame.cache[occ.cacheSlot] === UNSET) frame.cache[occ.cacheSlot] = FAILED
        continue
      }
      const next = i + 1
      if ((occ.dep as Dependency).kind === 'asyncGenerator') {
        // One promise for the first yield, not two: opened and stored in the same continuation.
        const gen = call(occ, frame) as AsyncGenerator<unknown, unknown, unknown>
        return gen.next().then(first => {
          store(frame, occ, opened(frame, occ.dep as Dependency, gen, first))
          return (frame.request as Marked)[kTimedOut] === undefined ? runProgram(program, frame, next) : stop(frame)
        })
      }
      const value = invoke(occ, frame)
      if (isThenable(value)) {
        return Promise.resolve(value).then(resolved => {
          store(frame, occ, resolved)
          return (frame.request as Marked)[kTimedOut] === undefined ? runProgram(program, frame, next) : stop(frame)
        })
      }
      store(frame, occ, value)
    }
  }
  const args = slotOf(frame, 0)
  for (const name of program.root.scopesArgs) args[name] = securityScopesValue([])
  for (const name of program.root.tasksArgs) args[name] = (frame.tasks ??= new TaskQueue())
  return args
}

/**
 * A dependency settled after the request's `handlerTimeout` answered it: the rest of the program
 * and the handler must not run for a response that is gone. Open generators get the timeout error
 * (they roll back; `failWithExits` keeps it quiet). With none, nothing is left to close or answer:
 * the request's chain ends here, unsettled, and is collected with the frame.
 */
function stop (frame: Frame): Promise<never> {
  if (frame.exits !== null) throw (frame.request as Marked)[kTimedOut]
  return new Promise<never>(() => {})
}

function slotOf (frame: Frame, slot: number): Record<string, unknown> {
  return (frame.slots[slot] ??= {})
}

function store (frame: Frame, occ: Occurrence, value: unknown): void {
  if (occ.name !== null) slotOf(frame, occ.parent)[occ.name] = value
  if (occ.cacheSlot >= 0 && frame.cache[occ.cacheSlot] === UNSET) frame.cache[occ.cacheSlot] = value
}

/** Calls the dependency's function with its arguments. */
function call (occ: Occurrence, frame: Frame): unknown {
  const args = slotOf(frame, occ.slot)
  for (const name of occ.scopesArgs) args[name] = securityScopesValue([...occ.scopes])
  for (const name of occ.tasksArgs) args[name] = (frame.tasks ??= new TaskQueue())
  return (occ.dep as Dependency).fn.call(frame.instance, args, frame.request, frame.reply)
}

/** Calls a dependency that is not an async generator; a generator is opened at its first yield. */
function invoke (occ: Occurrence, frame: Frame): unknown {
  const dep = occ.dep as Dependency
  const out = call(occ, frame)
  if (dep.kind === 'generator') {
    const gen = out as Generator<unknown, unknown, unknown>
    return opened(frame, dep, gen, gen.next())
  }
  if (dep.kind === 'sync' && isGenerator(out)) {
    // A plain function may return a generator (a wrapper, a factory): its type says it provides
    // what the generator yields, so it runs as one.
    const gen = out as AnyGenerator
    const first = gen.next()
    return isThenable(first)
      ? first.then(result => opened(frame, dep, gen, result))
      : opened(frame, dep, gen, first)
  }
  return out
}

function isGenerator (value: unknown): value is AnyGenerator {
  return value !== null && typeof value === 'object' &&
    typeof (value as AnyGenerator).next === 'function' && typeof (value as AnyGenerator).throw === 'function' &&
    typeof (value as AnyGenerator).return === 'function'
}

function opened (frame: Frame, dep: Dependency, gen: AnyGenerator, first: IteratorResult<unknown, unknown>): unknown {
  if (first.done === true) throw new Error(`Dependency "${dep.name}" is a generator but returned without yielding a value.`)
  if (frame.exits === null) {
    frame.exits = []
    ;(frame.request as Marked)[kFrame] = frame
  }
  frame.exits.push({ gen, name: dep.name })
  return first.value
}

/** What became of an error after it went through the open generators. */
interface Unwound {
  failed: boolean
  error: unknown
}

/**
 * Closes every open generator, latest first. With `failed`, `error` is thrown into each at its
 * `yield`; a generator that catches it without throwing ends the error, as a Python context
 * manager that suppresses it; one that throws replaces it.
 */
export async function closeExits (frame: Frame, failed: boolean, error: unknown): Promise<Unwound> {
  const exits = frame.exits ?? []
  frame.exits = null
  const entry = frame.work
  for (let i = exits.length - 1; i >= 0; i--) {
    const { gen, name } = exits[i]
    if (entry !== null) {
      entry.stage = 'teardown'
      entry.name = name
    }
    try {
      const result = await (failed ? gen.throw(error) : gen.next())
      if (result.done === true) {
        failed = false
        error = undefined
      } else {
        // Python: "generator didn't stop". Force it closed (its finally blocks run) and report it.
        failed = true
        error = new Error(`Dependency "${name}" yielded more than once; a dependency must yield exactly one value.`)
        await gen.return(undefined)
      }
    } catch (thrown) {
      failed = true
      error = thrown
    }
  }
  if (entry !== null) {
    frame.work = null
    pendingWorkOf(frame)?.finish(entry)
  }
  return { failed, error }
}

/**
 * The error path: throws `error` into the open generators, then rejects with whatever error
 * remains, so the route's error handler answers it.
 */
export function failWithExits (frame: Frame, error: unknown): Promise<never> {
  if ((frame.request as Marked)[kTimedOut] !== undefined) return closeExits(frame, true, error).then(() => lateError(frame.request, error))
  return closeExits(frame, true, error).then(({ failed, error: remaining }) => {
    if (failed) throw remaining
    // FastAPI answers 500 here too ("Response not awaited"): there is no response to send.
    throw new Error('A dependency with yield caught an error and did not throw it again, so no response could be made. Throw it again (or throw an HTTPException) from its catch block.')
  })
}

/**
 * The success path, once the response is sent or the client is gone: the background tasks in
 * order, then the open generators' teardown (as Starlette runs a response's background before
 * FastAPI closes the request's dependencies).
 */
export function closeAfterResponse (frame: Frame): void {
  const raw = frame.reply.raw
  // A client that went away before the handler finished: Node has already emitted 'close'.
  if (raw.destroyed || (raw as { closed?: boolean }).closed === true) closeAndLog(frame)
  // An unnamed arrow: a named per-request closure costs a defineProperty under tsx/esbuild.
  else raw.once('close', () => closeAndLog(frame))
}

function closeAndLog (frame: Frame): void {
  const request = frame.request
  // After a timeout the client got a 503: as for any error response, no task runs, and the
  // generators see the error (a transaction rolls back rather than commits work reported failed).
  const timedOut = (request as Marked)[kTimedOut]
  const tasks = timedOut === undefined && frame.tasks !== null && frame.tasks.tasks.length > 0 ? frame.tasks : null
  frame.work ??= pendingWorkOf(frame)?.start(request, tasks === null ? 'teardown' : 'task') ?? null
  const ran = tasks === null ? Promise.resolve() : tasks.run(request, frame.work)
  ran.then(() => closeExits(frame, timedOut !== undefined, timedOut)).then(({ failed, error }) => {
    if (failed && error !== timedOut) request.log.error({ err: loggableError(request, error) }, 'A dependency teardown (code after yield) failed')
  }, /* c8 ignore next */ () => {})
}

function pendingWorkOf (frame: Frame): PendingWork | undefined {
  return (frame.instance as { [kPendingWork]?: PendingWork })[kPendingWork]
}

/**
 * Called by the route's error handler when Fastify's `handlerTimeout` fires: the request is
 * marked, so whatever of it still runs (a dependency, the handler) ends quietly and its
 * generators roll back. If generators are open while the handler still runs, their teardown
 * waits for it; the app's shutdown waits too, up to `shutdownTimeout`, then closes them.
 */
export function markTimedOut (request: FastifyRequest, error: Error): void {
  const marked = request as Marked
  marked[kTimedOut] = error
  const frame = marked[kFrame]
  if (frame === undefined || frame.exits === null || frame.work !== null) return
  frame.work = pendingWorkOf(frame)?.start(request, 'handler', () => {
    closeExits(frame, true, error).then(({ failed, error: remaining }) => {
      if (failed && remaining !== error) request.log.error({ err: loggableError(request, remaining) }, 'A dependency teardown (code after yield) failed')
    }, /* c8 ignore next */ () => {})
  }) ?? null
}

/**
 * For the handler's own rejection path: throws `error` again, unless the request's
 * `handlerTimeout` already answered it; then it goes to `lateError` (Fastify would otherwise log
 * it a second time as "Promise errored, but reply.sent = true was set").
 */
export function rethrowUnlessTimedOut (request: FastifyRequest, error: unknown): never {
  if ((request as Marked)[kTimedOut] === undefined) throw error
  return lateError(request, error)
}

/**
 * What becomes of an error a handler or dependency throws after the request's timeout answered
 * it: the abort itself (an AbortError from `request.signal`, or the timeout error) is expected
 * and dropped; anything else is logged, once. Resolves the handler's promise with nothing, so
 * Fastify neither sends again nor logs it a second time.
 */
export function lateError (request: FastifyRequest, error: unknown): never {
  const timedOut = (request as Marked)[kTimedOut]
  const isAbort = error === timedOut || (error instanceof Error && (error.name === 'AbortError' || error.cause === timedOut))
  if (!isAbort) request.log.error({ err: loggableError(request, error) }, 'The handler failed after its handlerTimeout had answered the request')
  return undefined as never
}
