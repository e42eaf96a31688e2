/**
 * The request mix of `npm run load`: every route of the seed example (examples/users), valid
 * and invalid, each with the one status the example must answer it with.
 */

/** One kind of request in the mix. */
export interface RequestKind {
  id: string
  /** How the tables name it. */
  label: string
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  body?: string
  headers?: Record<string, string>
  /** The status every answer must have; any other counts as unexpected. */
  status: number
  /** How many times it appears in one pass over the mix. */
  weight: number
}

const JSON_BODY = { 'content-type': 'application/json' }

/**
 * The mix. Valid requests to the main routes appear three times in a pass, everything else
 * (the OpenAPI document, the routes that throw, the 4xx, the redirect) once: a little over
 * half the traffic is answered 2xx.
 */
export const KINDS: readonly RequestKind[] = [
  { id: 'root', label: 'GET /', method: 'GET', path: '/', status: 200, weight: 3 },
  { id: 'user-path', label: 'GET /users/alice', method: 'GET', path: '/users/alice', status: 200, weight: 3 },
  { id: 'user-query', label: 'GET /users?name=alice', method: 'GET', path: '/users?name=alice', status: 200, weight: 3 },
  {
    id: 'user-create',
    label: 'POST /users',
    method: 'POST',
    path: '/users',
    body: '{"name":"alice","password":"secret"}',
    headers: JSON_BODY,
    status: 201,
    weight: 3
  },
  {
    id: 'item',
    label: 'GET /items/5?q=foo&skip=1&limit=2, x-token',
    method: 'GET',
    path: '/items/5?q=foo&skip=1&limit=2',
    headers: { 'x-token': 'abc' },
    status: 200,
    weight: 3
  },
  { id: 'openapi', label: 'GET /openapi.json', method: 'GET', path: '/openapi.json', status: 200, weight: 1 },
  // The seed's routes that throw HTTPException on purpose.
  { id: 'error', label: 'GET /error (HTTPException 500)', method: 'GET', path: '/error', status: 500, weight: 1 },
  { id: 'teapot', label: 'GET /error/teapot (HTTPException 418)', method: 'GET', path: '/error/teapot', status: 418, weight: 1 },
  {
    id: 'user-create-invalid',
    label: 'POST /users, name and password too short',
    method: 'POST',
    path: '/users',
    body: '{"name":"al","password":"123"}',
    headers: JSON_BODY,
    status: 422,
    weight: 1
  },
  // The body was read to its end, so the connection stays open (Fastify alone would close it after
  // a body it could not parse; the plugin removes that `Connection: close`, as uvicorn keeps it).
  {
    id: 'user-create-malformed',
    label: 'POST /users, malformed JSON',
    method: 'POST',
    path: '/users',
    body: '{"name":"alice",',
    headers: JSON_BODY,
    status: 422,
    weight: 1
  },
  { id: 'user-create-empty', label: 'POST /users, no body', method: 'POST', path: '/users', status: 422, weight: 1 },
  { id: 'user-path-invalid', label: 'GET /users/al (too short)', method: 'GET', path: '/users/al', status: 422, weight: 1 },
  { id: 'user-query-missing', label: 'GET /users (query missing)', method: 'GET', path: '/users', status: 422, weight: 1 },
  // x-token is the seed's stand-in for credentials: without it, FastAPI answers 422 (header missing).
  { id: 'item-no-token', label: 'GET /items/5, no x-token', method: 'GET', path: '/items/5', status: 422, weight: 1 },
  {
    id: 'item-invalid',
    label: 'GET /items/abc?skip=x (2 errors)',
    method: 'GET',
    path: '/items/abc?skip=x',
    headers: { 'x-token': 'abc' },
    status: 422,
    weight: 1
  },
  { id: 'not-found', label: 'GET /nope (unknown path)', method: 'GET', path: '/nope', status: 404, weight: 1 },
  { id: 'wrong-method', label: 'DELETE /users (wrong method)', method: 'DELETE', path: '/users', status: 405, weight: 1 },
  { id: 'trailing-slash', label: 'GET /users/ (redirect to /users)', method: 'GET', path: '/users/', status: 307, weight: 1 }
]

/**
 * One pass over the mix, kinds interleaved by weight (a, b, c, …, a, b, …) so that no kind
 * comes in a burst.
 */
export function sequence (): RequestKind[] {
  const pass: RequestKind[] = []
  const most = Math.max(...KINDS.map(kind => kind.weight))
  for (let round = 0; round < most; round++) {
    for (const kind of KINDS) if (kind.weight > round) pass.push(kind)
  }
  return pass
}
