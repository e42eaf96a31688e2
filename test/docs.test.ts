/**
 * The docs pages (lib/docs.ts): Swagger UI at /docs and ReDoc at /redoc, every asset served by
 * the app itself. The browser side is test/e2e/browser.test.ts.
 */
import t from 'tap'
import vm from 'node:vm'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import Fastify, { type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import { installDocs, type DocsPagesOptions } from '../lib/docs.js'
import fastapi, { type FastifyFastapiOptions } from '../lib/index.js'

const require = createRequire(import.meta.url)
const REDOC_BUNDLE = readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), 'utf8')
// The one URL of the bundle that the page would load from the internet (a logo in the sidebar).
const REDOC_CDN_LOGO = '"https://cdn.redoc.ly/redoc/logo-mini.svg"'
const REDOC_VERSION = (require('redoc/package.json') as { version: string }).version

/** A small hand-written document, served at `openapiUrl`. */
const DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Docs test', version: '1.0.0' },
  paths: { '/ping': { get: { summary: 'Ping', responses: { 200: { description: 'Successful Response' } } } } }
}

const DEFAULTS: DocsPagesOptions = {
  openapiUrl: '/openapi.json',
  docsUrl: '/docs',
  redocUrl: '/redoc',
  title: 'Docs test',
  oauth2RedirectUrl: '/docs/oauth2-redirect',
  swaggerUiParameters: {}
}

type Teardown = { teardown: (fn: () => unknown) => void }

/**
 * A bare app: @fastify/swagger (generating from the routes, so hidden routes can be checked), one
 * documented route, the hand-written document at `openapiUrl`, then the docs pages.
 */
async function build (t: Teardown, options: Partial<DocsPagesOptions> = {}): Promise<FastifyInstance> {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(swagger, { openapi: { openapi: '3.1.0', info: { title: 'generated', version: '0' } } })
  app.get('/ping', { schema: { response: { 200: { type: 'string' } } } }, async () => 'pong')
  const resolved = { ...DEFAULTS, ...options }
  app.get(resolved.openapiUrl, { schema: { hide: true } }, async () => DOCUMENT)
  await installDocs(app, resolved)
  await app.ready()
  return app
}

/** The `src` and `href` values of an HTML page. */
function assetRefs (html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map(match => match[1])
}

interface InitializerRun {
  config: Record<string, unknown>
  initOAuth?: unknown
}

/** Runs the Swagger UI initializer against a stand-in SwaggerUIBundle and returns what it was given. */
function runInitializer (code: string, origin = 'http://127.0.0.1:8000'): InitializerRun {
  const run: Partial<InitializerRun> = {}
  const SwaggerUIBundle = Object.assign((config: Record<string, unknown>) => {
    run.config = config
    return { initOAuth (options: unknown) { run.initOAuth = options } }
  }, { presets: { apis: 'SwaggerUIBundle.presets.apis' } })
  const context = vm.createContext({
    SwaggerUIBundle,
    SwaggerUIStandalonePreset: 'SwaggerUIStandalonePreset',
    window: { location: { origin } }
  })
  vm.runInContext(code, context)
  // Out of the vm's realm, for deep comparisons.
  return JSON.parse(JSON.stringify(run))
}

async function initializerOf (app: FastifyInstance, docsUrl = '/docs'): Promise<InitializerRun> {
  const page = await app.inject(docsUrl)
  const script = assetRefs(page.body).find(ref => ref.endsWith('/swagger-initializer.js'))
  if (script === undefined) throw new Error('the page has no swagger-initializer.js')
  const response = await app.inject(new URL(script, `http://localhost${docsUrl}`).pathname)
  return runInitializer(response.body)
}

