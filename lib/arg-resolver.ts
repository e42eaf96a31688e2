/**
 * @module arg-resolver — turns one parameter marker into an `ArgSpec`: its options checked,
 * its constraints applied to the schema, its wire name resolved. Used for a route's own
 * arguments and for every dependency's.
 */
import * as errors from './errors.js'
import { applyFieldOptions, FIELD_OPTION_KEYS } from './constraints.js'
import type { Param } from './params.js'
import type { ArgSpec } from './validation.js'
import { acceptsUndefined, coercionFor, defOf, isZodSchema, unwrap } from './zod-internals.js'

const PARAM_KEYS = new Set([...FIELD_OPTION_KEYS, 'alias', 'includeInSchema'])
const STRING_SHAPES = new Set(['string', 'number', 'boolean', 'bigint', 'date', 'enum', 'literal', 'union', 'pipe', 'array', 'set', 'any', 'unknown', 'template_literal', 'custom'])
const MARKER_NAMES: Record<string, string> = { path: 'Path', query: 'Query', header: 'Header', cookie: 'Cookie', body: 'Body', form: 'Form' }

/** Where the argument is declared, for error messages and for the body-embedding rule. */
export interface ArgSite {
  /** "GET /items/:id", as every FFA_ERR_* message starts. */
  route: string
  methods: string[]
  /** The argument as named in errors: `skip`, or `pagination.skip` inside a dependency. */
  label: string
  /** True when the route's graph reads several body values, so each is read from `body[name]`. */
  embedBodies: boolean
}

/** Resolves one marker; throws FFA_ERR_PARAM_* for every mistake in it. */
export function resolveArg (site: ArgSite, name: string, marker: Param): ArgSpec {
  const { route, label } = site
  const fail = (message: string): never => { throw new errors.FFA_ERR_PARAM_INVALID_OPTION(route, label, message) }
  if (!isZodSchema(marker.schema)) {
    throw new errors.FFA_ERR_PARAM_INVALID_SCHEMA(route, label, 'the schema must be a zod schema, e.g. Query(z.string()).')
  }
  const options = marker.options
  const allowed = marker.in === 'header' ? 'convertUnderscores' : marker.in === 'body' ? 'embed' : ''
  for (const key of Object.keys(options)) {
    if (!PARAM_KEYS.has(key) && key !== allowed) fail(`unknown option "${key}" for ${MARKER_NAMES[marker.in] ?? marker.in}().`)
  }
  if (options.alias !== undefined && (typeof options.alias !== 'string' || options.alias === '')) {
    fail('`alias` must be a non-empty string.')
  }
  const schema = applyFieldOptions(marker.schema, options, fail)
  const inner = defOf(unwrap(schema)).type
  if (marker.in !== 'body' && !STRING_SHAPES.has(inner)) {
    throw new errors.FFA_ERR_PARAM_INVALID_SCHEMA(route, label,
      `a ${marker.in} value is a string, so its schema must be a scalar or a list of scalars, not ${/^[aeiou]/.test(inner) ? 'an' : 'a'} ${inner}. ` +
      (inner === 'object'
        ? `Parameter models (FastAPI's \`${MARKER_NAMES[marker.in] ?? marker.in}()\` on a model) are not supported: declare each parameter, or group them in a dependency.`
        : 'Use Body() for structured data.'))
  }
  if (marker.in === 'path' && acceptsUndefined(schema)) throw new errors.FFA_ERR_PATH_PARAM_OPTIONAL(route, label)
  if (marker.in === 'path' && coercionFor(schema).list) {
    throw new errors.FFA_ERR_PARAM_INVALID_SCHEMA(route, label, 'a path parameter is one URL segment and cannot be a list.')
  }
  if ((marker.in === 'body' || marker.in === 'form') && site.methods.some(m => m === 'GET' || m === 'HEAD')) {
    throw new errors.FFA_ERR_BODY_NOT_ALLOWED(route, label, site.methods.join('/'))
  }
  return {
    name,
    wire: wireName(name, marker),
    // FastAPI reports a header alias as declared ("X-Api-Key"), though it matches any case.
    label: marker.in === 'header' ? marker.options.alias : undefined,
    in: marker.in,
    schema,
    wholeBody: marker.in === 'body' && !site.embedBodies && options.embed !== true,
    includeInSchema: options.includeInSchema !== false
  }
}

/** The name a marker reads on the wire: its alias, or its argument name (hyphenated for headers). */
export function wireName (name: string, marker: Param): string {
  if (marker.in === 'header') {
    if (marker.options.alias !== undefined) return marker.options.alias.toLowerCase()
    if (marker.options.convertUnderscores === false) return name.toLowerCase()
    // xToken and x_token both read the x-token header, as FastAPI's convert_underscores.
    return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase()
  }
  return marker.options.alias ?? name
}
