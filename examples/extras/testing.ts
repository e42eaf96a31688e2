/**
 * A helper for the app's tests, shipped with it: freezing a dependency's value through
 * `app.dependencyOverrides`, FastAPI's `app.dependency_overrides[dep] = lambda: value`.
 */
import type { DependencyFunction, DependencyOverrides, DependencyValue, Provides } from '../../lib/index.js'

/**
 * Makes `original` (a plain-function dependency such as `now`) give `value` until
 * `overrides.delete(original)` or `overrides.clear()`.
 * @example freeze(app.dependencyOverrides, now, new Date('2024-01-01T12:00:00Z'))
 */
export function freeze<TResult> (overrides: DependencyOverrides, original: DependencyFunction<{}, TResult>,
  value: Provides<DependencyValue<TResult>>): void {
  overrides.set(original, () => value)
}