t.test('Swagger UI page', async t => {
  const app = await build(t)

  for (const url of ['/docs', '/docs/']) {
    t.test(`${url}: 200 html titled "<title> - Swagger UI"`, async t => {
      const response = await app.inject(url)
      t.equal(response.statusCode, 200)
      t.match(response.headers['content-type'], /^text\/html/)
      t.match(response.body, /<title>Docs test - Swagger UI<\/title>/)
      t.match(response.body, /<div id="swagger-ui"><\/div>/)
    })

    t.test(`${url}: every asset it references is served by the app`, async t => {
      const page = await app.inject(url)
      const refs = assetRefs(page.body)
      t.ok(refs.length >= 6, `found ${refs.length} assets`)
      for (const ref of refs) {
        const resolved = new URL(ref, `http://localhost${url}`)
        t.equal(resolved.origin, 'http://localhost', `${ref} is local`)
        const asset = await app.inject(resolved.pathname)
        t.equal(asset.statusCode, 200, `${ref} → ${resolved.pathname}`)
        t.ok(asset.rawPayload.length > 0, `${ref} is not empty`)
      }
      t.ok(refs.some(ref => ref.endsWith('/swagger-ui-bundle.js')))
      t.ok(refs.some(ref => ref.endsWith('/swagger-ui.css')))
    })
  }

  t.test('the initializer loads the document from openapiUrl, with FastAPI\'s default parameters', async t => {
    t.same(await initializerOf(app), {
      config: {
        url: '/openapi.json',
        dom_id: '#swagger-ui',
        layout: 'BaseLayout',
        deepLinking: true,
        showExtensions: true,
        showCommonExtensions: true,
        oauth2RedirectUrl: 'http://127.0.0.1:8000/docs/oauth2-redirect',
        presets: ['SwaggerUIBundle.presets.apis', 'SwaggerUIStandalonePreset']
      }
    })
  })

  t.test('the initializer is JavaScript, and so is every static script', async t => {
    for (const path of ['/docs/static/swagger-initializer.js', '/docs/static/swagger-ui-bundle.js']) {
      const response = await app.inject(path)
      t.match(response.headers['content-type'], /^application\/javascript/, path)
    }
  })

  t.test('@fastify/swagger-ui\'s own copies of the document are not served', async t => {
    for (const path of ['/docs/json', '/docs/yaml']) {
      const response = await app.inject(path)
      t.equal(response.statusCode, 404, path)
    }
  })

  t.test('a missing asset is a 404', async t => {
    const response = await app.inject('/docs/static/nothing-here.js')
    t.equal(response.statusCode, 404)
  })

  t.test('OAuth2 redirect page: swagger-ui-dist\'s script, served locally', async t => {
    const page = await app.inject('/docs/oauth2-redirect')
    t.equal(page.statusCode, 200)
    t.match(page.headers['content-type'], /^text\/html/)
    const refs = assetRefs(page.body)
    t.same(refs, ['/docs/static/oauth2-redirect.js'])
    const script = await app.inject(refs[0])
    t.equal(script.statusCode, 200)
    t.match(script.body, /swaggerUIRedirectOauth2/)
  })

  t.test('no docs route is in the OpenAPI document', async t => {
    t.same(Object.keys(app.swagger().paths ?? {}), ['/ping'])
  })
})

