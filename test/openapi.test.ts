/**
 * The OpenAPI document built from the declarations (lib/openapi*.ts), case by case on small apps.
 * Every case shows next to it the FastAPI app it stands for and what FastAPI 0.141 generates
 * (quoted from FastAPI's own tests where one covers it). Where we differ from FastAPI on purpose
 * the comment says so.
 */
/* eslint-disable camelcase -- handlers keep FastAPI's snake_case names, so that summaries and
   operationIds compare one to one with FastAPI's tests */
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Validator } from '@seriousme/openapi-schema-validator'
import {
  APIKeyHeader, Body, Cookie, Depends, Field, Form, HTTPBasic, Header, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer,
  OpenIdConnect, Path, Query, Security,
  SecurityScopes, dependency, type ArgsDecl, type FastifyFastapiOptions
} from '../lib/index.js'
import { build as buildSecurityExample } from '../examples/security/index.js'
import { build } from './helper.js'

type Json = Record<string, any>

const validator = new Validator()

const VALIDATION_422 = {
  description: 'Validation Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } }
}
const OK_200 = { description: 'Successful Response', content: { 'application/json': { schema: {} } } }

/** GET /openapi.json of `app`: 200, a valid OpenAPI 3.1 document whose `$ref`s all resolve. */
async function documentOf (t: any, app: FastifyInstance, url = '/openapi.json'): Promise<Json> {
  const res = await app.inject(url)
  t.equal(res.statusCode, 200, `GET ${url}`)
  const doc = res.json()
  t.same(await validator.validate(structuredClone(doc)), { valid: true }, 'a valid OpenAPI 3.1 document')
  return doc
}

/** An app with the plugin (`options`), routes added by `declare`, and its document. */
async function documentWith (t: any, declare: (app: FastifyInstance) => unknown, options: FastifyFastapiOptions = {}): Promise<Json> {
  const app = await build(t, options)
  await declare(app)
  return await documentOf(t, app)
}

/** A function named `name`, as a handler: summary and operationId come from the name. */
function named (name: string): (args: unknown) => unknown {
  return ({ [name]: function (args: unknown) { return args } })[name]
}

// ---------------------------------------------------------------------------------------------
// Parameters

interface ParamCase {
  name: string
  url: string
  args: ArgsDecl
  parameters: Json[]
  /** Components expected besides HTTPValidationError / ValidationError. */
  schemas?: Json
}

