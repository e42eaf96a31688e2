/**
 * @module docs — the interactive documentation pages: Swagger UI at `docsUrl` and ReDoc at `redocUrl`.
 *
 * FastAPI builds both pages around scripts from a CDN. Here every asset comes from an npm
 * dependency and is served by the app itself, so the pages also work with no network:
 * Swagger UI's files through @fastify/swagger-ui (which serves swagger-ui-dist with
 * @fastify/static), ReDoc's standalone bundle from the `redoc` package.
 */
import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import type { FastifyInstance, RouteHandlerMethod } from 'fastify'
import swaggerUi from '@fastify/swagger-ui'
import { FFA_ERR_OPTIONS_INVALID } from './errors.js'

/** What {@link installDocs} needs to know; the plugin fills it from its own options. */
export interface DocsPagesOptions {
  /** Where the OpenAPI document is served, e.g. `'/openapi.json'`; both pages load it from there. */
  openapiUrl: string
  /** Path of the Swagger UI page (`'/docs'`); `null`: no Swagger UI and no OAuth2 redirect page. */
  docsUrl: string | null
  /** Path of the ReDoc page (`'/redoc'`); `null`: no ReDoc. */
  redocUrl: string | null
  /** The app's title; the pages are titled `${title} - Swagger UI` and `${title} - ReDoc`, as FastAPI's. */
  title: string
  /**
   * Path of the page an OAuth2 provider redirects to from Swagger UI (FastAPI's
   * `swagger_ui_oauth2_redirect_url`, `'/docs/oauth2-redirect'`); `null`: none.
   */
  oauth2RedirectUrl: string | null
  /**
   * Swagger UI configuration (FastAPI's `swagger_ui_parameters`), merged over FastAPI's defaults
   * `dom_id`, `layout: 'BaseLayout'`, `deepLinking`, `showExtensions`, `showCommonExtensions`.
   * Values must be JSON data: they are written into the page's script as JSON.
   */
  swaggerUiParameters: Record<string, unknown>
  /** Arguments of Swagger UI's `ui.initOAuth(...)` (FastAPI's `swagger_ui_init_oauth`). */
  swaggerUiInitOAuth?: Record<string, unknown>
}

/** FastAPI's `swagger_ui_default_parameters`. */
const SWAGGER_UI_DEFAULTS: Readonly<Record<string, unknown>> = {
  dom_id: '#swagger-ui',
  layout: 'BaseLayout',
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true
}

// The page script sets these itself, after the parameters, so they win over parameters of the
// same name — FastAPI's page gets the same result from the order of the keys in its literal.
const SET_BY_PAGE = new Set(['oauth2RedirectUrl', 'presets'])

// @fastify/swagger-ui's route for the script that starts Swagger UI, relative to its prefix.
const SWAGGER_INITIALIZER = '/static/swagger-initializer.js'
// @fastify/swagger-ui's copies of the document; the pages read `openapiUrl` instead.
const SWAGGER_UI_DOCUMENT_ROUTES = ['/json', '/yaml']

const require = createRequire(import.meta.url)

/**
 * Declares the docs routes on `app`: the Swagger UI page, its assets and OAuth2 redirect page,
 * the ReDoc page and its script. Every route is hidden from the OpenAPI document. Call it on
 * the plugin's (root) instance after @fastify/swagger is registered.
 */
export async function installDocs (app: FastifyInstance, options: DocsPagesOptions): Promise<void> {
  checkOptions(options)
  // '/docs/' is served as '/docs' is: @fastify/swagger-ui answers both.
  if (options.docsUrl !== null) await installSwaggerUi(app, options, options.docsUrl.replace(/\/+$/, ''))
  if (options.redocUrl !== null) installRedoc(app, options, options.redocUrl)
}

