/**
 * A small deterministic generator for property tests: values near every limit, of the right
 * and wrong types. Shared by test/fast-path.test.ts and test/ajv-error-items.test.ts.
 */
export type Rng = () => number
export type Gen = (r: Rng) => unknown

export function mulberry32 (seed: number): Rng {
  let a = seed
  return () => {
    a = (a + 0x6D2B79F5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

export const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]
export const chance = (r: Rng, p: number): boolean => r() < p

export const CHARS = ['a', 'b', 'z', '-', 'A', '1', ' ', '"', '\\', '\n', '\u0000', 'é', '😀', '\ud800', '\udc00', '\u2028', '/']
export const NUMBERS = [-4, -3, -1, -0, 0, 1, 2, 3, 5, 6, 9, 10, 11, 2147483647, 2147483648, -2147483648, -2147483649,
  4294967295, 4294967296, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1.5, 0.1, 3.0000000001, 1e21, -1e-7, NaN, Infinity, -Infinity]

export function anyValue (r: Rng): unknown {
  return pick(r, [
    () => undefined, () => null, () => true, () => false, () => pick(r, NUMBERS), () => '', () => str(r),
    () => [], () => [str(r), 1], () => ({}), () => ({ a: 1 }), () => new Date(0), () => new Date(NaN), () => '1'
  ])()
}

export function str (r: Rng, max = 7): string {
  const length = Math.floor(r() * (max + 1))
  let s = ''
  for (let i = 0; i < length; i++) s += chance(r, 0.7) ? pick(r, ['a', 'b', 'z', '-']) : pick(r, CHARS)
  return s
}

export const wrong = (gen: Gen, p = 0.1): Gen => r => chance(r, p) ? anyValue(r) : gen(r)
export const strings = (max = 7): Gen => wrong(r => str(r, max))
export const numbers: Gen = wrong(r => chance(r, 0.6) ? pick(r, NUMBERS) : Math.floor(r() * 40) - 20)
export const oneOf = (...values: unknown[]): Gen => wrong(r => pick(r, values))
export const dates: Gen = wrong(r => pick(r, [
  () => new Date(Math.floor(r() * 4e12)), () => new Date(-62198755200000), () => new Date(253402300800000),
  () => new Date(NaN), () => '2024-01-01T00:00:00Z', () => 0
])())

export function array (item: Gen, max = 4): Gen {
  return wrong(r => {
    const length = Math.floor(r() * (max + 1))
    return Array.from({ length }, () => item(r))
  })
}

export function object (fields: Record<string, Gen>): Gen {
  return wrong(r => {
    const value: Record<string, unknown> = {}
    for (const [key, gen] of Object.entries(fields)) {
      if (chance(r, 0.1)) continue
      value[key] = chance(r, 0.04) ? undefined : gen(r)
    }
    if (chance(r, 0.3)) value.password = 'secret'
    if (chance(r, 0.1)) value[pick(r, ['extra', '0', 'nested'])] = anyValue(r)
    return value
  }, 0.05)
}

/** A copy that keeps Dates, undefined properties and -0. */
export function clone (value: unknown): unknown {
  if (value instanceof Date) return new Date(value.getTime())
  if (Array.isArray(value)) return value.map(clone)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]))
  }
  return value
}