const PARAM_CASES: ParamCase[] = [
  {
    // @app.get("/items/{item_id}")
    // def read(item_id: int = Path(title="The ID of the item to get", ge=0, le=1000))
    // FastAPI (test_body_multiple_params/test_tutorial001.py): {"required": True, "name": "item_id", "in": "path",
    //   "schema": {"title": "The ID of the item to get", "maximum": 1000.0, "minimum": 0.0, "type": "integer"}}
    name: 'a path parameter with bounds and a title',
    url: '/items/:item_id',
    args: { item_id: Path(z.number().int(), { ge: 0, le: 1000, title: 'The ID of the item to get' }) },
    parameters: [
      { name: 'item_id', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: 1000, title: 'The ID of the item to get' } }
    ]
  },
  {
    // FastAPI's path syntax is accepted too: @app.get("/users/{user_id}") def read(user_id: str)
    // → {"name": "user_id", "in": "path", "required": True, "schema": {"type": "string", "title": "User Id"}}
    name: 'a path parameter declared with {braces}',
    url: '/users/{user_id}',
    args: { user_id: Path(z.string()) },
    parameters: [{ name: 'user_id', in: 'path', required: true, schema: { type: 'string', title: 'User Id' } }]
  },
  {
    // def read(needy: str, skip: int = 0, limit: int | None = None)   (test_query_params/test_tutorial006.py)
    // FastAPI: needy {"type": "string", "title": "Needy"} required; skip {"type": "integer", "default": 0,
    // "title": "Skip"}; limit {"anyOf": [{"type": "integer"}, {"type": "null"}], "title": "Limit"}.
    // Ours has no null branch: z.number().optional() accepts no null.
    name: 'query parameters: required, with a default, optional',
    url: '/items',
    args: {
      needy: Query(z.string()),
      skip: Query(z.number().int(), { default: 0 }),
      limit: Query(z.number().int().optional())
    },
    parameters: [
      { name: 'needy', in: 'query', required: true, schema: { type: 'string', title: 'Needy' } },
      { name: 'skip', in: 'query', required: false, schema: { default: 0, type: 'integer', title: 'Skip' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', title: 'Limit' } }
    ]
  },
  {
    // def read(q: str | None = Query(default=None, alias="item-query"))   (test_query_params_str_validations/test_tutorial009.py)
    // FastAPI: {"name": "item-query", "in": "query", "required": False, "schema": {..., "title": "Item-Query"}}
    name: 'a query alias names the parameter and its title',
    url: '/items',
    args: { q: Query(z.string().optional(), { alias: 'item-query' }) },
    parameters: [{ name: 'item-query', in: 'query', required: false, schema: { type: 'string', title: 'Item-Query' } }]
  },
  {
    // def read(user_agent: str | None = Header(default=None), x_token: str = Header(),
    //          custom: str = Header(alias="X-Custom"),
    //          strange_header: str | None = Header(default=None, convert_underscores=False))
    // FastAPI (test_header_params/test_tutorial001.py, 002.py): "user-agent" titled "User-Agent", "x-token"
    // "X-Token", the alias as written ("X-Custom"), and "strange_header" titled "Strange Header".
    name: 'headers: underscores hyphenated, alias kept as written, convertUnderscores: false',
    url: '/items',
    args: {
      user_agent: Header(z.string().optional()),
      xToken: Header(z.string()),
      custom: Header(z.string(), { alias: 'X-Custom' }),
      strange_header: Header(z.string().optional(), { convertUnderscores: false })
    },
    parameters: [
      { name: 'user-agent', in: 'header', required: false, schema: { type: 'string', title: 'User-Agent' } },
      { name: 'x-token', in: 'header', required: true, schema: { type: 'string', title: 'X-Token' } },
      { name: 'X-Custom', in: 'header', required: true, schema: { type: 'string', title: 'X-Custom' } },
      { name: 'strange_header', in: 'header', required: false, schema: { type: 'string', title: 'Strange Header' } }
    ]
  },
  {
    // def read(ads_id: str | None = Cookie(default=None), last: str = Cookie(alias="last_query"))
    // FastAPI (test_cookie_params/test_tutorial001.py): {"name": "ads_id", "in": "cookie", "required": False,
    //   "schema": {..., "title": "Ads Id"}}; the alias names the cookie.
    name: 'cookies, with an alias',
    url: '/items',
    args: { ads_id: Cookie(z.string().optional()), last: Cookie(z.string(), { alias: 'last_query' }) },
    parameters: [
      { name: 'ads_id', in: 'cookie', required: false, schema: { type: 'string', title: 'Ads Id' } },
      { name: 'last_query', in: 'cookie', required: true, schema: { type: 'string', title: 'Last Query' } }
    ]
  },
  {
    // def read(q: list[str] = Query(), tags: list[str] = Query(default=["foo", "bar"]))
    // FastAPI (test_query_params_str_validations/test_tutorial012.py): {"title": "Q", "type": "array",
    //   "items": {"type": "string"}, "default": ["foo", "bar"]}
    name: 'list query parameters are arrays',
    url: '/items',
    args: { q: Query(z.array(z.string())), tags: Query(z.array(z.string()), { default: ['foo', 'bar'] }) },
    parameters: [
      { name: 'q', in: 'query', required: true, schema: { type: 'array', items: { type: 'string' }, title: 'Q' } },
      { name: 'tags', in: 'query', required: false, schema: { default: ['foo', 'bar'], type: 'array', items: { type: 'string' }, title: 'Tags' } }
    ]
  },
  {
    // def read(q: str | None = Query(None, alias="item-query", title="Query string", description="Query string
    //          for the items", min_length=3, deprecated=True, examples=["fixedquery"]))
    // FastAPI (test_query_params_str_validations/test_tutorial010.py, test_schema_extra_examples.py):
    // description and deprecated on the parameter and in its schema; examples in the schema only.
    name: 'description, examples and deprecated',
    url: '/items',
    args: {
      q: Query(z.string().optional(), {
        alias: 'item-query',
        title: 'Query string',
        description: 'Query string for the items',
        minLength: 3,
        deprecated: true,
        examples: ['fixedquery']
      })
    },
    parameters: [{
      name: 'item-query',
      in: 'query',
      required: false,
      schema: {
        title: 'Query string',
        description: 'Query string for the items',
        examples: ['fixedquery'],
        deprecated: true,
        type: 'string',
        minLength: 3
      },
      description: 'Query string for the items',
      deprecated: true
    }]
  },
  {
    // def read(session: str = Cookie(), token: str = Header(), q: str = Query(), item_id: int = Path())
    // FastAPI lists path, query, header, then cookie parameters, whatever the declaration order.
    name: 'parameters are ordered path, query, header, cookie',
    url: '/items/:item_id',
    args: {
      session: Cookie(z.string()),
      token: Header(z.string()),
      q: Query(z.string()),
      item_id: Path(z.number().int())
    },
    parameters: [
      { name: 'item_id', in: 'path', required: true, schema: { type: 'integer', title: 'Item Id' } },
      { name: 'q', in: 'query', required: true, schema: { type: 'string', title: 'Q' } },
      { name: 'token', in: 'header', required: true, schema: { type: 'string', title: 'Token' } },
      { name: 'session', in: 'cookie', required: true, schema: { type: 'string', title: 'Session' } }
    ]
  },
  {
    // def read(shown: str, hidden: str | None = Query(default=None, include_in_schema=False))
    // FastAPI (test_param_include_in_schema.py): the hidden parameter is not listed.
    name: 'includeInSchema: false hides one parameter',
    url: '/items',
    args: { shown: Query(z.string()), hidden: Query(z.string().optional(), { includeInSchema: false }) },
    parameters: [{ name: 'shown', in: 'query', required: true, schema: { type: 'string', title: 'Shown' } }]
  },
  {
    // class ModelName(str, Enum): alexnet = "alexnet"; resnet = "resnet"
    // def get_model(model_name: ModelName)   (test_path_params/test_tutorial005.py)
    // FastAPI: "schema": {"$ref": "#/components/schemas/ModelName"}, and the component
    //   {"title": "ModelName", "enum": ["alexnet", "resnet"], "type": "string"}.
    name: 'a named enum parameter is a component reference',
    url: '/models/:model_name',
    args: { model_name: Path(z.enum(['alexnet', 'resnet']).meta({ id: 'ModelName' })) },
    parameters: [{ name: 'model_name', in: 'path', required: true, schema: { $ref: '#/components/schemas/ModelName' } }],
    schemas: { ModelName: { title: 'ModelName', type: 'string', enum: ['alexnet', 'resnet'] } }
  },
  {
    // def get_model(model_name: ModelName = Path(description="The model")): the description on the
    // parameter, and beside the $ref in its schema (pydantic writes siblings of $ref). Through zod's own
    // .meta() here; through the marker's `description` option, see the todo case under "components".
    name: 'a description on a named enum parameter',
    url: '/models/:model_name',
    args: { model_name: Path(z.enum(['alexnet', 'resnet']).meta({ id: 'ModelName' }).meta({ description: 'The model' })) },
    parameters: [{
      name: 'model_name',
      in: 'path',
      required: true,
      schema: { description: 'The model', $ref: '#/components/schemas/ModelName' },
      description: 'The model'
    }],
    schemas: { ModelName: { title: 'ModelName', type: 'string', enum: ['alexnet', 'resnet'] } }
  }
]

t.test('parameters', async t => {
  for (const c of PARAM_CASES) {
    t.test(c.name, async t => {
      const doc = await documentWith(t, app => app.api.get(c.url, { args: c.args }, function read (args) { return args }))
      const path = Object.keys(doc.paths)[0]
      const operation = doc.paths[path].get
      t.strictSame(operation.parameters, c.parameters, 'parameters')
      t.strictSame(operation.responses['422'], VALIDATION_422, '422')
      const { HTTPValidationError, ValidationError, ...schemas } = doc.components.schemas
      t.ok(HTTPValidationError !== undefined && ValidationError !== undefined, 'validation error components')
      t.strictSame(schemas, c.schemas ?? {}, 'other components')
    })
  }

  t.test('a route whose only parameter is hidden keeps its 422', async t => {
    // @app.get("/hidden_query") def hidden_query(hidden_query: str | None = Query(None, include_in_schema=False))
    // FastAPI (test_param_include_in_schema.py): no "parameters", but the 422 response.
    const doc = await documentWith(t, app => app.api.get('/hidden_query', {
      args: { hidden_query: Query(z.string().optional(), { includeInSchema: false }) }
    }, function hidden_query (args) { return args }))
    t.strictSame(doc.paths['/hidden_query'].get, {
      summary: 'Hidden Query',
      operationId: 'hidden_query_hidden_query_get',
      responses: { 200: OK_200, 422: VALIDATION_422 }
    })
  })
})

// ---------------------------------------------------------------------------------------------
// Operation metadata

t.test('summary and operationId from the handler name', async t => {
  // @app.post("/users/{user_id}") def create_user(...) → summary "Create User",
  // operationId "create_user_users__user_id__post" (route.name + path, non-word characters as "_", + method).
  // A camelCase name is split into words too (Python's str.title() would give "Createuser").
  const cases: Array<[string, string, string]> = [
    ['create_user', 'Create User', 'create_user_users__user_id__post'],
    ['createUser', 'Create User', 'createUser_users__user_id__post'],
    ['get_v2_items', 'Get V2 Items', 'get_v2_items_users__user_id__post']
  ]
  for (const [name, summary, operationId] of cases) {
    const doc = await documentWith(t, app => app.api.post('/users/:user_id', { args: { user_id: Path(z.string()) } }, named(name)))
    t.equal(doc.paths['/users/{user_id}'].post.summary, summary, `${name}: summary`)
    t.equal(doc.paths['/users/{user_id}'].post.operationId, operationId, `${name}: operationId`)
  }
})

t.test('declared summary, description, tags, operationId, deprecated and responseDescription', async t => {
  // @app.get("/items/{item_id}", tags=["items"], summary="Read one item", description="Reads *one* item.",
  //          operation_id="getItem", deprecated=True, response_description="The item")
  // FastAPI: {"tags": ["items"], "summary": "Read one item", "description": "Reads *one* item.",
  //   "operationId": "getItem", "deprecated": True, "parameters": [...],
  //   "responses": {"200": {"description": "The item", ...}, "422": {...}}}
  const doc = await documentWith(t, app => app.api.get('/items/:item_id', {
    args: { item_id: Path(z.string()) },
    tags: ['items'],
    summary: 'Read one item',
    description: 'Reads *one* item.',
    operationId: 'getItem',
    deprecated: true,
    responseDescription: 'The item'
  }, function readItem (args) { return args }))
  t.strictSame(doc.paths['/items/{item_id}'].get, {
    tags: ['items'],
    summary: 'Read one item',
    description: 'Reads *one* item.',
    operationId: 'getItem',
    deprecated: true,
    parameters: [{ name: 'item_id', in: 'path', required: true, schema: { type: 'string', title: 'Item Id' } }],
    responses: {
      200: { description: 'The item', content: { 'application/json': { schema: {} } } },
      422: VALIDATION_422
    }
  })
})

t.test('an anonymous handler is named after its method and path', async t => {
  // FastAPI names a lambda "<lambda>": summary "<Lambda>", operationId "_lambda__items__item_id__get".
  // We have nothing better than the method and the path's words (a documented difference).
  const doc = await documentWith(t, app => {
    app.api.get('/items/:item_id', { args: { item_id: Path(z.string()) } }, args => args)
    app.api.delete('/', {}, () => null)
  })
  t.equal(doc.paths['/items/{item_id}'].get.summary, 'Get Items Item Id')
  t.equal(doc.paths['/items/{item_id}'].get.operationId, 'get_items_item_id_items__item_id__get')
  t.equal(doc.paths['/'].delete.summary, 'Delete')
  t.equal(doc.paths['/'].delete.operationId, 'delete__delete')
})

t.test('duplicate operationIds are numbered', async t => {
  // FastAPI only warns "Duplicate Operation ID" and writes the duplicates, which makes the document
  // invalid; we number the later ones instead (a documented difference).
  const doc = await documentWith(t, app => {
    app.api.get('/a', { operationId: 'listThings' }, function a () { return 1 })
    app.api.get('/b', { operationId: 'listThings' }, function b () { return 1 })
    app.api.get('/c', { operationId: 'listThings' }, function c () { return 1 })
    app.api.get('/x', {}, function same () { return 1 })
    app.api.get('/y', { operationId: 'same_x_get' }, function other () { return 1 })
  })
  t.strictSame(
    ['/a', '/b', '/c', '/x', '/y'].map(path => doc.paths[path].get.operationId),
    ['listThings', 'listThings_2', 'listThings_3', 'same_x_get', 'same_x_get_2']
  )
})

t.test('a route with several methods has one operation per method', async t => {
  // @app.api_route("/things", methods=["GET", "POST"]) def things(): FastAPI writes both operations with
  // the same operationId (its unique_id takes the first method); ours are distinct.
  const doc = await documentWith(t, app => app.api.route(['GET', 'POST'], '/things', {}, function things () { return 1 }))
  t.strictSame(doc.paths['/things'], {
    get: { summary: 'Things', operationId: 'things_things_get', responses: { 200: OK_200 } },
    post: { summary: 'Things', operationId: 'things_things_post', responses: { 200: OK_200 } }
  })
})

t.test('includeInSchema: false leaves a route and its models out', async t => {
  // @app.get("/secret", include_in_schema=False, response_model=Secret) def secret(q: str): ...
  // FastAPI: no path, no Secret component, and no validation components when no documented route needs them.
  const Secret = z.object({ code: z.string() }).meta({ id: 'Secret' })
  const doc = await documentWith(t, app => {
    app.api.get('/secret', { includeInSchema: false, responseModel: Secret, args: { q: Query(z.string()) } }, function secret () { return { code: 'x' } })
    app.api.get('/public', {}, function pub () { return 1 })
  })
  t.strictSame(Object.keys(doc.paths), ['/public'])
  t.notOk('components' in doc, 'no components at all')
})

t.test('routes in a prefixed plugin are documented with the prefix', async t => {
  // app.include_router(router, prefix="/admin") with @router.get("/items/{item_id}") def read_admin_item(item_id: int)
  // FastAPI: "/admin/items/{item_id}", operationId "read_admin_item_admin_items__item_id__get".
  const doc = await documentWith(t, app => app.register(async function admin (admin) {
    admin.api.get('/items/:item_id', { args: { item_id: Path(z.number().int()) } }, function read_admin_item (args) { return args })
  }, { prefix: '/admin' }))
  t.strictSame(Object.keys(doc.paths), ['/admin/items/{item_id}'])
  t.equal(doc.paths['/admin/items/{item_id}'].get.operationId, 'read_admin_item_admin_items__item_id__get')
})

// ---------------------------------------------------------------------------------------------
// Request bodies

const Item = z.object({
  name: z.string(),
  description: z.string().nullable().optional(),
  price: z.number(),
  tax: z.number().nullable().optional()
}).meta({ id: 'Item' })
const User = z.object({ username: z.string(), full_name: z.string().nullable().optional() }).meta({ id: 'User' })

const ITEM_SCHEMA = {
  title: 'Item',
  type: 'object',
  properties: {
    name: { title: 'Name', type: 'string' },
    description: { title: 'Description', anyOf: [{ type: 'string' }, { type: 'null' }] },
    price: { title: 'Price', type: 'number' },
    tax: { title: 'Tax', anyOf: [{ type: 'number' }, { type: 'null' }] }
  },
  required: ['name', 'price']
}

t.test('request bodies', async t => {
  t.test('one named model: a reference, required', async t => {
    // @app.post("/items/") def create_item(item: Item)   (test_body/test_tutorial001.py)
    // FastAPI: "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
    //   "required": True}; components.schemas.Item as below (nullable fields as anyOf [..., null]).
    const doc = await documentWith(t, app => app.api.post('/items/', { args: { item: Body(Item) } }, function create_item (args) { return args }))
    t.strictSame(doc.paths['/items/'].post.requestBody, {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
      required: true
    })
    t.strictSame(doc.components.schemas.Item, ITEM_SCHEMA)
  })

  t.test('several Body arguments: one Body_<operationId> model', async t => {
    // @app.put("/items/{item_id}") def update_item(item_id: int, item: Item, user: User, importance: int = Body())
    // FastAPI (test_body_multiple_params/test_tutorial003.py):
    //   "Body_update_item_items__item_id__put": {"title": "Body_update_item_items__item_id__put",
    //     "required": ["item", "user", "importance"], "type": "object", "properties": {
    //     "item": {"$ref": "#/components/schemas/Item"}, "user": {"$ref": "#/components/schemas/User"},
    //     "importance": {"title": "Importance", "type": "integer"}}}
    const doc = await documentWith(t, app => app.api.put('/items/:item_id', {
      args: { item_id: Path(z.number().int()), item: Body(Item), user: Body(User), importance: Body(z.number().int()) }
    }, function update_item (args) { return args }))
    const operation = doc.paths['/items/{item_id}'].put
    t.strictSame(operation.requestBody, {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Body_update_item_items__item_id__put' } } },
      required: true
    })
    t.strictSame(operation.parameters, [{ name: 'item_id', in: 'path', required: true, schema: { type: 'integer', title: 'Item Id' } }])
    t.strictSame(doc.components.schemas.Body_update_item_items__item_id__put, {
      properties: {
        item: { $ref: '#/components/schemas/Item' },
        user: { $ref: '#/components/schemas/User' },
        importance: { type: 'integer', title: 'Importance' }
      },
      type: 'object',
      required: ['item', 'user', 'importance'],
      title: 'Body_update_item_items__item_id__put'
    })
    t.strictSame(Object.keys(doc.components.schemas), ['Body_update_item_items__item_id__put', 'HTTPValidationError', 'Item', 'User', 'ValidationError'])
  })

  t.test('Body(x, { embed: true }): a Body_ model with one property', async t => {
    // @app.put("/items/{item_id}") def update_item(item_id: int, item: Item = Body(embed=True))
    // FastAPI (test_body_multiple_params/test_tutorial005.py): {"properties": {"item": {"$ref": ".../Item"}},
    //   "required": ["item"], "title": "Body_update_item_items__item_id__put", "type": "object"}
    const doc = await documentWith(t, app => app.api.put('/items/:item_id', {
      args: { item_id: Path(z.number().int()), item: Body(Item, { embed: true }) }
    }, function update_item (args) { return args }))
    t.strictSame(doc.components.schemas.Body_update_item_items__item_id__put, {
      properties: { item: { $ref: '#/components/schemas/Item' } },
      type: 'object',
      required: ['item'],
      title: 'Body_update_item_items__item_id__put'
    })
    t.equal(doc.paths['/items/{item_id}'].put.requestBody.required, true)
  })

  t.test('an optional body: requestBody.required absent', async t => {
    // @app.put("/items/{item_id}") def update_item(item_id: int, item: Item | None = None)
    // FastAPI (test_body_multiple_params/test_tutorial001.py): no "required"; the schema is
    // {"anyOf": [{"$ref": ".../Item"}, {"type": "null"}], "title": "Item"} — ours accepts no null, so a bare $ref.
    const doc = await documentWith(t, app => app.api.put('/items/:item_id', {
      args: { item_id: Path(z.number().int()), item: Body(Item.optional()) }
    }, function update_item (args) { return args }))
    t.strictSame(doc.paths['/items/{item_id}'].put.requestBody, {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } }
    })
  })

  t.test('several optional Body arguments: no required list, body not required', async t => {
    // def update(importance: int | None = Body(None), note: str = Body("none"))
    // FastAPI: Body_update_notes_put without "required"; requestBody without "required"; note has "default".
    const doc = await documentWith(t, app => app.api.put('/notes', {
      args: { importance: Body(z.number().int().optional()), note: Body(z.string(), { default: 'none' }) }
    }, function update (args) { return args }))
    t.strictSame(doc.paths['/notes'].put.requestBody, {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Body_update_notes_put' } } }
    })
    t.strictSame(doc.components.schemas.Body_update_notes_put, {
      properties: {
        importance: { type: 'integer', title: 'Importance' },
        note: { default: 'none', type: 'string', title: 'Note' }
      },
      type: 'object',
      title: 'Body_update_notes_put'
    })
  })

  t.test('one unnamed body: inline, titled after the argument', async t => {
    // @app.post("/items") def create(items: list[str]): FastAPI inlines a body that is no model, titled after
    // the argument: {"title": "Items", "type": "array", "items": {"type": "string"}}
    const doc = await documentWith(t, app => app.api.post('/items', { args: { items: Body(z.array(z.string())) } }, function create (args) { return args }))
    t.strictSame(doc.paths['/items'].post.requestBody, {
      content: { 'application/json': { schema: { type: 'array', items: { type: 'string' }, title: 'Items' } } },
      required: true
    })
  })

  t.test('Form fields: an urlencoded Body_ model', async t => {
    // @app.post("/login/") def login(username: str = Form(), password: str = Form())
    // FastAPI (test_request_forms/test_tutorial001.py): "application/x-www-form-urlencoded" with
    //   "Body_login_login__post": {"title": "Body_login_login__post", "required": ["username", "password"],
    //   "type": "object", "properties": {"username": {"title": "Username", "type": "string"},
    //   "password": {"title": "Password", "type": "string"}}}
    const doc = await documentWith(t, app => app.api.post('/login/', {
      args: { username: Form(z.string()), password: Form(z.string()) }
    }, function login (args) { return args }))
    t.strictSame(doc.paths['/login/'].post.requestBody, {
      content: { 'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/Body_login_login__post' } } },
      required: true
    })
    t.strictSame(doc.components.schemas.Body_login_login__post, {
      properties: { username: { type: 'string', title: 'Username' }, password: { type: 'string', title: 'Password' } },
      type: 'object',
      required: ['username', 'password'],
      title: 'Body_login_login__post'
    })
  })

  t.test('no requestBody for a method without one', async t => {
    // @app.options("/items") def opts(item: Item): FastAPI documents bodies only for GET, HEAD, POST, PUT,
    // DELETE and PATCH (METHODS_WITH_BODY); the 422 stays.
    const doc = await documentWith(t, app => app.api.options('/items', { args: { item: Body(Item) } }, function opts (args) { return args }))
    t.notOk('requestBody' in doc.paths['/items'].options)
    t.strictSame(doc.paths['/items'].options.responses['422'], VALIDATION_422)
  })
})

