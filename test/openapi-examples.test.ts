/**
 * The OpenAPI document of every example app: served at /openapi.json, valid OpenAPI 3.1 (the
 * official schema through @seriousme/openapi-schema-validator, and every schema object against
 * JSON Schema 2020-12), every `$ref` resolvable, operationIds unique, every documented `app.api`
 * route present. Then key fragments of the seed example (examples/users) asserted exactly
 * against what FastAPI generates for the same app.
 */
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { build as buildUsers } from '../examples/users/index.js'
import { build as buildDependencies } from '../examples/dependencies/index.js'
import { build as buildSecurity } from '../examples/security/index.js'
import { build as buildBiggerApp } from '../examples/bigger-app/index.js'
import { build as buildMigration } from '../examples/migration/index.js'
import { build as buildExtras } from '../examples/extras/index.js'

type Json = Record<string, any>

const validator = new Validator()
// Schema objects are JSON Schema 2020-12 in OpenAPI 3.1; the OpenAPI schema itself only checks
// that they are objects or booleans, so each one is checked against the meta-schema too.
const jsonSchema = new Ajv2020({ strict: false })

// The third entry counts an example's plain Fastify routes that @fastify/swagger documents.
const EXAMPLES: Array<[string, () => Promise<FastifyInstance>, number?]> = [
  ['users', buildUsers],
  ['dependencies', buildDependencies],
  ['security', buildSecurity],
  ['bigger-app', buildBiggerApp],
  ['migration', buildMigration, 3],
  ['extras', () => buildExtras({}, {})]
]

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

/** Every `{ operation, path, method }` of a document. */
function operations (doc: Json): Array<{ path: string, method: string, operation: Json }> {
  const out = []
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (METHODS.has(method)) out.push({ path, method, operation })
    }
  }
  return out
}