t.test('Swagger UI parameters and initOAuth', async t => {
  t.test('parameters override FastAPI\'s defaults and add keys; initOAuth is called', async t => {
    const app = await build(t, {
      swaggerUiParameters: { deepLinking: false, syntaxHighlight: { theme: 'obsidian' }, tryItOutEnabled: true },
      swaggerUiInitOAuth: { clientId: 'docs-client', usePkceWithAuthorizationCodeGrant: true }
    })
    const run = await initializerOf(app)
    t.same(run.config, {
      url: '/openapi.json',
      dom_id: '#swagger-ui',
      layout: 'BaseLayout',
      deepLinking: false,
      showExtensions: true,
      showCommonExtensions: true,
      syntaxHighlight: { theme: 'obsidian' },
      tryItOutEnabled: true,
      oauth2RedirectUrl: 'http://127.0.0.1:8000/docs/oauth2-redirect',
      presets: ['SwaggerUIBundle.presets.apis', 'SwaggerUIStandalonePreset']
    })
    t.same(run.initOAuth, { clientId: 'docs-client', usePkceWithAuthorizationCodeGrant: true })
  })

  t.test('`url` may be overridden, as in FastAPI; oauth2RedirectUrl and presets may not', async t => {
    const app = await build(t, {
      swaggerUiParameters: { url: '/other.json', oauth2RedirectUrl: '/elsewhere', presets: [] }
    })
    const { config } = await initializerOf(app)
    t.equal(config.url, '/other.json')
    t.equal(config.oauth2RedirectUrl, 'http://127.0.0.1:8000/docs/oauth2-redirect')
    t.same(config.presets, ['SwaggerUIBundle.presets.apis', 'SwaggerUIStandalonePreset'])
  })

  t.test('another openapiUrl and docsUrl', async t => {
    const app = await build(t, { openapiUrl: '/api/v1/spec.json', docsUrl: '/api/docs', oauth2RedirectUrl: '/api/docs/oauth2-redirect' })
    const { config } = await initializerOf(app, '/api/docs')
    t.equal(config.url, '/api/v1/spec.json')
    t.equal(config.oauth2RedirectUrl, 'http://127.0.0.1:8000/api/docs/oauth2-redirect')
    t.equal((await app.inject('/docs')).statusCode, 404)
    const redirect = await app.inject('/api/docs/oauth2-redirect')
    t.same(assetRefs(redirect.body), ['/api/docs/static/oauth2-redirect.js'])
    t.equal((await app.inject('/api/docs/static/oauth2-redirect.js')).statusCode, 200)
  })

  t.test('a docsUrl with a trailing slash serves the same page', async t => {
    const app = await build(t, { docsUrl: '/docs/' })
    t.equal((await app.inject('/docs')).statusCode, 200)
    t.equal((await app.inject('/docs/')).statusCode, 200)
    t.equal((await initializerOf(app)).config.url, '/openapi.json')
  })

  t.test('oauth2RedirectUrl null: no redirect page, no oauth2RedirectUrl in the config', async t => {
    const app = await build(t, { oauth2RedirectUrl: null })
    t.equal((await app.inject('/docs/oauth2-redirect')).statusCode, 404)
    const { config } = await initializerOf(app)
    t.notOk('oauth2RedirectUrl' in config)
  })

  t.test('undefined parameters are left out', async t => {
    const app = await build(t, { swaggerUiParameters: { filter: undefined } })
    t.notOk('filter' in (await initializerOf(app)).config)
  })
})

t.test('ReDoc page', async t => {
  const app = await build(t)

  t.test('200 html titled "<title> - ReDoc", loading the document from openapiUrl', async t => {
    const response = await app.inject('/redoc')
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^text\/html/)
    t.match(response.body, /<title>Docs test - ReDoc<\/title>/)
    t.match(response.body, /<redoc spec-url="\/openapi.json"><\/redoc>/)
  })

  t.test('no request leaves the app: no Google Fonts, no CDN', async t => {
    const response = await app.inject('/redoc')
    t.notMatch(response.body, /https?:|\/\//)
    t.same(assetRefs(response.body), [`/redoc/redoc.standalone.js?v=${REDOC_VERSION}`])
  })

  t.test('its script is the redoc package\'s standalone bundle, cached for long', async t => {
    const response = await app.inject(`/redoc/redoc.standalone.js?v=${REDOC_VERSION}`)
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^application\/javascript/)
    t.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable')
    t.equal(REDOC_BUNDLE.split(REDOC_CDN_LOGO).length, 2, 'the package\'s bundle has the CDN logo once')
    const expected = Buffer.from(REDOC_BUNDLE.replace(REDOC_CDN_LOGO, '"data:,"'))
    t.ok(response.rawPayload.equals(expected), `${response.rawPayload.length} bytes: the package's file, the logo's URL emptied`)
    t.notMatch(response.body, 'cdn.redoc.ly')
  })

  t.test('the bundle is read once and served again', async t => {
    const first = await app.inject('/redoc/redoc.standalone.js')
    const second = await app.inject('/redoc/redoc.standalone.js')
    t.ok(second.rawPayload.equals(first.rawPayload))
  })

  t.test('HEAD works', async t => {
    const response = await app.inject({ method: 'HEAD', url: '/redoc' })
    t.equal(response.statusCode, 200)
  })
})

t.test('titles and URLs are escaped in the pages', async t => {
  const app = await build(t, { title: 'Tom & "Jerry" <API>', openapiUrl: '/openapi.json?a=1&b="2"' })
  const docs = await app.inject('/docs')
  t.match(docs.body, '<title>Tom &amp; &quot;Jerry&quot; &lt;API&gt; - Swagger UI</title>')
  const redoc = await app.inject('/redoc')
  t.match(redoc.body, '<title>Tom &amp; &quot;Jerry&quot; &lt;API&gt; - ReDoc</title>')
  t.match(redoc.body, '<redoc spec-url="/openapi.json?a=1&amp;b=&quot;2&quot;"></redoc>')
  t.equal((await initializerOf(app)).config.url, '/openapi.json?a=1&b="2"')
})