t.test('examples/security: the OAuth2 password form', async t => {
  const app = await buildSecurityExample()
  t.teardown(() => app.close())
  const doc = await documentOf(t, app)

  // FastAPI's tutorial (test_tutorial/test_security/test_tutorial003.py): login(form_data: OAuth2PasswordRequestForm = Depends()).
  t.test('POST /token and GET /users/me as FastAPI', async t => {
    t.strictSame(doc.paths['/token'].post, {
      summary: 'Login',
      operationId: 'login_token_post',
      requestBody: {
        content: { 'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/Body_login_token_post' } } },
        required: true
      },
      responses: { 200: OK_200, 422: VALIDATION_422 }
    })
    const me = doc.paths['/users/me'].get
    t.equal(me.summary, 'Read Users Me')
    t.strictSame(me.security, [{ OAuth2PasswordBearer: [] }])
    t.strictSame(Object.keys(me.responses), ['200'], 'no 422: the route reads no parameter')
    t.strictSame(doc.components.securitySchemes, {
      OAuth2PasswordBearer: { type: 'oauth2', flows: { password: { scopes: {}, tokenUrl: 'token' } } }
    })
  })

  t.test('Body_login_token_post: the fields FastAPI documents', async t => {
    const body = doc.components.schemas.Body_login_token_post
    t.equal(body.title, 'Body_login_token_post')
    t.equal(body.type, 'object')
    t.strictSame(body.required, ['username', 'password'])
    t.strictSame(Object.keys(body.properties), ['grant_type', 'username', 'password', 'scope', 'client_id', 'client_secret'])
    t.strictSame(body.properties.username, { type: 'string', title: 'Username' })
    t.strictSame(body.properties.scope, { default: '', type: 'string', title: 'Scope' })
    t.equal(body.properties.password.format, 'password')
    t.equal(body.properties.client_secret.anyOf[0].format, 'password')
    t.equal(body.properties.grant_type.title, 'Grant Type')
  })

  t.test('Body_login_token_post as FastAPI, secrets marked writeOnly', async t => {
    // test_tutorial/test_security/test_tutorial003.py, with two documented differences: the
    // secrets carry `writeOnly` (they are never echoed back), and client_secret's `format` sits in
    // its string branch (FastAPI's json_schema_extra puts it beside the anyOf).
    t.strictSame(doc.components.schemas.Body_login_token_post, {
      title: 'Body_login_token_post',
      required: ['username', 'password'],
      type: 'object',
      properties: {
        grant_type: { title: 'Grant Type', anyOf: [{ pattern: '^password$', type: 'string' }, { type: 'null' }] },
        username: { title: 'Username', type: 'string' },
        password: { title: 'Password', type: 'string', writeOnly: true, format: 'password' },
        scope: { title: 'Scope', type: 'string', default: '' },
        client_id: { title: 'Client Id', anyOf: [{ type: 'string' }, { type: 'null' }] },
        client_secret: { title: 'Client Secret', anyOf: [{ type: 'string', writeOnly: true, format: 'password' }, { type: 'null' }] }
      }
    })
  })
})

