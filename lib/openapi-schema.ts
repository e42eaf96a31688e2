/**
 * @module openapi-schema — zod schemas as OpenAPI 3.1 schemas, written the way FastAPI's
 * (pydantic's) look: titles on properties, `date-time` strings for dates, no integer bounds
 * zod adds by itself, and named models (`.meta({ id: 'UserIn' })`) as `components.schemas`,
 * split into `-Input` and `-Output` variants only where the two differ.
 */
import { z } from 'zod'
import { defOf } from './zod-internals.js'

/** Which side of the API a schema describes: what a client sends, or what it receives. */
export type Io = 'input' | 'output'

type Json = Record<string, any>

interface PendingRef {
  node: Json
  io: Io
  id: string
}

const REF = '#/components/schemas/'
const DEFS = '#/$defs/'

/**
 * pydantic's default title: `item_id` → "Item Id", `x-token` → "X-Token"; a camelCase name is
 * split first (`itemId` → "Item Id"), where Python's `str.title()` would give "Itemid".
 */
export function pyTitle (name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .replace(/[A-Za-z]+/g, word => word[0].toUpperCase() + word.slice(1).toLowerCase())
}

/** Collects the schemas of one document; `components()` names them once all are known. */
export class SchemaCollector {
  readonly #defs: Record<Io, Map<string, { schema: Json, key: string }>> = { input: new Map(), output: new Map() }
  readonly #refs: PendingRef[] = []
  readonly #separate: boolean

  /** `separate`: FastAPI's `separate_input_output_schemas` (default true). */
  constructor (separate = true) {
    this.#separate = separate
  }