t.test('null disables a page', async t => {
  t.test('docsUrl null: no Swagger UI, no assets, no redirect page; ReDoc stays', async t => {
    const app = await build(t, { docsUrl: null, oauth2RedirectUrl: null })
    for (const path of ['/docs', '/docs/', '/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js', '/docs/oauth2-redirect']) {
      t.equal((await app.inject(path)).statusCode, 404, path)
    }
    t.equal((await app.inject('/redoc')).statusCode, 200)
  })

  t.test('redocUrl null: no ReDoc, no bundle; Swagger UI stays', async t => {
    const app = await build(t, { redocUrl: null })
    for (const path of ['/redoc', '/redoc/redoc.standalone.js']) {
      t.equal((await app.inject(path)).statusCode, 404, path)
    }
    t.equal((await app.inject('/docs')).statusCode, 200)
  })

  t.test('both null: no route at all', async t => {
    const app = Fastify()
    t.teardown(() => app.close())
    const routes: string[] = []
    app.addHook('onRoute', route => { routes.push(route.url) })
    await installDocs(app, { ...DEFAULTS, docsUrl: null, redocUrl: null, oauth2RedirectUrl: null })
    await app.ready()
    t.same(routes, [])
  })
})

t.test('wiring mistakes are FFA_ERR_OPTIONS_INVALID', async t => {
  const cases: Array<[string, Partial<DocsPagesOptions>, RegExp]> = [
    ['openapiUrl without a slash', { openapiUrl: 'openapi.json' }, /openapiUrl must be a path/],
    ['openapiUrl null', { openapiUrl: null as never }, /openapiUrl must be a path/],
    ['docsUrl "/"', { docsUrl: '/' }, /docsUrl must be a path/],
    ['redocUrl with a space', { redocUrl: '/re doc' }, /redocUrl must be a path/],
    ['oauth2RedirectUrl a number', { oauth2RedirectUrl: 1 as never }, /oauth2RedirectUrl must be a path/],
    ['title not a string', { title: undefined as never }, /title must be a string/],
    ['swaggerUiParameters an array', { swaggerUiParameters: [] as never }, /swaggerUiParameters must be an object/],
    ['swaggerUiInitOAuth null', { swaggerUiInitOAuth: null as never }, /swaggerUiInitOAuth must be an object/],
    ['a function parameter', { swaggerUiParameters: { operationsSorter: () => 0 } }, /swaggerUiParameters.operationsSorter must be JSON data, got a function/],
    ['a nested bigint', { swaggerUiInitOAuth: { extra: { n: 1n } } }, /swaggerUiInitOAuth.n must be JSON data, got a bigint/]
  ]
  for (const [name, options, message] of cases) {
    t.test(name, async t => {
      const app = Fastify()
      t.teardown(() => app.close())
      await app.register(swagger)
      await t.rejects(installDocs(app, { ...DEFAULTS, ...options }), { code: 'FFA_ERR_OPTIONS_INVALID', message })
    })
  }
})

/** The plugin with `options`, one declared route, ready. */
async function withPlugin (t: Teardown, options: FastifyFastapiOptions = {}): Promise<FastifyInstance> {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastapi, options)
  app.api.get('/items', {}, function listItems () { return [] })
  await app.ready()
  return app
}

