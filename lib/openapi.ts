/**
 * @module openapi — the OpenAPI 3.1 document of the `app.api` routes, as FastAPI's
 * `get_openapi` writes it: one operation per route and method, parameters from the route and
 * its dependencies, the request body, the responses (422 included), named models under
 * `components.schemas` and the security schemes of the security dependencies.
 *
 * @fastify/swagger builds the document of the plain Fastify routes; `mergeDocument` puts ours
 * in front of it, in FastAPI's key order.
 */
import type { CompiledRoute } from './route-compiler.js'
import type { ArgSpec } from './validation.js'
import { pyTitle, SchemaCollector } from './openapi-schema.js'
import { acceptsUndefined } from './zod-internals.js'
import { reasonPhrase } from './status.js'
import { JSONResponse } from './responses.js'
import { fileInfoOf } from './upload.js'

type Json = Record<string, any>

/** The document-level settings, from the plugin options. */
export interface DocumentSettings {
  title: string
  version: string
  summary?: string
  description?: string
  termsOfService?: string
  contact?: Record<string, unknown>
  license?: Record<string, unknown>
  servers?: Array<Record<string, unknown>>
  /** FastAPI's `openapi_tags`: a name, description and externalDocs per tag. */
  tags?: Array<Record<string, unknown>>
  /** FastAPI's `separate_input_output_schemas` (default true). */
  separateInputOutputSchemas: boolean
}

const VALIDATION_ERROR = {
  title: 'ValidationError',
  type: 'object',
  properties: {
    loc: { title: 'Location', type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
    msg: { title: 'Message', type: 'string' },
    type: { title: 'Error Type', type: 'string' },
    input: { title: 'Input' },
    ctx: { title: 'Context', type: 'object' }
  },
  required: ['loc', 'msg', 'type']
}

const HTTP_VALIDATION_ERROR = {
  title: 'HTTPValidationError',
  type: 'object',
  properties: {
    detail: { title: 'Detail', type: 'array', items: { $ref: '#/components/schemas/ValidationError' } }
  }
}

const PARAMETER_ORDER = ['path', 'query', 'header', 'cookie']
const METHODS_WITH_BODY = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'])

/** FastAPI's summary: the handler's name in Title Case (`read_item`, `readItem` → "Read Item"). */
export function summaryOf (route: Pick<CompiledRoute, 'handlerName' | 'path'>, method: string): string {
  return pyTitle(route.handlerName !== '' ? route.handlerName : defaultName(route.path, method))
}

/** FastAPI's operationId: `{name}{path}_{method}`, every non-word character of name and path as `_`. */
export function operationIdOf (route: Pick<CompiledRoute, 'handlerName' | 'path'>, method: string): string {
  const name = route.handlerName !== '' ? route.handlerName : defaultName(route.path, method)
  return `${name}${route.path}`.replace(/\W/g, '_') + `_${method.toLowerCase()}`
}

// An anonymous handler has no name to show: the method and the path's words stand in.
function defaultName (path: string, method: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(word => word !== '')
  return [method.toLowerCase(), ...words].join('_')
}

/** Builds the paths and components of the `app.api` routes. */
export function buildOperations (routes: readonly CompiledRoute[], settings: DocumentSettings): { paths: Json, schemas: Json, securitySchemes: Json } {
  const collector = new SchemaCollector(settings.separateInputOutputSchemas)
  const paths: Json = {}
  const securitySchemes: Json = {}
  const operationIds = new Set<string>()
  let validationErrors = false
  for (const route of routes) {
    if (route.decl.includeInSchema === false) continue
    for (const method of route.methods) {
      let operationId = route.decl.operationId ?? operationIdOf(route, method)
      // Duplicates make the document invalid; FastAPI only warns. Number the later ones.
      for (let n = 2; operationIds.has(operationId); n++) operationId = `${route.decl.operationId ?? operationIdOf(route, method)}_${n}`
      operationIds.add(operationId)
      const operation = operationOf(route, method, operationId, collector, securitySchemes)
      if (operation.responses['422'] === VALIDATION_RESPONSE_MARK) {
        operation.responses['422'] = validationResponse()
        validationErrors = true
      }
      ;(paths[route.path] ??= {})[method.toLowerCase()] = operation
    }
  }
  const named = collector.components()
  if (validationErrors) {
    named.HTTPValidationError = HTTP_VALIDATION_ERROR
    named.ValidationError = VALIDATION_ERROR
  }
  const schemas: Json = {}
  for (const name of Object.keys(named).sort()) schemas[name] = named[name]
  return { paths, schemas, securitySchemes }
}

const VALIDATION_RESPONSE_MARK = Symbol('422')

function validationResponse (): Json {
  return {
    description: 'Validation Error',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } }
  }
}

