/**
 * Extras: a small file-sharing service that uses what the other examples leave out — OAuth2
 * scopes, HTTP Basic/Bearer/Digest and API keys, file uploads and downloads, streaming and CSV
 * exports, HTML pages and cookies, custom exception handlers, a lifespan-managed store, and
 * the package's types for reusable pieces.
 *
 * Run it with `EXAMPLE=extras npm start` (OPENAPI_URL, DOCS_URL and REDOC_URL move the document and
 * the docs pages; `off` serves none), then try:
 *   TOKEN=$(curl -s -X POST 127.0.0.1:8000/token \
 *     -d 'grant_type=password&username=johndoe&password=secret&scope=files:read files:write' | jq -r .access_token)
 *   curl -s -X POST 127.0.0.1:8000/files -H "Authorization: Bearer $TOKEN" -F upload=@README.md -F title=Readme
 *   curl -s '127.0.0.1:8000/files?q=read' -H "Authorization: Bearer $TOKEN"
 *   curl -s 127.0.0.1:8000/files/README.md/content -H "Authorization: Bearer $TOKEN"
 *   curl -s 127.0.0.1:8000/admin/metrics -u stanleyjobson:swordfish
 */
import Fastify, { type FastifyServerOptions } from 'fastify'
import fastapi, {
  APIRouter, Depends, errorCodes, frameworkErrors, RequestValidationError, ResponseValidationError,
  type APIRouterIncludeOptions, type APIRouterRegisterOptions, type FastifyFastapiOptions, type Lifespan, type OpenapiOptions
} from '../../lib/index.js'
import { account, admin, auth, sso } from './auth.js'
import { DocumentLocked, Metrics, onDocumentLocked, onResponseValidationError, onValidationError } from './errors.js'
import { exportRouter, files, hooks, legacy, Message, shared } from './files.js'
import { getStore } from './helpers.js'
import { addPages } from './pages.js'
import { FileStore } from './store.js'

export { FileStore } from './store.js'

/** Opens the file store when the app is ready and deletes its files when the app closes. */
export const lifespan: Lifespan = async function * lifespan (app) {
  const store = await FileStore.open()
  app.log.info({ dir: store.dir }, 'file store open')
  try {
    yield { store }
  } finally {
    await store.close()
  }
}

/** Where the document and the docs pages are, from the environment: `DOCS_URL=/swagger`, or `off` for none. */
export function docsFromEnv (env: NodeJS.ProcessEnv = process.env): OpenapiOptions {
  const url = (value: string | undefined) => value === 'off' ? null : value
  return { openapiUrl: url(env.OPENAPI_URL), docsUrl: url(env.DOCS_URL), redocUrl: url(env.REDOC_URL) }
}

/** The admin's routes, over HTTP Basic. */
function adminRouter (metrics: Metrics): APIRouter {
  const router = new APIRouter({ prefix: '/admin', tags: ['admin'], dependencies: [Depends(admin)] })
  router.get('/metrics', {}, function readMetrics () {
    return metrics.snapshot()
  })
  router.get('/audit', { args: { store: Depends(getStore) } }, function readAudit ({ store }) {
    return store.audit
  })
  return router
}

/** Builds the app without listening; tests import this and pass `docs` themselves. */
export async function build (options: FastifyServerOptions = {}, docs: OpenapiOptions = docsFromEnv()) {
  // What the router refuses before any route runs (`/files/%FF`) is answered {"detail": ...} too.
  const app = Fastify({ frameworkErrors, ...options })
  const settings: FastifyFastapiOptions = {
    title: 'File share',
    version: '1.0.0',
    description: 'Upload, find, download and share files.',
    openapiTags: [{ name: 'files', description: 'Needs a token with the `files:read` or `files:write` scope.' }],
    lifespan,
    ...docs
  }
  try {
    await app.register(fastapi, settings)
  } catch (error) {
    // The plugin checks its options; name the setting the person running the app can change.
    if (error instanceof errorCodes.FFA_ERR_OPTIONS_INVALID) {
      throw new Error(`Check OPENAPI_URL, DOCS_URL and REDOC_URL: ${error.message}`, { cause: error })
    }
    throw error
  }

  const metrics = new Metrics()
  app.addHook('onRequest', metrics.onRequest)
  app.addHook('onError', metrics.onError)
  app.api.addExceptionHandler(DocumentLocked, onDocumentLocked)
  app.api.addExceptionHandler(RequestValidationError, onValidationError)
  app.api.addExceptionHandler(ResponseValidationError, onResponseValidationError)

  await app.register(auth)

  const api = new APIRouter()
  api.include(account)
  api.include(sso)
  api.include(files)
  api.include(shared)
  api.include(hooks)
  api.include(exportRouter)
  api.include(adminRouter(metrics))
  const old: APIRouterIncludeOptions = { deprecated: true, tags: ['legacy'] }
  api.include(legacy, old)
  // Every route of `api` needs credentials of some kind.
  const everyRoute: APIRouterRegisterOptions = { responses: { 401: { model: Message, description: 'Not authenticated' } } }
  await app.register(api, everyRoute)

  addPages(app.api)
  return app
}