t.test('through the plugin', async t => {
  t.test('defaults: /docs, /redoc and the OAuth2 redirect page, titled from "FastAPI"', async t => {
    const app = await withPlugin(t)
    const docs = await app.inject('/docs')
    t.equal(docs.statusCode, 200)
    t.match(docs.body, '<title>FastAPI - Swagger UI</title>')
    for (const ref of assetRefs(docs.body)) t.equal((await app.inject(ref)).statusCode, 200, ref)
    t.same(await initializerOf(app), {
      config: {
        url: '/openapi.json',
        dom_id: '#swagger-ui',
        layout: 'BaseLayout',
        deepLinking: true,
        showExtensions: true,
        showCommonExtensions: true,
        oauth2RedirectUrl: 'http://127.0.0.1:8000/docs/oauth2-redirect',
        presets: ['SwaggerUIBundle.presets.apis', 'SwaggerUIStandalonePreset']
      }
    })
    const redoc = await app.inject('/redoc')
    t.equal(redoc.statusCode, 200)
    t.match(redoc.body, '<title>FastAPI - ReDoc</title>')
    t.match(redoc.body, '<redoc spec-url="/openapi.json"></redoc>')
    for (const ref of assetRefs(redoc.body)) t.equal((await app.inject(ref)).statusCode, 200, ref)
    t.equal((await app.inject('/docs/oauth2-redirect')).statusCode, 200)
  })

  t.test('no docs route is in /openapi.json', async t => {
    const app = await withPlugin(t)
    const document = (await app.inject('/openapi.json')).json()
    t.same(Object.keys(document.paths), ['/items'])
  })

  t.test('the pages are plain routes: another method is the plugin\'s 405, a missing asset its 404', async t => {
    const app = await withPlugin(t)
    const post = await app.inject({ method: 'POST', url: '/docs' })
    t.equal(post.statusCode, 405)
    t.same(post.json(), { detail: 'Method Not Allowed' })
    const missing = await app.inject('/docs/static/nothing-here.js')
    t.equal(missing.statusCode, 404)
    t.same(missing.json(), { detail: 'Not Found' })
    t.same((await app.inject('/docs/json')).json(), { detail: 'Not Found' })
  })

  t.test('title, openapiUrl, Swagger UI parameters and initOAuth reach the pages', async t => {
    const app = await withPlugin(t, {
      title: 'Items API',
      openapiUrl: '/api/openapi.json',
      swaggerUiParameters: { deepLinking: false, docExpansion: 'none' },
      swaggerUiInitOAuth: { clientId: 'items-docs' }
    })
    t.match((await app.inject('/docs')).body, '<title>Items API - Swagger UI</title>')
    const redoc = (await app.inject('/redoc')).body
    t.match(redoc, '<title>Items API - ReDoc</title>')
    t.match(redoc, '<redoc spec-url="/api/openapi.json"></redoc>')
    const run = await initializerOf(app)
    t.match(run.config, { url: '/api/openapi.json', deepLinking: false, docExpansion: 'none' })
    t.same(run.initOAuth, { clientId: 'items-docs' })
  })

  t.test('docsUrl, redocUrl and swaggerUiOauth2RedirectUrl move the pages', async t => {
    const app = await withPlugin(t, { docsUrl: '/api/docs', redocUrl: '/api/redoc', swaggerUiOauth2RedirectUrl: '/api/oauth2' })
    for (const path of ['/api/docs', '/api/redoc', '/api/oauth2']) t.equal((await app.inject(path)).statusCode, 200, path)
    for (const path of ['/docs', '/redoc', '/docs/oauth2-redirect']) t.equal((await app.inject(path)).statusCode, 404, path)
    t.equal((await initializerOf(app, '/api/docs')).config.oauth2RedirectUrl, 'http://127.0.0.1:8000/api/oauth2')
  })

  const disabled: Array<[string, FastifyFastapiOptions, string[], string[]]> = [
    ['docsUrl null', { docsUrl: null }, ['/docs', '/docs/static/swagger-ui-bundle.js', '/docs/oauth2-redirect'], ['/redoc', '/openapi.json']],
    ['redocUrl null', { redocUrl: null }, ['/redoc', '/redoc/redoc.standalone.js'], ['/docs', '/openapi.json']],
    ['swaggerUiOauth2RedirectUrl null', { swaggerUiOauth2RedirectUrl: null }, ['/docs/oauth2-redirect'], ['/docs', '/redoc']],
    ['openapiUrl null', { openapiUrl: null }, ['/openapi.json', '/docs', '/redoc', '/docs/oauth2-redirect'], []]
  ]
  for (const [name, options, gone, kept] of disabled) {
    t.test(name, async t => {
      const app = await withPlugin(t, options)
      for (const path of gone) t.equal((await app.inject(path)).statusCode, 404, `${path} is gone`)
      for (const path of kept) t.equal((await app.inject(path)).statusCode, 200, `${path} stays`)
    })
  }
})
