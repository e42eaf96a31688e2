/**
 * @module encoders — `jsonableEncoder`, FastAPI's `jsonable_encoder`: any value → plain JSON data.
 *
 * One recursive walk per call. Plain objects and arrays are tested first so zod output (the
 * usual input) never reaches the `instanceof` chain; include/exclude are compiled to Maps once
 * per call, not per object.
 */

/** A value `JSON.stringify` writes as is, and `JSON.parse` gives back equal. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/**
 * FastAPI's `IncEx`: the keys to keep or drop. An array (or Set) of keys is one level, like a
 * Python set; an object maps a key to `true` (the whole value) or to the same shape one level
 * down. Arrays in the value are transparent: the filter applies to every element, or to
 * `__all__`'s filter when the object has that key (pydantic's spelling).
 */
export type IncEx = readonly string[] | ReadonlySet<string> | { readonly [key: string]: true | IncEx }

/** The options of {@link jsonableEncoder}: FastAPI's `include`, `exclude` and `exclude_none`. */
export interface JsonableEncoderOptions {
  /** Keep only these keys (`[]` or `{}` keeps none). */
  include?: IncEx
  /** Drop these keys. */
  exclude?: IncEx
  /** Drop object fields (and Map entries) whose value is `null` or `undefined`, at every depth; array items stay. */
  excludeNone?: boolean
}

type Filter = Map<string, true | Filter>
type Key = string | number | undefined

interface State {
  excludeNone: boolean
  /** The objects being walked, root first, each with the key it was reached by (undefined: not a path step). */
  ancestors: Map<object, Key>
}

/** FastAPI options that only make sense on a pydantic model; named so the error can say why. */
const MODEL_OPTIONS: Record<string, string> = {
  excludeUnset: 'plain values do not record which fields were set; use the route option responseModelExcludeUnset',
  excludeDefaults: 'plain values carry no defaults; use the route option responseModelExcludeDefaults',
  byAlias: 'zod schemas have no aliases; the keys are written as they are',
  customEncoder: 'give the class a toJSON() method instead',
  sqlalchemySafe: 'there is no SQLAlchemy state to hide'
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/**
 * Converts a value into JSON-compatible data (FastAPI's `jsonable_encoder`), for storing it or
 * sending it somewhere that only takes JSON.
 *
 * - `Date` → `toISOString()` (`null` when invalid); `bigint` → number when safe, else its decimal string;
 *   `NaN`/`±Infinity` → `null`; `Uint8Array`/`Buffer`/`ArrayBuffer`/`DataView` → UTF-8 text (as bytes → str).
 * - `Map` → object (keys encoded, then stringified); `Set`, typed arrays and other iterables → arrays;
 *   `RegExp` → its source; boxed primitives → their value.
 * - Objects with `toJSON()` → what it returns, encoded; class instances → their own enumerable fields.
 * - `undefined`, functions and symbols are dropped from objects and become `null` in arrays.
 * - A circular reference throws a `TypeError` naming the path; so do bytes that are not UTF-8, a Promise
 *   or an unknown option.
 *
 * @example
 * ```ts
 * jsonableEncoder({ id: 1n, at: new Date(0), tags: new Set(['a']), note: null }, { excludeNone: true })
 * // { id: 1, at: '1970-01-01T00:00:00.000Z', tags: ['a'] }
 * jsonableEncoder(user, { exclude: { password: true, address: ['zip'] } })
 * ```
 * @see README "JSON compatible encoder"
 */
export function jsonableEncoder (value: unknown, options?: JsonableEncoderOptions): JsonValue {
  let include: Filter | null = null
  let exclude: Filter | null = null
  let excludeNone = false
  if (options !== undefined) {
    for (const name of Object.keys(options)) {
      if (name === 'include' || name === 'exclude' || name === 'excludeNone') continue
      const why = MODEL_OPTIONS[name]
      throw new TypeError(`jsonableEncoder: ${why === undefined ? `unknown option "${name}"` : `option "${name}" is not supported: ${why}`}.`)
    }
    include = compileFilter(options.include, 'include')
    exclude = compileFilter(options.exclude, 'exclude')
    excludeNone = options.excludeNone === true
  }
  const encoded = encode(value, undefined, include, exclude, { excludeNone, ancestors: new Map() })
  return encoded === undefined ? null : encoded
}

/** Normalizes FastAPI's set-or-dict filter into nested Maps, once per call. */
function compileFilter (spec: unknown, where: string): Filter | null {
  if (spec === undefined || spec === null) return null
  const filter: Filter = new Map()
  if (Array.isArray(spec) || spec instanceof Set) {
    for (const key of spec) filter.set(String(key), true)
    return filter
  }
  if (typeof spec !== 'object') throw new TypeError(`jsonableEncoder: ${where} must be an array of keys or an object, got ${typeof spec}.`)
  for (const [key, sub] of Object.entries(spec)) {
    if (sub === true) filter.set(key, true)
    else if (sub !== null && typeof sub === 'object') filter.set(key, compileFilter(sub, `${where}.${key}`) as Filter)
    else throw new TypeError(`jsonableEncoder: ${where}.${key} must be true, an array of keys or an object.`)
  }
  return filter
}

/** Encodes one value; `undefined` means "leave it out" (the caller writes null in an array). */
function encode (value: unknown, key: Key, include: Filter | null, exclude: Filter | null, state: State): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      // FastAPI keeps float('nan'), which its JSONResponse then refuses to render; JSON.stringify writes null.
      return Number.isFinite(value) ? value : null
    case 'bigint':
      // Python ints are exact in JSON; a JS number is exact only up to 2^53, so larger ones stay text.
      return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value.toString()
    case 'object':
      return value === null ? null : encodeObject(value, key, include, exclude, state)
    default: // undefined, function, symbol: JSON.stringify's rule
      return undefined
  }
}