function operationOf (route: CompiledRoute, method: string, operationId: string, collector: SchemaCollector, securitySchemes: Json): Json {
  const { decl } = route
  const operation: Json = {}
  if (decl.tags !== undefined && decl.tags.length > 0) operation.tags = decl.tags
  operation.summary = decl.summary ?? summaryOf(route, method)
  if (decl.description !== undefined) operation.description = decl.description
  operation.operationId = operationId
  if (decl.deprecated === true) operation.deprecated = true
  if (route.security.length > 0) {
    // One requirement per scheme with the scopes of every use: OpenAPI reads several entries as
    // alternatives, and the route needs them all.
    const scopesByScheme = new Map<string, string[]>()
    for (const { scheme, scopes } of route.security) {
      const merged = scopesByScheme.get(scheme.name) ?? []
      for (const scope of scopes) if (!merged.includes(scope)) merged.push(scope)
      scopesByScheme.set(scheme.name, merged)
      securitySchemes[scheme.name] = scheme.scheme
    }
    operation.security = [...scopesByScheme].map(([name, scopes]) => ({ [name]: scopes }))
  }
  const documented = route.args.filter(arg => arg.includeInSchema !== false)
  const parameters = PARAMETER_ORDER.flatMap(location => documented.filter(arg => arg.in === location)).map(arg => parameterOf(arg, collector))
  if (parameters.length > 0) operation.parameters = parameters
  if (METHODS_WITH_BODY.has(method)) {
    const body = requestBodyOf(route, documented, operationId, collector)
    if (body !== undefined) operation.requestBody = body
  }
  operation.responses = responsesOf(route, operationId, collector)
  // FastAPI adds the 422 to every route that reads parameters or a body.
  const reads = route.args.length > 0
  if (reads && !['422', '4XX', 'default'].some(code => code in operation.responses)) {
    operation.responses['422'] = VALIDATION_RESPONSE_MARK
  }
  return operation
}

function parameterOf (arg: ArgSpec, collector: SchemaCollector): Json {
  const schema = collector.schemaOf(arg.schema, 'input')
  const parameter: Json = {
    name: arg.in === 'header' ? (arg.label ?? arg.wire) : arg.wire,
    in: arg.in,
    required: arg.in === 'path' || !acceptsUndefined(arg.schema),
    schema: schema.title === undefined && schema.$ref === undefined ? { ...schema, title: pyTitle(arg.wire) } : schema
  }
  if (typeof schema.description === 'string') parameter.description = schema.description
  if (schema.deprecated === true) parameter.deprecated = true
  return parameter
}

function requestBodyOf (route: CompiledRoute, documented: ArgSpec[], operationId: string, collector: SchemaCollector): Json | undefined {
  const bodies = documented.filter(arg => arg.in === 'body' || arg.in === 'form')
  if (bodies.length === 0) return undefined
  const form = bodies[0].in === 'form'
  // FastAPI: a form with a file is sent as multipart; fields alone as urlencoded.
  const mediaType = !form ? 'application/json' : bodies.some(arg => fileInfoOf(arg.schema) !== undefined) ? 'multipart/form-data' : 'application/x-www-form-urlencoded'
  let schema: Json
  let required: boolean
  if (!form && bodies.length === 1 && bodies[0].wholeBody) {
    const json = collector.schemaOf(bodies[0].schema, 'input')
    schema = json.title === undefined && json.$ref === undefined ? { ...json, title: pyTitle(bodies[0].name) } : json
    required = !acceptsUndefined(bodies[0].schema)
  } else {
    // Several body values (or form fields): FastAPI documents them as one model, Body_<operationId>.
    const name = `Body_${operationId}`
    const properties: Json = {}
    const names: string[] = []
    for (const arg of bodies) {
      const json = fileInfoOf(arg.schema) !== undefined ? fileSchemaOf(arg.schema) : collector.schemaOf(arg.schema, 'input')
      properties[arg.wire] = json.title === undefined && json.$ref === undefined ? { ...json, title: pyTitle(arg.wire) } : json
      if (!acceptsUndefined(arg.schema)) names.push(arg.wire)
    }
    const model: Json = { properties, type: 'object' }
    if (names.length > 0) model.required = names
    model.title = name
    schema = collector.define(name, model)
    required = names.length > 0
  }
  const body: Json = { content: { [mediaType]: { schema } } }
  if (required) body.required = true
  return body
}

