/**
 * @module overrides — `app.dependencyOverrides`: swap a dependency for another, typically in
 * tests (a fake database, a fixed current user), as FastAPI's `app.dependency_overrides`.
 */
import * as errors from './errors.js'
import { toDependency, type Dependency, type DependencyFunction, type DependencyValue } from './dependencies.js'

/** What a replacement may give back for a dependency whose value is `TValue`. */
export type Provides<TValue> = TValue | PromiseLike<TValue> | Generator<TValue, any, any> | AsyncGenerator<TValue, any, any>

/** Applies a new override map to the compiled routes; throws (changing nothing) if a route cannot take it. */
export type ApplyOverrides = (next: ReadonlyMap<Dependency, Dependency>, changed: readonly Dependency[]) => void

/**
 * The overrides of one app. Each change recompiles the routes that use the dependency, so a
 * cycle or clash the replacement brings is reported by `set()` itself, as an FFA_ERR_* error.
 * @example
 * app.dependencyOverrides.set(getDb, function * () { yield fakeDb })
 * // … requests …
 * app.dependencyOverrides.clear()
 */
export class DependencyOverrides {
  #map = new Map<Dependency, Dependency>()
  readonly #apply: ApplyOverrides

  /** @internal Made by the plugin; use `app.dependencyOverrides`. */
  constructor (apply: ApplyOverrides) {
    this.#apply = apply
  }

  /** Replaces `original` with `replacement` (a dependency, or a function of no arguments) until deleted or cleared. */
  set<TValue> (original: Dependency<TValue, any>, replacement: Dependency<NoInfer<TValue>, any> | DependencyFunction<{}, Provides<NoInfer<TValue>>>): this
  set<TResult> (original: DependencyFunction<{}, TResult>, replacement: Dependency<NoInfer<DependencyValue<TResult>>, any> | DependencyFunction<{}, Provides<NoInfer<DependencyValue<TResult>>>>): this
  set (original: unknown, replacement: unknown): this {
    const from = toDependency(original)
    const to = toDependency(replacement)
    if (from === undefined) throw new errors.FFA_ERR_DEPENDS_INVALID('dependencyOverrides.set()', 'original', 'pass the dependency to replace (made by dependency() or a function).')
    if (to === undefined) throw new errors.FFA_ERR_DEPENDS_INVALID('dependencyOverrides.set()', 'replacement', 'pass a dependency made by dependency(), or a function.')
    const next = new Map(this.#map)
    next.set(from, to)
    this.#commit(next, [from])
    return this
  }

  /** Removes the override of `original`; true if there was one. */
  delete (original: Dependency<any, any> | DependencyFunction): boolean {
    const from = toDependency(original)
    if (from === undefined || !this.#map.has(from)) return false
    const next = new Map(this.#map)
    next.delete(from)
    this.#commit(next, [from])
    return true
  }

  /** Removes every override. */
  clear (): void {
    if (this.#map.size === 0) return
    this.#commit(new Map(), [...this.#map.keys()])
  }

  /** True when `original` is overridden. */
  has (original: Dependency<any, any> | DependencyFunction): boolean {
    const from = toDependency(original)
    return from !== undefined && this.#map.has(from)
  }

  /** The number of overrides in force. */
  get size (): number {
    return this.#map.size
  }

  /** @internal The overrides in force, for routes declared from now on. */
  get current (): ReadonlyMap<Dependency, Dependency> {
    return this.#map
  }

  #commit (next: Map<Dependency, Dependency>, changed: Dependency[]): void {
    this.#apply(next, changed)
    this.#map = next
  }
}