/** Every value under `key` anywhere in `node`, with its JSON pointer. */
function collect (node: unknown, key: string, pointer = '#'): Array<{ pointer: string, value: any }> {
  if (node === null || typeof node !== 'object') return []
  const found: Array<{ pointer: string, value: any }> = []
  for (const [k, v] of Object.entries(node)) {
    const here = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`
    if (k === key) found.push({ pointer: here, value: v })
    found.push(...collect(v, key, here))
  }
  return found
}

/** Resolves a local JSON pointer (`#/components/schemas/X`) in `doc`. */
function resolvePointer (doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  let node: any = doc
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined
    node = node[part]
  }
  return node
}

/** The schema objects of a document: components, parameters, bodies and responses. */
function schemaObjects (doc: Json): Array<{ where: string, schema: Json }> {
  const out: Array<{ where: string, schema: Json }> = []
  for (const [name, schema] of Object.entries<Json>(doc.components?.schemas ?? {})) out.push({ where: `components.schemas.${name}`, schema })
  for (const { path, method, operation } of operations(doc)) {
    const at = `${method.toUpperCase()} ${path}`
    for (const parameter of operation.parameters ?? []) out.push({ where: `${at} parameter ${parameter.name}`, schema: parameter.schema })
    for (const [type, media] of Object.entries<Json>(operation.requestBody?.content ?? {})) out.push({ where: `${at} body ${type}`, schema: media.schema })
    for (const [code, response] of Object.entries<Json>(operation.responses ?? {})) {
      for (const [type, media] of Object.entries<Json>(response.content ?? {})) out.push({ where: `${at} ${code} ${type}`, schema: media.schema })
    }
  }
  return out
}

/** GET /openapi.json: 200 and JSON. */
async function documentOf (app: FastifyInstance): Promise<{ statusCode: number, doc: Json }> {
  const res = await app.inject('/openapi.json')
  return { statusCode: res.statusCode, doc: res.json() }
}

t.test('the validator rejects what it should, so passing it means something', async t => {
  const app = await buildUsers()
  t.teardown(() => app.close())
  const { doc } = await documentOf(app)
  t.same(await validator.validate(structuredClone(doc)), { valid: true }, 'the seed document is valid')

  const noVersion = structuredClone(doc)
  delete noVersion.info.version
  t.equal((await validator.validate(noVersion)).valid, false, 'info.version is required')

  const badLocation = structuredClone(doc)
  badLocation.paths['/users'].get.parameters[0].in = 'body'
  t.equal((await validator.validate(badLocation)).valid, false, "'in: body' is OpenAPI 2, not 3.1")

  const danglingRef = structuredClone(doc)
  danglingRef.paths['/users'].post.requestBody.content['application/json'].schema.$ref = '#/components/schemas/Nope'
  t.equal((await validator.validate(danglingRef)).valid, false, 'a $ref to a missing component')

  t.notOk(jsonSchema.validateSchema({ type: 'object', required: 'name' }), 'the meta-schema check rejects a bad schema')
})

for (const [name, build, plainOperations = 0] of EXAMPLES) {
  t.test(`examples/${name}: /openapi.json is a valid OpenAPI 3.1 document`, async t => {
    const app = await build()
    t.teardown(() => app.close())
    const { statusCode, doc } = await documentOf(app)
    t.equal(statusCode, 200, 'status')
    t.equal(doc.openapi, '3.1.0', 'openapi version')

    const result = await validator.validate(structuredClone(doc))
    t.same(result, { valid: true }, 'passes the OpenAPI 3.1 schema')
    t.equal(validator.version, '3.1', 'validated as 3.1')

    for (const { where, schema } of schemaObjects(doc)) {
      if (!jsonSchema.validateSchema(schema)) t.fail(`${where} is not JSON Schema 2020-12: ${jsonSchema.errorsText()}`)
    }

    const refs = collect(doc, '$ref')
    t.ok(refs.length > 0, 'the document has references')
    for (const { pointer, value } of refs) {
      t.ok(typeof value === 'string' && resolvePointer(doc, value) !== undefined, `${pointer} → ${String(value)} resolves`)
    }

    const ids = operations(doc).map(({ operation }) => operation.operationId)
    t.ok(ids.every(id => typeof id === 'string' && id !== ''), 'every operation has an operationId')
    t.equal(new Set(ids).size, ids.length, 'operationIds are unique')

    const documented = app.api.routes.filter(route => route.decl.includeInSchema !== false)
    t.ok(documented.length > 0, 'the example declares app.api routes')
    for (const route of documented) {
      for (const method of route.methods) {
        t.ok(doc.paths[route.path]?.[method.toLowerCase()], `${method} ${route.path} is documented`)
      }
    }
    // Nothing but the declared routes: the document and docs routes are hidden.
    t.equal(operations(doc).length, documented.reduce((n, route) => n + route.methods.length, plainOperations), 'no other operation')
  })
}

// ---------------------------------------------------------------------------------------------
// The seed example, fragment by fragment. The FastAPI equivalent of examples/users/index.ts:
//
//   class UserIn(BaseModel):
//       name: str = Field(min_length=3, pattern="^[a-z-]+$", examples=["my-username"])
//       password: SecretStr = Field(min_length=5, examples=["secret"])
//   class UserOut(BaseModel):
//       id: int; name: str; creation_date: datetime
//   @app.post("/users", status_code=201, response_model=UserOut)
//   async def createUser(user: UserIn): ...
//   @app.get("/users", response_model=UserOut, response_description="The `new` user",
//            description="Create a new user. *Supports `markdown`!*")
//   async def getUserByQuery(name: str = Query(min_length=3)): ...
//   @app.get("/items/{item_id}", response_model=ItemOut, response_model_exclude_none=True)
//   async def readItem(item_id: int = Path(ge=1), q: str | None = Query(None, max_length=10),
//                      x_token: str = Header(), commons: dict = Depends(common_parameters)): ...

const VALIDATION_422 = {
  description: 'Validation Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } }
}

t.test('examples/users: key fragments of the document, exactly', async t => {
  const app = await buildUsers()
  t.teardown(() => app.close())
  const { doc } = await documentOf(app)

  t.test('info defaults and version, as FastAPI()', async t => {
    t.equal(doc.openapi, '3.1.0')
    t.strictSame(doc.info, { title: 'FastAPI', version: '0.1.0' })
    t.notOk('servers' in doc, 'no servers')
    t.notOk('tags' in doc, 'no tags')
  })

  t.test('the paths, in declaration order', async t => {
    t.strictSame(Object.keys(doc.paths), ['/', '/users', '/users/{name}', '/error', '/error/teapot', '/items/{item_id}'])
    t.strictSame(Object.keys(doc.paths['/users']), ['post', 'get'])
  })

  t.test('POST /users: summary, operationId, body, 201 and 422', async t => {
    t.strictSame(doc.paths['/users'].post, {
      summary: 'Create User',
      operationId: 'createUser_users_post',
      requestBody: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/UserIn' } } },
        required: true
      },
      responses: {
        201: {
          description: 'Successful Response',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/UserOut' } } }
        },
        422: VALIDATION_422
      }
    })
  })

  t.test('GET /users: response description and markdown description', async t => {
    t.strictSame(doc.paths['/users'].get, {
      summary: 'Get User By Query',
      description: 'Create a new user. *Supports `markdown`!*',
      operationId: 'getUserByQuery_users_get',
      parameters: [
        { name: 'name', in: 'query', required: true, schema: { type: 'string', minLength: 3, title: 'Name' } }
      ],
      responses: {
        200: {
          description: 'The `new` user',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/UserOut' } } }
        },
        422: VALIDATION_422
      }
    })
  })

  t.test('GET /users/{name}: the path parameter', async t => {
    t.strictSame(doc.paths['/users/{name}'].get.parameters, [
      { name: 'name', in: 'path', required: true, schema: { type: 'string', minLength: 3, title: 'Name' } }
    ])
    t.equal(doc.paths['/users/{name}'].get.operationId, 'getUser_users__name__get')
  })

  t.test('GET /items/{item_id}: path, query, dependency query and header parameters', async t => {
    // FastAPI orders path, query, header, cookie; the route's own before its dependencies'.
    // FastAPI writes the optional `q: str | None` as anyOf [string, null]: ours is z.string().optional(),
    // which accepts no null, so the schema has none.
    t.strictSame(doc.paths['/items/{item_id}'].get.parameters, [
      { name: 'item_id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, title: 'Item Id' } },
      { name: 'q', in: 'query', required: false, schema: { type: 'string', maxLength: 10, title: 'Q' } },
      { name: 'skip', in: 'query', required: false, schema: { default: 0, type: 'integer', title: 'Skip' } },
      { name: 'limit', in: 'query', required: false, schema: { default: 100, type: 'integer', title: 'Limit' } },
      { name: 'x-token', in: 'header', required: true, schema: { type: 'string', title: 'X-Token' } }
    ])
    t.equal(doc.paths['/items/{item_id}'].get.summary, 'Read Item')
    t.equal(doc.paths['/items/{item_id}'].get.operationId, 'readItem_items__item_id__get')
    t.strictSame(doc.paths['/items/{item_id}'].get.responses['200'].content, {
      'application/json': { schema: { $ref: '#/components/schemas/ItemOut' } }
    })
  })

  t.test('routes without parameters have no 422', async t => {
    for (const path of ['/', '/error', '/error/teapot']) {
      t.strictSame(doc.paths[path].get.responses, {
        200: { description: 'Successful Response', content: { 'application/json': { schema: {} } } }
      }, path)
      t.notOk('parameters' in doc.paths[path].get, `${path} has no parameters`)
    }
    t.equal(doc.paths['/'].get.summary, 'Root')
    t.equal(doc.paths['/'].get.operationId, 'root__get')
    t.equal(doc.paths['/error/teapot'].get.operationId, 'throwTeapot_error_teapot_get')
  })

  t.test('components.schemas: sorted, HTTPValidationError and ValidationError as FastAPI 0.141', async t => {
    const schemas = doc.components.schemas
    t.strictSame(Object.keys(doc.components), ['schemas'], 'no securitySchemes')
    t.strictSame(Object.keys(schemas), ['HTTPValidationError', 'ItemOut', 'UserIn', 'UserOut', 'ValidationError'])
    // fastapi/openapi/utils.py: validation_error_response_definition and validation_error_definition.
    t.strictSame(schemas.HTTPValidationError, {
      title: 'HTTPValidationError',
      type: 'object',
      properties: {
        detail: { title: 'Detail', type: 'array', items: { $ref: '#/components/schemas/ValidationError' } }
      }
    })
    t.strictSame(schemas.ValidationError, {
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
    })
  })

  t.test('UserIn: the secret password is writeOnly with format password (pydantic SecretStr)', async t => {
    t.strictSame(doc.components.schemas.UserIn, {
      title: 'UserIn',
      type: 'object',
      properties: {
        name: { title: 'Name', type: 'string', minLength: 3, pattern: '^[a-z-]+$', examples: ['my-username'] },
        password: { title: 'Password', type: 'string', minLength: 5, examples: ['secret'], writeOnly: true, format: 'password' }
      },
      required: ['name', 'password']
    })
  })

  t.test('UserOut: a date is a date-time string', async t => {
    t.strictSame(doc.components.schemas.UserOut, {
      title: 'UserOut',
      type: 'object',
      properties: {
        id: { title: 'Id', type: 'integer' },
        name: { title: 'Name', type: 'string' },
        creation_date: { title: 'Creation Date', type: 'string', format: 'date-time' }
      },
      required: ['id', 'name', 'creation_date']
    })
  })

  t.test('ItemOut: nullish field and nested object with titles', async t => {
    t.strictSame(doc.components.schemas.ItemOut, {
      title: 'ItemOut',
      type: 'object',
      properties: {
        item_id: { title: 'Item Id', type: 'integer' },
        q: { title: 'Q', anyOf: [{ type: 'string' }, { type: 'null' }] },
        x_token: { title: 'X Token', type: 'string' },
        commons: {
          title: 'Commons',
          type: 'object',
          properties: { skip: { title: 'Skip', type: 'integer' }, limit: { title: 'Limit', type: 'integer' } },
          required: ['skip', 'limit']
        }
      },
      required: ['item_id', 'x_token', 'commons']
    })
  })
})