t.test('a secret that is not a string: its type as input, the password string it is sent as on output', async t => {
  const Account = z.object({
    user: z.string(),
    pin: Field(z.number().int(), { secret: true, ge: 0, description: 'The PIN' }),
    codes: Field(z.array(z.string()), { secret: true })
  }).meta({ id: 'Account' })
  const doc = await documentWith(t, app => {
    app.api.put('/accounts/:id', { args: { id: Path(z.string()), account: Body(Account) }, responseModel: Account }, function replaceAccount ({ account }) { return account })
  })
  const { schemas } = doc.components
  t.strictSame(schemas['Account-Input'].properties.pin, { type: 'integer', minimum: 0, description: 'The PIN', writeOnly: true, title: 'Pin' })
  t.strictSame(schemas['Account-Input'].properties.codes, { type: 'array', items: { type: 'string' }, writeOnly: true, title: 'Codes' })
  t.strictSame(schemas['Account-Output'].properties.pin, { description: 'The PIN', writeOnly: true, title: 'Pin', type: 'string', format: 'password' })
  t.strictSame(schemas['Account-Output'].properties.codes, { writeOnly: true, title: 'Codes', type: 'string', format: 'password' })
  t.strictSame(schemas['Account-Output'].properties.user, { type: 'string', title: 'User' })
})

// ---------------------------------------------------------------------------------------------
// Responses

const Message = z.object({ message: z.string() }).meta({ id: 'Message' })