  /** The OpenAPI schema of `schema` for `io`; named models inside become references. */
  schemaOf (schema: z.ZodType, io: Io): Json {
    const json = z.toJSONSchema(schema, {
      io,
      unrepresentable: unrepresentable as any,
      override: ({ zodSchema, jsonSchema }) => tidy(zodSchema as unknown as z.ZodType, jsonSchema, io)
    }) as Json
    const { $defs, $schema, ...root } = json
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, Json>)) this.#define(io, id, addTitles(def))
    return this.#resolveRefs(addTitles(root), io)
  }

  /** Registers a schema made here (FastAPI's `Body_<operation>` models) under a fixed name. */
  define (name: string, schema: Json): Json {
    this.#defs.input.set(name, { schema, key: JSON.stringify(schema) })
    const node = { $ref: '' }
    this.#refs.push({ node, io: 'input', id: name })
    return node
  }

  /** Every named schema, with the final names written into every reference. */
  components (): Record<string, Json> {
    const names = new Map<string, Record<Io, string>>()
    const out: Record<string, Json> = {}
    const ids = new Set([...this.#defs.input.keys(), ...this.#defs.output.keys()])
    const split = this.#splitIds()
    for (const id of [...ids].sort()) {
      const input = this.#defs.input.get(id)
      const output = this.#defs.output.get(id)
      if (input !== undefined && output !== undefined && split.has(id)) {
        names.set(id, { input: `${id}-Input`, output: `${id}-Output` })
        out[`${id}-Input`] = withTitle(input.schema, id)
        out[`${id}-Output`] = withTitle(output.schema, id)
      } else {
        names.set(id, { input: id, output: id })
        out[id] = withTitle((input ?? output as { schema: Json }).schema, id)
      }
    }
    for (const { node, io, id } of this.#refs) {
      const name = names.get(id)
      node.$ref = `${REF}${name === undefined ? id : name[io]}`
    }
    return out
  }

  /**
   * The models documented twice: those whose two sides differ, and, as pydantic does, those
   * that contain one of them (their two sides then point at different variants).
   */
  #splitIds (): Set<string> {
    const split = new Set<string>()
    if (!this.#separate) return split
    const both = [...this.#defs.input.keys()].filter(id => this.#defs.output.has(id))
    for (const id of both) {
      if ((this.#defs.input.get(id) as { key: string }).key !== (this.#defs.output.get(id) as { key: string }).key) split.add(id)
    }
    for (let grown = true; grown;) {
      grown = false
      for (const id of both) {
        if (split.has(id)) continue
        const key = (this.#defs.input.get(id) as { key: string }).key
        if ([...key.matchAll(/"#\/\$defs\/([^"]+)"/g)].some(match => split.has(match[1]))) {
          split.add(id)
          grown = true
        }
      }
    }
    return split
  }

  #define (io: Io, id: string, def: Json): void {
    const schema = this.#resolveRefs(def, io)
    const key = JSON.stringify(def)
    // The same name for two different models: the first one keeps it (FastAPI would qualify
    // the names by module; JS schemas have none).
    if (!this.#defs[io].has(id)) this.#defs[io].set(id, { schema, key })
  }

  /** Turns `#/$defs/X` references into pending component references (named at the end). */
  #resolveRefs (node: any, io: Io): any {
    if (Array.isArray(node)) return node.map(item => this.#resolveRefs(item, io))
    if (node === null || typeof node !== 'object') return node
    if (typeof node.$ref === 'string' && node.$ref.startsWith(DEFS)) {
      const ref: Json = { ...node, $ref: '' }
      this.#refs.push({ node: ref, io, id: node.$ref.slice(DEFS.length) })
      return ref
    }
    const copy: Json = {}
    for (const [key, value] of Object.entries(node)) copy[key] = this.#resolveRefs(value, io)
    return copy
  }
}

function hasDefault (schema: z.ZodType | undefined): boolean {
  const type = schema === undefined ? undefined : defOf(schema).type
  return type === 'default' || type === 'prefault'
}

// Keywords about the value as a whole, which stay outside pydantic's `anyOf [X, null]`.
const OUTER_KEYWORDS = new Set(['title', 'description', 'default', 'examples', 'deprecated'])

/**
 * pydantic's way of writing a schema: every property of a model titled after its name (a
 * reference keeps none), and a nullable value as `anyOf [X, {type: null}]` where zod writes
 * `type: [x, "null"]`.
 */
function addTitles (node: any): any {
  if (Array.isArray(node)) return node.map(addTitles)
  if (node === null || typeof node !== 'object') return node
  let copy: Json = {}
  for (const [key, value] of Object.entries(node)) copy[key] = addTitles(value)
  if (Array.isArray(copy.type) && copy.type.length === 2 && copy.type.includes('null')) {
    const inner: Json = { type: copy.type.find((type: string) => type !== 'null') }
    const outer: Json = {}
    for (const [key, value] of Object.entries(copy)) {
      if (key === 'type') continue
      if (OUTER_KEYWORDS.has(key)) outer[key] = value
      else inner[key] = value
    }
    copy = { anyOf: [inner, { type: 'null' }], ...outer }
  }
  if (copy.properties !== null && typeof copy.properties === 'object' && !Array.isArray(copy.properties) && copy.$ref === undefined) {
    for (const [key, property] of Object.entries(copy.properties as Record<string, Json>)) {
      if (property !== null && typeof property === 'object' && property.title === undefined && property.$ref === undefined) {
        copy.properties[key] = { title: pyTitle(key), ...property }
      }
    }
  }
  return copy
}

function withTitle (schema: Json, id: string): Json {
  return schema.title === undefined ? { title: id, ...schema } : schema
}

/** JSON has no dates or bigints: they travel as strings and integers, as pydantic documents them. */
function unrepresentable ({ zodSchema }: { zodSchema: z.ZodType }): Json | 'any' {
  const type = defOf(zodSchema).type
  if (type === 'date') return { type: 'string', format: 'date-time' }
  if (type === 'bigint') return { type: 'integer', format: 'int64' }
  return 'any'
}

/** What a secret keeps of its schema on the output side, where it is sent as "**********". */
const SECRET_OUTPUT_KEYS = new Set(['title', 'description', 'deprecated', 'writeOnly'])

function tidy (zodSchema: z.ZodType, json: Json, io: Io): void {
  const def = defOf(zodSchema)
  // A secret of another type (a number, a list) is sent as the string mask (response-model.ts):
  // documented as what is sent, a password string.
  if (io === 'output' && json.writeOnly === true && json.type !== undefined && json.type !== 'string') {
    for (const key of Object.keys(json)) if (!SECRET_OUTPUT_KEYS.has(key)) delete json[key]
    json.type = 'string'
    json.format = 'password'
    return
  }
  // zod bounds every int by the safe-integer range; pydantic's `int` has no bounds.
  if (json.type === 'integer') {
    if (json.minimum === Number.MIN_SAFE_INTEGER) delete json.minimum
    if (json.maximum === Number.MAX_SAFE_INTEGER) delete json.maximum
  }
  if (def.type === 'object') {
    // A strip-mode object drops unknown keys on output; pydantic does not document that.
    if (io === 'output' && json.additionalProperties === false && defOf(def.catchall ?? z.unknown()).type !== 'never') {
      delete json.additionalProperties
    }
    // pydantic's serialization schema keeps a field with a default optional (FastAPI's default),
    // so a model differs between input and output only where it really does.
    if (io === 'output' && Array.isArray(json.required)) {
      const shape = def.shape as Record<string, z.ZodType>
      json.required = json.required.filter((key: string) => !hasDefault(shape[key]))
      if (json.required.length === 0) delete json.required
    }
  }
}