/** A `File()` field as FastAPI documents `UploadFile`: a string of octets (a list of them). */
function fileSchemaOf (schema: ArgSpec['schema']): Json {
  const file: Json = { type: 'string', contentMediaType: 'application/octet-stream' }
  const json: Json = fileInfoOf(schema)?.list === true ? { type: 'array', items: file } : file
  const meta = schema.meta() ?? {}
  for (const key of ['title', 'description', 'deprecated'] as const) {
    if (meta[key] !== undefined) json[key] = meta[key]
  }
  return json
}

function responsesOf (route: CompiledRoute, operationId: string, collector: SchemaCollector): Json {
  const { decl } = route
  const responseClass = decl.responseClass
  const statusCode = decl.statusCode ?? responseClass?.defaultStatusCode ?? 200
  const success: Json = { description: decl.responseDescription ?? 'Successful Response' }
  // FastAPI: a JSON class documents the model; another class a string of its media type; a class
  // without one (a redirect, a stream, a file) no content.
  const json = responseClass === undefined || responseClass === JSONResponse || responseClass.prototype instanceof JSONResponse
  const mediaType = responseClass === undefined ? 'application/json' : responseClass.mediaType
  if (bodyAllowed(statusCode) && mediaType !== undefined) {
    let schema: Json = json ? {} : { type: 'string' }
    if (json && decl.responseModel !== undefined) {
      schema = collector.schemaOf(decl.responseModel, 'output')
      // pydantic titles the response field "Response <operation id>", as FastAPI names it.
      if (schema.$ref === undefined && schema.title === undefined) schema = { ...schema, title: pyTitle(`Response_${operationId}`) }
    }
    success.content = { [mediaType]: { schema } }
  }
  const responses: Json = { [String(statusCode)]: success }
  for (const [code, extra] of Object.entries(decl.responses ?? {})) {
    const key = code.toUpperCase() === 'DEFAULT' ? 'default' : code.toUpperCase()
    const response: Json = responses[key] ?? {}
    if (extra?.model !== undefined) response.content = { 'application/json': { schema: collector.schemaOf(extra.model, 'output') } }
    response.description = extra?.description ?? response.description ?? statusText(key)
    responses[key] = response
  }
  return responses
}

// FastAPI's `status_code_ranges`, and its description of a `default` response.
const RANGES: Record<string, string> = {
  '1XX': 'Information', '2XX': 'Success', '3XX': 'Redirection', '4XX': 'Client Error', '5XX': 'Server Error', default: 'Default Response'
}

function statusText (key: string): string {
  if (key in RANGES) return RANGES[key]
  const phrase = /^\d+$/.test(key) ? reasonPhrase(Number(key)) : 'unknown'
  return phrase === 'unknown' ? 'Additional Response' : phrase
}

/** FastAPI's `is_body_allowed_for_status_code`. */
function bodyAllowed (code: number): boolean {
  return !(code < 200 || code === 204 || code === 205 || code === 304)
}

/**
 * The final document: @fastify/swagger's (plain Fastify routes, info, servers, tags) with the
 * `app.api` operations in front, in FastAPI's key order.
 */
export function mergeDocument (swaggerDocument: Json, routes: readonly CompiledRoute[], settings: DocumentSettings): Json {
  const ours = buildOperations(routes, settings)
  const paths: Json = { ...ours.paths }
  for (const [path, item] of Object.entries(swaggerDocument.paths ?? {})) paths[path] = { ...paths[path], ...(item as Json) }
  const theirs = swaggerDocument.components ?? {}
  const schemas = { ...theirs.schemas, ...ours.schemas }
  const securitySchemes = { ...theirs.securitySchemes, ...ours.securitySchemes }
  const components: Json = { ...theirs }
  delete components.schemas
  delete components.securitySchemes
  if (Object.keys(schemas).length > 0) components.schemas = schemas
  if (Object.keys(securitySchemes).length > 0) components.securitySchemes = securitySchemes

  const info: Json = { title: settings.title }
  if (settings.summary !== undefined) info.summary = settings.summary
  if (settings.description !== undefined) info.description = settings.description
  if (settings.termsOfService !== undefined) info.termsOfService = settings.termsOfService
  if (settings.contact !== undefined) info.contact = settings.contact
  if (settings.license !== undefined) info.license = settings.license
  info.version = settings.version
  const document: Json = { openapi: '3.1.0', info }
  if (settings.servers !== undefined) document.servers = settings.servers
  document.paths = paths
  if (Object.keys(components).length > 0) document.components = components
  if (settings.tags !== undefined) document.tags = settings.tags
  return document
}