async function installSwaggerUi (app: FastifyInstance, options: DocsPagesOptions, docsUrl: string): Promise<void> {
  const initializer = swaggerInitializer(options)
  const sendInitializer: RouteHandlerMethod = (_request, reply) => {
    reply.type('application/javascript; charset=utf-8').send(initializer)
  }
  const notFound: RouteHandlerMethod = (_request, reply) => { reply.callNotFound() }

  // @fastify/swagger-ui's page and static assets are kept, but its initializer always
  // loads the document from its own `${docsUrl}/json` route and has no option to point it
  // elsewhere. An onRoute hook in this scope (it sees only @fastify/swagger-ui's routes)
  // swaps that initializer for ours, and turns its /json and /yaml copies into 404s.
  await app.register(async function fastapiSwaggerUi (scope) {
    const replaced = new Map<string, RouteHandlerMethod>([
      [docsUrl + SWAGGER_INITIALIZER, sendInitializer],
      ...SWAGGER_UI_DOCUMENT_ROUTES.map(path => [docsUrl + path, notFound] as const)
    ])
    scope.addHook('onRoute', route => {
      route.handler = replaced.get(route.url) ?? route.handler
    })
    await scope.register(swaggerUi, {
      routePrefix: docsUrl,
      // Inserted into <title> as is.
      theme: { title: escapeHtml(`${options.title} - Swagger UI`) },
      // The logo only shows in StandaloneLayout; `null` also spares reading the default one from disk.
      logo: null as never
    })
  })

  if (options.oauth2RedirectUrl !== null) {
    const page = oauth2RedirectHtml(`${docsUrl}/static/oauth2-redirect.js`)
    app.get(options.oauth2RedirectUrl, { schema: { hide: true } }, (_request, reply) => {
      reply.type('text/html; charset=utf-8').send(page)
    })
  }
}

/** The script that starts Swagger UI: FastAPI's inline script, as a file so a strict CSP can allow it. */
function swaggerInitializer (options: DocsPagesOptions): string {
  const config: Record<string, unknown> = { url: options.openapiUrl, ...SWAGGER_UI_DEFAULTS, ...options.swaggerUiParameters }
  const lines = Object.entries(config)
    .filter(([key, value]) => !SET_BY_PAGE.has(key) && value !== undefined)
    .map(([key, value]) => `  ${JSON.stringify(key)}: ${toJson(value, `swaggerUiParameters.${key}`)},`)
  if (options.oauth2RedirectUrl !== null) {
    lines.push(`  oauth2RedirectUrl: window.location.origin + ${JSON.stringify(options.oauth2RedirectUrl)},`)
  }
  // FastAPI names SwaggerUIBundle.SwaggerUIStandalonePreset; the page here loads the preset's own
  // script, whose global is the one that exists, so 'StandaloneLayout' also works.
  lines.push('  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset]')
  const initOAuth = options.swaggerUiInitOAuth === undefined
    ? ''
    : `ui.initOAuth(${toJson(options.swaggerUiInitOAuth, 'swaggerUiInitOAuth')})\n`
  return `'use strict'\nconst ui = SwaggerUIBundle({\n${lines.join('\n')}\n})\n${initOAuth}window.ui = ui\n`
}

/** The page an OAuth2 provider sends the browser back to; swagger-ui-dist's script does the work. */
function oauth2RedirectHtml (scriptUrl: string): string {
  return `<!doctype html>
<html lang="en-US">
<head>
<title>Swagger UI: OAuth2 Redirect</title>
</head>
<body>
<script src="${escapeHtml(scriptUrl)}"></script>
</body>
</html>
`
}

function installRedoc (app: FastifyInstance, options: DocsPagesOptions, redocUrl: string): void {
  const bundlePath = require.resolve('redoc/bundles/redoc.standalone.js')
  const { version } = require('redoc/package.json') as { version: string }
  const scriptUrl = `${redocUrl.replace(/\/$/, '')}/redoc.standalone.js`
  // The version in the page's URL changes when the dependency does, so browsers may keep the
  // script for a year.
  const page = redocHtml(`${options.title} - ReDoc`, options.openapiUrl, `${scriptUrl}?v=${encodeURIComponent(version)}`)
  // About 1 MB: read on first use, not for every app that never serves it.
  let bundle: Promise<Buffer> | undefined

  app.get(redocUrl, { schema: { hide: true } }, (_request, reply) => {
    reply.type('text/html; charset=utf-8').send(page)
  })
  app.get(scriptUrl, { schema: { hide: true } }, async (_request, reply) => {
    bundle ??= readRedocBundle(bundlePath)
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(await bundle)
  })
}