t.test('responses', async t => {
  t.test('extra responses: a model, a description, both', async t => {
    // @app.get("/items/{item_id}", response_model=Item, responses={404: {"model": Message},
    //          403: {"description": "Not yours"}, 409: {"model": Message, "description": "Taken"}})
    // FastAPI (test_additional_responses/test_tutorial001.py): "404": {"description": "Not Found",
    //   "content": {"application/json": {"schema": {"$ref": ".../Message"}}}}; a description wins over the phrase.
    const doc = await documentWith(t, app => app.api.get('/items/:item_id', {
      responseModel: Item,
      responses: { 404: { model: Message }, 403: { description: 'Not yours' }, 409: { model: Message, description: 'Taken' } },
      args: { item_id: Path(z.string()) }
    }, function read_item () { return { name: 'x', price: 1 } }))
    t.strictSame(doc.paths['/items/{item_id}'].get.responses, {
      200: { description: 'Successful Response', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
      403: { description: 'Not yours' },
      404: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Message' } } }, description: 'Not Found' },
      409: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Message' } } }, description: 'Taken' },
      422: VALIDATION_422
    })
    t.strictSame(doc.components.schemas.Message, {
      title: 'Message', type: 'object', properties: { message: { title: 'Message', type: 'string' } }, required: ['message']
    })
  })

  t.test("an extra response at the route's own status code replaces its description and schema", async t => {
    // @app.get("/", responses={200: {"model": Message, "description": "A message"}}) def root(): ...
    // FastAPI merges it into the "200" response: description "A message", schema $ref Message.
    const doc = await documentWith(t, app => app.api.get('/', {
      responses: { 200: { model: Message, description: 'A message' } }
    }, function root () { return { message: 'hi' } }))
    t.strictSame(doc.paths['/'].get.responses, {
      200: { description: 'A message', content: { 'application/json': { schema: { $ref: '#/components/schemas/Message' } } } }
    })
  })

  t.test('a 4XX or default response replaces the 422', async t => {
    // @app.get("/a", responses={"4XX": {"model": Message}}) def a(q: str) — FastAPI adds no 422 when
    // "422", "4XX" or "default" is declared (get_openapi_path in fastapi/openapi/utils.py); a declared 422
    // replaces FastAPI's (test_additional_responses_custom_validationerror.py).
    const doc = await documentWith(t, app => {
      app.api.get('/a', { responses: { '4XX': { model: Message } }, args: { q: Query(z.string()) } }, function a (args) { return args })
      app.api.get('/b', { responses: { default: { model: Message } }, args: { q: Query(z.string()) } }, function b (args) { return args })
      app.api.get('/c', { responses: { 422: { model: Message, description: 'Bad' } }, args: { q: Query(z.string()) } }, function c (args) { return args })
    })
    t.strictSame(Object.keys(doc.paths['/a'].get.responses), ['200', '4XX'])
    t.strictSame(Object.keys(doc.paths['/b'].get.responses), ['200', 'default'])
    t.strictSame(doc.paths['/c'].get.responses['422'], {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Message' } } }, description: 'Bad'
    })
    t.notOk('HTTPValidationError' in doc.components.schemas, 'no validation components')
  })

  t.test('the description of a range or default response without one', async t => {
    // @app.get("/", responses={"5XX": {}, "default": {}}) def root(): ...
    const doc = await documentWith(t, app => app.api.get('/', { responses: { '5XX': {}, '2XX': {}, default: {} } }, function root () { return 1 }))
    const responses = doc.paths['/'].get.responses
    t.equal(responses['5XX'].description, 'Server Error')
    t.equal(responses['2XX'].description, 'Success')
    t.equal(responses.default.description, 'Default Response')
  })

  t.test('statusCode 204: no content', async t => {
    // @app.delete("/items/{item_id}", status_code=204) def delete_item(item_id: str)
    // FastAPI (test_response_code_no_body.py): "204": {"description": "Successful Response"}.
    const doc = await documentWith(t, app => app.api.delete('/items/:item_id', { statusCode: 204, args: { item_id: Path(z.string()) } }, function delete_item () { return null }))
    t.strictSame(doc.paths['/items/{item_id}'].delete.responses, { 204: { description: 'Successful Response' }, 422: VALIDATION_422 })
  })

  t.test('statusCode 304 and 205: no content either; 201: content', async t => {
    // FastAPI's is_body_allowed_for_status_code: no body below 200, for 204, 205 and 304.
    const doc = await documentWith(t, app => {
      app.api.get('/a', { statusCode: 304 }, function a () { return null })
      app.api.get('/b', { statusCode: 205 }, function b () { return null })
      app.api.get('/c', { statusCode: 201 }, function c () { return null })
    })
    t.strictSame(doc.paths['/a'].get.responses, { 304: { description: 'Successful Response' } })
    t.strictSame(doc.paths['/b'].get.responses, { 205: { description: 'Successful Response' } })
    t.strictSame(doc.paths['/c'].get.responses, { 201: OK_200 })
  })

  t.test('a route with no parameters or body has no 422, and the document no components', async t => {
    // @app.get("/") def root(): FastAPI → {"summary": "Root", "operationId": "root__get",
    //   "responses": {"200": {...}}}; with no definitions, no "components" key.
    const doc = await documentWith(t, app => app.api.get('/', {}, function root () { return { hello: 'world' } }))
    t.strictSame(doc.paths['/'].get, { summary: 'Root', operationId: 'root__get', responses: { 200: OK_200 } })
    t.notOk('components' in doc)
  })

  t.test('an unnamed response model is inlined', async t => {
    // @app.get("/stats", response_model=dict[str, int]) — FastAPI inlines a schema that is no model.
    const doc = await documentWith(t, app => app.api.get('/stats', { responseModel: z.record(z.string(), z.number().int()) }, function stats () { return {} }))
    t.strictSame(doc.paths['/stats'].get.responses['200'].content['application/json'].schema.additionalProperties, { type: 'integer' })
  })

  t.test('an inline response schema is titled "Response <operationId>"', async t => {
    // @app.get("/items/") def list_items() -> list[Item]
    // FastAPI (test_tutorial/test_separate_openapi_schemas/test_tutorial001.py): {"items": {"$ref": ...},
    //   "type": "array", "title": "Response Read Items Items  Get"} — here "Response List Items Items Get".
    const doc = await documentWith(t, app => app.api.get('/items', { responseModel: z.array(Item) }, function list_items () { return [] }))
    t.strictSame(doc.paths['/items'].get.responses['200'].content['application/json'].schema, {
      type: 'array', items: { $ref: '#/components/schemas/Item' }, title: 'Response List Items Items Get'
    })
  })
})

// ---------------------------------------------------------------------------------------------
// Components: input and output schemas

// A model whose output differs from its input: `tags` has a default, so it is optional on input and
// always present on output. (pydantic marks such fields required on output only with
// `json_schema_serialization_defaults_required=True`, as test_openapi_separate_input_output_schemas.py
// sets; its default config writes one schema.)
// `size` reads a string and gives its length: the two sides really differ, as a pydantic field
// with a serializer (or a computed field) makes them. A default alone does not: pydantic's
// serialization schema keeps a defaulted field optional (FastAPI's default config).
const Tagged = z.object({
  name: z.string(),
  tags: z.array(z.string()).default([]),
  size: z.string().transform(text => text.length).pipe(z.number())
}).meta({ id: 'Tagged' })
const TAGGED_INPUT = {
  name: { title: 'Name', type: 'string' },
  tags: { title: 'Tags', default: [], type: 'array', items: { type: 'string' } },
  size: { title: 'Size', type: 'string' }
}
const TAGGED_OUTPUT = { ...TAGGED_INPUT, size: { title: 'Size', type: 'number' } }

async function taggedDocument (t: any, options: FastifyFastapiOptions): Promise<Json> {
  // @app.post("/items/", response_model=Tagged) def create_item(item: Tagged)
  return await documentWith(t, app => app.api.post('/items/', { responseModel: Tagged, args: { item: Body(Tagged) } }, function create_item ({ item }) { return { ...item, size: 'x'.repeat(item.size) } }), options)
}

t.test('components', async t => {
  t.test('a model that differs as input and output: -Input and -Output', async t => {
    // FastAPI (test_openapi_separate_input_output_schemas.py, WithComputedField): "-Input" and
    //   "-Output" variants of a model whose two sides differ.
    const doc = await taggedDocument(t, {})
    const operation = doc.paths['/items/'].post
    t.strictSame(operation.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/Tagged-Input' })
    t.strictSame(operation.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/Tagged-Output' })
    t.strictSame(doc.components.schemas['Tagged-Input'], { title: 'Tagged', type: 'object', properties: TAGGED_INPUT, required: ['name', 'size'] })
    t.strictSame(doc.components.schemas['Tagged-Output'], { title: 'Tagged', type: 'object', properties: TAGGED_OUTPUT, required: ['name', 'size'] })
    t.notOk('Tagged' in doc.components.schemas)
  })

  t.test('separateInputOutputSchemas: false: one schema, the input one', async t => {
    // FastAPI(separate_input_output_schemas=False) (same test file): "Item" {"required": ["name"], ...} for both.
    const doc = await taggedDocument(t, { separateInputOutputSchemas: false })
    const operation = doc.paths['/items/'].post
    t.strictSame(operation.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/Tagged' })
    t.strictSame(operation.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/Tagged' })
    t.strictSame(doc.components.schemas.Tagged, { title: 'Tagged', type: 'object', properties: TAGGED_INPUT, required: ['name', 'size'] })
    t.notOk('Tagged-Input' in doc.components.schemas)
  })

  t.test('a model used only as output keeps its plain name', async t => {
    const doc = await documentWith(t, app => app.api.get('/items/', { responseModel: Tagged }, function read_items () { return { name: 'x', size: 'abc' } }))
    t.strictSame(Object.keys(doc.components.schemas), ['Tagged'])
    t.strictSame(doc.components.schemas.Tagged.properties, TAGGED_OUTPUT)
    t.strictSame(doc.components.schemas.Tagged.required, ['name', 'size'], 'a defaulted field stays optional, as pydantic writes it')
  })

  t.test('a model that does not differ: one schema', async t => {
    // class Item(BaseModel): name: str; price: float — used as body and response_model: one "Item".
    const doc = await documentWith(t, app => app.api.post('/items/', { responseModel: Item, args: { item: Body(Item) } }, function create_item ({ item }) { return item }))
    t.strictSame(doc.components.schemas.Item, ITEM_SCHEMA)
    t.strictSame(Object.keys(doc.components.schemas), ['HTTPValidationError', 'Item', 'ValidationError'])
  })

  t.test('docs options on a named model: a reference with the option beside it', async t => {
    // @app.put("/items/{item_id}") def update_item(item_id: int, item: Item = Body(examples=[{"name": "Foo", ...}]))
    // FastAPI (test_tutorial/test_schema_extra_example/test_tutorial003.py): "schema": {"$ref": "#/components/schemas/Item",
    //   "examples": [{...}]}. And def get_model(model_name: ModelName = Path(description="The model")): the
    //   parameter has "description": "The model", its schema the $ref with the description beside it.
    const ModelName = z.enum(['alexnet', 'resnet']).meta({ id: 'ModelName' })
    const Wrapper = z.object({ kind: Field(ModelName, { description: 'Which model' }) }).meta({ id: 'Wrapper' })
    const doc = await documentWith(t, app => {
      app.api.put('/items/:item_id', { args: { item_id: Path(z.number().int()), item: Body(Item, { examples: [{ name: 'Foo', price: 35.4 }] }) } }, function update_item (args) { return args })
      app.api.get('/models/:model_name', { args: { model_name: Path(ModelName, { description: 'The model' }) } }, function get_model (args) { return args })
      app.api.post('/wrappers', { args: { wrapper: Body(Wrapper) } }, function create_wrapper (args) { return args })
    })
    t.strictSame(doc.paths?.['/items/{item_id}']?.put.requestBody.content['application/json'].schema, {
      $ref: '#/components/schemas/Item', examples: [{ name: 'Foo', price: 35.4 }]
    })
    const parameter = doc.paths?.['/models/{model_name}']?.get.parameters[0]
    t.equal(parameter?.description, 'The model')
    t.strictSame(parameter?.schema, { $ref: '#/components/schemas/ModelName', description: 'The model' })
    t.strictSame(doc.components?.schemas?.Wrapper?.properties?.kind, { $ref: '#/components/schemas/ModelName', description: 'Which model' })
  })

  t.test('a model that contains one that differs is split too', async t => {
    // class Outer(BaseModel): name: str; sub: Tagged — used as body and response model.
    const Outer = z.object({ name: z.string(), sub: Tagged }).meta({ id: 'Outer' })
    const doc = await documentWith(t, app => app.api.post('/outer', { responseModel: Outer, args: { outer: Body(Outer) } }, function create_outer ({ outer }) { return { ...outer, sub: { ...outer.sub, size: 'x'.repeat(outer.sub.size) } } }))
    const operation = doc.paths['/outer'].post
    t.strictSame(operation.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/Outer-Input' })
    t.strictSame(operation.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/Outer-Output' })
    t.strictSame(doc.components.schemas['Outer-Input']?.properties?.sub, { $ref: '#/components/schemas/Tagged-Input' })
    t.strictSame(doc.components.schemas['Outer-Output']?.properties?.sub, { $ref: '#/components/schemas/Tagged-Output' })
  })
})

// ---------------------------------------------------------------------------------------------
// Dependencies

t.test('dependency parameters', async t => {
  t.test('a parameter read by the route and by a dependency is listed once', async t => {
    // def common(q: str | None = None, x: str = Header()): ...
    // @app.get("/items") def read(q: str | None = None, c=Depends(common), c2=Depends(common))
    // FastAPI dedupes by (in, name): q once, then x.
    const common = dependency({ q: Query(z.string().optional()), x: Header(z.string()) }, function common (args) { return args })
    const doc = await documentWith(t, app => app.api.get('/items', {
      args: { q: Query(z.string().optional()), c: Depends(common), c2: Depends(common) }
    }, function read (args) { return args }))
    t.strictSame(doc.paths['/items'].get.parameters, [
      { name: 'q', in: 'query', required: false, schema: { type: 'string', title: 'Q' } },
      { name: 'x', in: 'header', required: true, schema: { type: 'string', title: 'X' } }
    ])
  })

  t.test('sub-dependencies, route dependencies and app dependencies are all documented', async t => {
    // def verify_key(x_key: str = Header()); def query_extractor(q: str | None = None)
    // def query_or_cookie(q=Depends(query_extractor), last_query: str | None = Cookie(None))
    // app = FastAPI(dependencies=[Depends(verify_key)])
    // @app.get("/items", dependencies=[Depends(verify_token)]) def read(skip: int = 0, v=Depends(query_or_cookie))
    // FastAPI: query skip, q; header x-key, x-token; cookie last_query.
    const verifyKey = dependency({ xKey: Header(z.string()) }, function verifyKey () {})
    const verifyToken = dependency({ xToken: Header(z.string()) }, function verifyToken () {})
    const queryExtractor = dependency({ q: Query(z.string().optional()) }, function queryExtractor ({ q }) { return q })
    const queryOrCookie = dependency({ q: Depends(queryExtractor), lastQuery: Cookie(z.string().optional(), { alias: 'last_query' }) }, function queryOrCookie ({ q, lastQuery }) { return q ?? lastQuery })
    const doc = await documentWith(t, app => app.api.get('/items', {
      dependencies: [Depends(verifyToken)],
      args: { skip: Query(z.number().int(), { default: 0 }), v: Depends(queryOrCookie) }
    }, function read (args) { return args }), { dependencies: [Depends(verifyKey)] })
    t.strictSame(doc.paths['/items'].get.parameters.map((p: Json) => `${p.in} ${p.name} ${p.required}`), [
      'query skip false', 'query q false', 'header x-key true', 'header x-token true', 'cookie last_query false'
    ])
  })

  t.test('a dependency that reads nothing adds no 422', async t => {
    // def get_db(): yield db  —  @app.get("/items") def read(db=Depends(get_db)): FastAPI has no params, no 422.
    const getDb = dependency({}, function getDb () { return {} })
    const doc = await documentWith(t, app => app.api.get('/items', { args: { db: Depends(getDb) } }, function read () { return 1 }))
    t.strictSame(doc.paths['/items'].get, { summary: 'Read', operationId: 'read_items_get', responses: { 200: OK_200 } })
  })
})

// ---------------------------------------------------------------------------------------------
// Security

t.test('security', async t => {
  t.test('OAuth2PasswordBearer, HTTPBasic and APIKeyHeader: schemes and requirements', async t => {
    // oauth2 = OAuth2PasswordBearer(tokenUrl="token"); basic = HTTPBasic(); key = APIKeyHeader(name="key")
    // @app.get("/a") def a(t=Depends(oauth2)); @app.get("/b") def b(c=Depends(basic), k=Depends(key))
    // FastAPI (test_security_oauth2*.py, test_security_http_basic_optional.py, test_security_api_key_header.py):
    //   {"OAuth2PasswordBearer": {"type": "oauth2", "flows": {"password": {"scopes": {}, "tokenUrl": "token"}}},
    //    "HTTPBasic": {"type": "http", "scheme": "basic"}, "APIKeyHeader": {"type": "apiKey", "name": "key", "in": "header"}}
    const oauth2 = OAuth2PasswordBearer({ tokenUrl: 'token' })
    const basic = HTTPBasic()
    const key = APIKeyHeader({ name: 'key' })
    const doc = await documentWith(t, app => {
      app.api.get('/a', { args: { token: Depends(oauth2) } }, function a () { return 1 })
      app.api.get('/b', { args: { credentials: Depends(basic), key: Depends(key) } }, function b () { return 1 })
      app.api.get('/c', {}, function c () { return 1 })
    })
    t.strictSame(doc.components.securitySchemes, {
      OAuth2PasswordBearer: { type: 'oauth2', flows: { password: { scopes: {}, tokenUrl: 'token' } } },
      HTTPBasic: { type: 'http', scheme: 'basic' },
      APIKeyHeader: { type: 'apiKey', in: 'header', name: 'key' }
    })
    t.strictSame(doc.paths['/a'].get.security, [{ OAuth2PasswordBearer: [] }])
    t.strictSame(doc.paths['/b'].get.security, [{ HTTPBasic: [] }, { APIKeyHeader: [] }])
    t.notOk('security' in doc.paths['/c'].get, 'no security where none is used')
    t.notOk('schemas' in doc.components, 'security schemes read no parameters: no validation components')
  })

  t.test('OAuth2AuthorizationCodeBearer and OpenIdConnect', async t => {
    // FastAPI (test_security_oauth2_authorization_code_bearer.py, test_security_openid_connect.py):
    //   OAuth2AuthorizationCodeBearer(authorizationUrl="authorize", tokenUrl="token") →
    //   {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "authorize", "tokenUrl": "token", "scopes": {}}}}
    //   OpenIdConnect(openIdConnectUrl="/openid") → {"type": "openIdConnect", "openIdConnectUrl": "/openid"}
    const code = OAuth2AuthorizationCodeBearer({ authorizationUrl: 'authorize', tokenUrl: 'token' })
    const oidc = OpenIdConnect({ openIdConnectUrl: '/openid' })
    const doc = await documentWith(t, app => {
      app.api.get('/items/', { args: { token: Depends(code) } }, function read_items () { return 1 })
      app.api.get('/users/me', { args: { user: Depends(oidc) } }, function read_current_user () { return 1 })
    })
    t.strictSame(doc.components.securitySchemes, {
      OAuth2AuthorizationCodeBearer: { type: 'oauth2', flows: { authorizationCode: { scopes: {}, authorizationUrl: 'authorize', tokenUrl: 'token' } } },
      OpenIdConnect: { type: 'openIdConnect', openIdConnectUrl: '/openid' }
    })
    t.strictSame(doc.paths['/items/'].get.security, [{ OAuth2AuthorizationCodeBearer: [] }])
    t.strictSame(doc.paths['/users/me'].get.security, [{ OpenIdConnect: [] }])
  })

  t.test('Security(dep, { scopes }) accumulates scopes, the outer ones first', async t => {
    // FastAPI's tutorial005 (test_tutorial/test_security/test_tutorial005.py):
    // get_current_user(security_scopes: SecurityScopes, token=Depends(oauth2_scheme))
    // get_current_active_user(current_user=Security(get_current_user, scopes=["me"]))
    // read_users_me(u=Depends(get_current_active_user)) → [{"OAuth2PasswordBearer": ["me"]}]
    // read_own_items(u=Security(get_current_active_user, scopes=["items"])) → [{"OAuth2PasswordBearer": ["items", "me"]}]
    // read_system_status(u=Depends(get_current_user)) → [{"OAuth2PasswordBearer": []}]
    const oauth2 = OAuth2PasswordBearer({ tokenUrl: 'token', scopes: { me: 'Read information about the current user.', items: 'Read items.' } })
    const getCurrentUser = dependency({ securityScopes: SecurityScopes(), token: Depends(oauth2) }, function getCurrentUser ({ token }) { return token })
    const getCurrentActiveUser = dependency({ user: Security(getCurrentUser, { scopes: ['me'] }) }, function getCurrentActiveUser ({ user }) { return user })
    const doc = await documentWith(t, app => {
      app.api.get('/users/me/', { args: { u: Depends(getCurrentActiveUser) } }, function read_users_me () { return 1 })
      app.api.get('/users/me/items/', { args: { u: Security(getCurrentActiveUser, { scopes: ['items'] }) } }, function read_own_items () { return 1 })
      app.api.get('/status/', { args: { u: Depends(getCurrentUser) } }, function read_system_status () { return 1 })
    })
    t.strictSame(doc.paths['/users/me/'].get.security, [{ OAuth2PasswordBearer: ['me'] }])
    t.strictSame(doc.paths['/users/me/items/'].get.security, [{ OAuth2PasswordBearer: ['items', 'me'] }])
    t.strictSame(doc.paths['/status/'].get.security, [{ OAuth2PasswordBearer: [] }])
    t.strictSame(doc.components.securitySchemes, {
      OAuth2PasswordBearer: {
        type: 'oauth2',
        flows: { password: { scopes: { me: 'Read information about the current user.', items: 'Read items.' }, tokenUrl: 'token' } }
      }
    })
  })

  t.test('one requirement per scheme, with the scopes of every use merged', async t => {
    // oauth2_scheme = OAuth2AuthorizationCodeBearer(..., scopes={"read": ..., "write": ...})  (OAuth2PasswordBearer here)
    // async def get_token(token=Depends(oauth2_scheme)); app = FastAPI(dependencies=[Depends(get_token)])
    // @app.get("/") → [{"OAuth2...": []}]
    // @app.get("/with-oauth2-scheme", dependencies=[Security(oauth2_scheme, scopes=["read", "write"])]) → [{"OAuth2...": ["read", "write"]}]
    // @app.get("/with-get-token", dependencies=[Security(get_token, scopes=["read", "write"])]) → the same
    // router = APIRouter(dependencies=[Security(oauth2_scheme, scopes=["read"])])
    // @router.get("/items/") def read_items(token=Depends(oauth2_scheme)) → [{"OAuth2...": ["read"]}]
    // @router.post("/items/") def create_item(token=Security(oauth2_scheme, scopes=["read", "write"])) → [{"OAuth2...": ["read", "write"]}]
    const oauth2 = OAuth2PasswordBearer({ tokenUrl: 'token', scopes: { read: 'Read access', write: 'Write access' } })
    const getToken = dependency({ token: Depends(oauth2) }, function getToken ({ token }) { return token })
    const doc = await documentWith(t, async app => {
      app.api.get('/', {}, function root () { return 1 })
      app.api.get('/with-oauth2-scheme', { dependencies: [Security(oauth2, { scopes: ['read', 'write'] })] }, function a () { return 1 })
      app.api.get('/with-get-token', { dependencies: [Security(getToken, { scopes: ['read', 'write'] })] }, function b () { return 1 })
      await app.register(async function router (router) {
        router.api.addDependency(Security(oauth2, { scopes: ['read'] }))
        router.api.get('/items/', { args: { token: Depends(oauth2) } }, function read_items () { return 1 })
        router.api.post('/items/', { args: { token: Security(oauth2, { scopes: ['read', 'write'] }) } }, function create_item () { return 1 })
      })
    }, { dependencies: [Depends(getToken)] })
    t.strictSame(doc.paths['/'].get.security, [{ OAuth2PasswordBearer: [] }])
    t.strictSame(doc.paths['/with-oauth2-scheme'].get.security, [{ OAuth2PasswordBearer: ['read', 'write'] }])
    t.strictSame(doc.paths['/with-get-token'].get.security, [{ OAuth2PasswordBearer: ['read', 'write'] }])
    t.strictSame(doc.paths['/items/'].get.security, [{ OAuth2PasswordBearer: ['read'] }])
    t.strictSame(doc.paths['/items/'].post.security, [{ OAuth2PasswordBearer: ['read', 'write'] }])
  })
})

// ---------------------------------------------------------------------------------------------
// Plugin options

t.test('plugin options', async t => {
  t.test('info, servers and tags', async t => {
    // FastAPI(title="ChimichangApp", summary="Deadpool's favorite app.", description="Nice *app*",
    //   version="0.0.1", terms_of_service="http://example.com/terms/", contact={...}, license_info={...},
    //   servers=[{"url": "https://stag.example.com", "description": "Staging"}], openapi_tags=[...])
    // FastAPI (test_tutorial/test_metadata/test_tutorial001.py, test_tutorial004.py)
    const contact = { name: 'Deadpoolio the Amazing', url: 'http://x-force.example.com/contact/', email: 'dp@x-force.example.com' }
    const license = { name: 'Apache 2.0', identifier: 'Apache-2.0' }
    const servers = [{ url: 'https://stag.example.com', description: 'Staging environment' }]
    const openapiTags = [{ name: 'users', description: 'Operations with users.' }, { name: 'items', externalDocs: { url: 'https://example.com/' } }]
    const doc = await documentWith(t, app => app.api.get('/items/', { tags: ['items'] }, function read_items () { return 1 }), {
      title: 'ChimichangApp',
      summary: "Deadpool's favorite app. Nuff said.",
      description: 'ChimichangApp API helps you do *awesome stuff*.',
      version: '0.0.1',
      termsOfService: 'http://example.com/terms/',
      contact,
      license,
      servers,
      openapiTags
    })
    t.strictSame(doc.info, {
      title: 'ChimichangApp',
      summary: "Deadpool's favorite app. Nuff said.",
      description: 'ChimichangApp API helps you do *awesome stuff*.',
      termsOfService: 'http://example.com/terms/',
      contact,
      license,
      version: '0.0.1'
    })
    t.strictSame(doc.servers, servers)
    t.strictSame(doc.tags, openapiTags)
    t.strictSame(doc.paths['/items/'].get.tags, ['items'])
  })

  t.test('defaults: FastAPI 0.1.0, no servers, no tags', async t => {
    const doc = await documentWith(t, app => app.api.get('/', {}, function root () { return 1 }))
    t.equal(doc.openapi, '3.1.0')
    t.strictSame(doc.info, { title: 'FastAPI', version: '0.1.0' })
    t.notOk('servers' in doc)
    t.notOk('tags' in doc)
  })

  t.test('openapiUrl moves the document', async t => {
    // FastAPI(openapi_url="/api/v1/openapi.json") (test_tutorial/test_metadata/test_tutorial002.py)
    const app = await build(t, { openapiUrl: '/api/openapi.json' })
    app.api.get('/', {}, function root () { return 1 })
    const doc = await documentOf(t, app, '/api/openapi.json')
    t.strictSame(Object.keys(doc.paths), ['/'], 'the document route is not documented')
    t.equal((await app.inject('/openapi.json')).statusCode, 404, 'nothing at the default URL')
  })

  t.test('openapiUrl: null serves no document and no docs pages', async t => {
    // FastAPI(openapi_url=None) (test_tutorial/test_conditional_openapi/test_tutorial001.py): /openapi.json,
    // /docs and /redoc are 404.
    const app = await build(t, { openapiUrl: null })
    app.api.get('/', {}, function root () { return 1 })
    for (const url of ['/openapi.json', '/docs', '/redoc', '/docs/oauth2-redirect']) {
      const res = await app.inject(url)
      t.equal(res.statusCode, 404, url)
      t.strictSame(res.json(), { detail: 'Not Found' }, `${url} body`)
    }
    t.equal((await app.inject('/')).statusCode, 200, 'the routes still work')
  })

  t.test('invalid options are FFA_ERR_OPTIONS_INVALID', async t => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['a title that is not a string', { title: 1 }],
      ['a version that is not a string', { version: 1.0 }],
      ['an openapiUrl without a leading /', { openapiUrl: 'openapi.json' }],
      ['a docsUrl without a leading /', { docsUrl: 'docs' }],
      ['a redocUrl that is not a string', { redocUrl: 42 }],
      ['servers that is not an array', { servers: { url: '/' } }],
      ['openapiTags with a non-object', { openapiTags: ['users'] }],
      ['contact that is an array', { contact: [] }],
      ['separateInputOutputSchemas that is not a boolean', { separateInputOutputSchemas: 'no' }],
      ["FastAPI's spelling of an option", { openapi_url: '/x.json' }]
    ]
    for (const [name, options] of cases) {
      await t.rejects(build(t, options as FastifyFastapiOptions), { code: 'FFA_ERR_OPTIONS_INVALID' }, name)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Plain Fastify routes

t.test('plain Fastify routes appear as @fastify/swagger renders them, next to the app.api routes', async t => {
  const doc = await documentWith(t, app => {
    app.get('/plain', {
      schema: {
        querystring: { type: 'object', properties: { n: { type: 'integer' } } },
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } }
      }
    }, async () => ({ ok: true }))
    app.api.post('/plain', { args: { n: Body(z.number().int()) } }, function create_plain (args) { return args })
    app.get('/bare/:id', async () => ({ ok: true }))
    app.get('/hidden', { schema: { hide: true } as Record<string, unknown> }, async () => 1)
  })
  t.strictSame(doc.paths['/plain'].get, {
    parameters: [{ schema: { type: 'integer' }, in: 'query', name: 'n', required: false }],
    responses: {
      200: {
        description: 'Default Response',
        content: { 'application/json': { schema: { type: 'object', properties: { ok: { type: 'boolean' } } } } }
      }
    }
  })
  t.strictSame(Object.keys(doc.paths['/plain']), ['post', 'get'], 'both methods of the path, ours first')
  t.equal(doc.paths['/plain'].post.operationId, 'create_plain_plain_post')
  t.strictSame(doc.paths['/bare/{id}'].get, {
    parameters: [{ schema: { type: 'string' }, in: 'path', name: 'id', required: true }],
    responses: { 200: { description: 'Default Response' } }
  })
  t.notOk('/hidden' in doc.paths, 'a hidden plain route stays hidden')
  t.notOk('/openapi.json' in doc.paths, 'the document route is not documented')
})

t.test('a plain route referencing a shared schema keeps its component', async t => {
  const doc = await documentWith(t, app => {
    app.addSchema({ $id: 'Point', type: 'object', properties: { x: { type: 'number' } } })
    app.post('/points', { schema: { body: { $ref: 'Point#' } } }, async () => 1)
    app.api.get('/items', { responseModel: Item }, function read_items () { return { name: 'x', price: 1 } })
  })
  const schemas = doc.components.schemas
  t.ok(Object.keys(schemas).includes('Item'), 'our component')
  const ref = doc.paths['/points'].post.requestBody.content['application/json'].schema.$ref
  t.equal(typeof ref, 'string', 'the body is a reference')
  t.match(schemas[ref.replace('#/components/schemas/', '')], { type: 'object', properties: { x: { type: 'number' } } }, 'which resolves to the shared schema')
})

// ---------------------------------------------------------------------------------------------
// Caching

t.test('the document is built once', async t => {
  // A zod schema whose metadata counts its reads: building the document reads it again.
  let reads = 0
  const meta = {}
  Object.defineProperty(meta, 'description', { enumerable: true, get () { reads++; return 'counted' } })
  const app = await build(t)
  app.api.get('/', { args: { q: Query(z.string().meta(meta)) } }, function root (args) { return args })
  await app.ready()
  const before = reads
  const first = await app.inject('/openapi.json')
  const afterFirst = reads
  const second = await app.inject('/openapi.json')
  t.equal(first.statusCode, 200)
  t.equal(first.json().paths['/'].get.parameters[0].description, 'counted', 'the counted schema is documented')
  t.ok(afterFirst > before, 'the first request builds the document')
  t.equal(reads, afterFirst, 'the second request does not build it again')
  t.equal(second.body, first.body, 'identical bodies')
  t.equal(app.swagger(), app.swagger(), 'app.swagger() returns the cached object')
})