function encodeObject (value: object, key: Key, include: Filter | null, exclude: Filter | null, state: State): JsonValue | undefined {
  if (Array.isArray(value)) return encodeItems(value, key, include, exclude, state)
  const proto = Object.getPrototypeOf(value)
  const plain = proto === Object.prototype || proto === null
  if (!plain) {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
    // bytes → str in FastAPI (bytes.decode(), which also fails on invalid UTF-8); checked before Buffer's toJSON.
    if (value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof DataView) return decodeBytes(value, key, state)
    if (value instanceof Map) return encodeMap(value, key, include, exclude, state)
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const json = (value as { toJSON: (key: string) => unknown }).toJSON(key === undefined ? '' : String(key))
    if (json !== value) {
      // The object stays an ancestor, so a toJSON() that returns something holding it is still caught;
      // it owns the path step, and the result (encoded like JSON.stringify's, under no key) adds none.
      enter(value, key, state)
      const out = encode(json, undefined, include, exclude, state)
      state.ancestors.delete(value)
      return out
    }
  }
  if (!plain) {
    if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt) {
      return encode(value.valueOf(), key, include, exclude, state)
    }
    if (value instanceof RegExp) return value.source // FastAPI: re.Pattern → .pattern
    if (value instanceof Promise) throw new TypeError(`jsonableEncoder: ${pathTo(key, state)} is a Promise; await it first.`)
    if (typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
      return encodeItems(value as Iterable<unknown>, key, include, exclude, state)
    }
  }
  return encodeFields(value as Record<string, unknown>, key, include, exclude, state)
}

/** Plain objects, class instances (FastAPI's `vars(obj)`): own enumerable string keys. */
function encodeFields (value: Record<string, unknown>, key: Key, include: Filter | null, exclude: Filter | null, state: State): JsonValue {
  enter(value, key, state)
  const out: Record<string, JsonValue> = {}
  const keys = Object.keys(value)
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i]
    writeField(out, name, value[name], include, exclude, state)
  }
  state.ancestors.delete(value)
  return out
}