// ReDoc's sidebar always shows "API docs by Redocly" with a logo loaded from Redocly's CDN: the
// one request to the internet the page would make, on every visit. The image hides itself when it
// fails to load, so an empty data: URL gives what an offline browser shows, with no request.
const REDOC_CDN_LOGO = '"https://cdn.redoc.ly/redoc/logo-mini.svg"'

/** The `redoc` package's standalone bundle, with the CDN logo's URL emptied. */
async function readRedocBundle (path: string): Promise<Buffer> {
  const source = await readFile(path, 'utf8')
  return Buffer.from(source.replaceAll(REDOC_CDN_LOGO, '"data:,"'))
}

/**
 * FastAPI's ReDoc page, minus two links: its Google Fonts stylesheet (FastAPI's default; a
 * request to the internet, which these pages never make; ReDoc falls back to local fonts) and
 * its favicon (FastAPI's logo on fastapi.tiangolo.com).
 */
function redocHtml (title: string, openapiUrl: string, scriptUrl: string): string {
  return `<!DOCTYPE html>
<html>
<head>
<title>${escapeHtml(title)}</title>
<!-- needed for adaptive design -->
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1">
<!-- ReDoc does not change outer page styles -->
<style>
  body {
    margin: 0;
    padding: 0;
  }
</style>
</head>
<body>
<noscript>
  ReDoc requires Javascript to function. Please enable it to browse the documentation.
</noscript>
<redoc spec-url="${escapeHtml(openapiUrl)}"></redoc>
<script src="${escapeHtml(scriptUrl)}"> </script>
</body>
</html>
`
}

// The plugin validates its users' options; this only guards against a wiring mistake.
function checkOptions (options: DocsPagesOptions): void {
  checkPath('openapiUrl', options.openapiUrl, false)
  checkPath('docsUrl', options.docsUrl, true)
  checkPath('redocUrl', options.redocUrl, true)
  checkPath('oauth2RedirectUrl', options.oauth2RedirectUrl, true)
  if (typeof options.title !== 'string') throw new FFA_ERR_OPTIONS_INVALID('title must be a string.')
  if (!isPlainObject(options.swaggerUiParameters)) {
    throw new FFA_ERR_OPTIONS_INVALID('swaggerUiParameters must be an object.')
  }
  if (options.swaggerUiInitOAuth !== undefined && !isPlainObject(options.swaggerUiInitOAuth)) {
    throw new FFA_ERR_OPTIONS_INVALID('swaggerUiInitOAuth must be an object.')
  }
}

function checkPath (name: string, value: unknown, nullable: boolean): void {
  if (value === null && nullable) return
  // docsUrl is @fastify/swagger-ui's route prefix, which cannot be the root.
  if (typeof value !== 'string' || !/^\/\S*$/.test(value) || (name === 'docsUrl' && /^\/+$/.test(value))) {
    throw new FFA_ERR_OPTIONS_INVALID(
      `${name} must be a path such as '/docs'${nullable ? ' or null' : ''}, got ${JSON.stringify(value)}.`
    )
  }
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON for the page's script; a function or a bigint has no JSON form, so it is refused, not dropped. */
function toJson (value: unknown, name: string): string {
  return JSON.stringify(value, (key, item: unknown) => {
    if (typeof item === 'function' || typeof item === 'bigint' || typeof item === 'symbol') {
      throw new FFA_ERR_OPTIONS_INVALID(`${name}${key === '' ? '' : `.${key}`} must be JSON data, got a ${typeof item}.`)
    }
    return item
  })
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, char => HTML_ESCAPES[char])
}