/** FastAPI encodes dict keys too, then json.dumps writes numbers, booleans and None as text. */
function encodeMap (value: Map<unknown, unknown>, key: Key, include: Filter | null, exclude: Filter | null, state: State): JsonValue {
  enter(value, key, state)
  const out: Record<string, JsonValue> = {}
  for (const [k, v] of value) {
    let name: string
    if (typeof k === 'string') {
      name = k
    } else {
      const encoded = encode(k, undefined, null, null, state)
      if (encoded !== null && typeof encoded === 'object') throw new TypeError(`jsonableEncoder: a key of the Map at ${pathTo(key, state)} is an object, which cannot be a JSON key.`)
      if (encoded === undefined) throw new TypeError(`jsonableEncoder: a key of the Map at ${pathTo(key, state)} is ${typeof k}, which cannot be a JSON key.`)
      name = String(encoded)
    }
    writeField(out, name, v, include, exclude, state)
  }
  state.ancestors.delete(value)
  return out
}

function writeField (out: Record<string, JsonValue>, name: string, value: unknown, include: Filter | null, exclude: Filter | null, state: State): void {
  let subInclude: Filter | null = null
  let subExclude: Filter | null = null
  if (include !== null) {
    const spec = include.get(name)
    if (spec === undefined) return
    if (spec !== true) subInclude = spec
  }
  if (exclude !== null) {
    const spec = exclude.get(name)
    if (spec === true) return
    if (spec !== undefined) subExclude = spec
  }
  if (value === null && state.excludeNone) return
  const encoded = encode(value, name, subInclude, subExclude, state)
  if (encoded === undefined) return
  // A plain assignment to "__proto__" would set the prototype and lose the field.
  if (name === '__proto__') Object.defineProperty(out, name, { value: encoded, enumerable: true, writable: true, configurable: true })
  else out[name] = encoded
}

/** Arrays, Sets, typed arrays, generators: FastAPI's list/set/deque/generator branch. */
function encodeItems (value: Iterable<unknown>, key: Key, include: Filter | null, exclude: Filter | null, state: State): JsonValue {
  enter(value, key, state)
  // pydantic's {"items": {"__all__": …}}; without it the filter applies to each element, as FastAPI does for lists.
  let itemInclude = include
  let itemExclude = exclude
  const out: JsonValue[] = []
  if (include !== null && include.has('__all__')) {
    const spec = include.get('__all__') as true | Filter
    itemInclude = spec === true ? null : spec
  }
  if (exclude !== null && exclude.has('__all__')) {
    const spec = exclude.get('__all__') as true | Filter
    if (spec === true) {
      state.ancestors.delete(value)
      return out
    }
    itemExclude = spec
  }
  let i = 0
  for (const item of value) {
    const encoded = encode(item, i++, itemInclude, itemExclude, state)
    out.push(encoded === undefined ? null : encoded)
  }
  state.ancestors.delete(value)
  return out
}

function decodeBytes (value: Uint8Array | ArrayBuffer | DataView, key: Key, state: State): string {
  try {
    return utf8.decode(value)
  } catch {
    throw new TypeError(`jsonableEncoder: the bytes at ${pathTo(key, state)} are not valid UTF-8 (FastAPI's bytes.decode() fails too); encode them first, e.g. as base64.`)
  }
}

function enter (value: object, key: Key, state: State): void {
  if (state.ancestors.has(value)) {
    throw new TypeError(`jsonableEncoder: circular reference: ${pathTo(key, state)} refers back to ${pathOf(state, value)}, which contains it.`)
  }
  state.ancestors.set(value, key)
}

/** The path of the value being encoded under `key`, e.g. `$.owner.pets[0]`. */
function pathTo (key: Key, state: State): string {
  return pathOf(state, undefined) + step(key)
}

/** The path of the ancestors up to `last` (all of them when undefined). */
function pathOf (state: State, last: object | undefined): string {
  let path = '$'
  for (const [object, key] of state.ancestors) {
    if (object === last) break
    path += step(key)
  }
  return last === undefined ? path : path + step(state.ancestors.get(last))
}

function step (key: Key): string {
  if (key === undefined) return ''
  if (typeof key === 'number') return `[${key}]`
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
}
