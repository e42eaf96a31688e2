/**
 * @module openapi-options — the plugin options that shape the OpenAPI document and the docs
 * pages (FastAPI's `FastAPI(title=..., openapi_url=..., docs_url=...)`), checked once.
 */
import { FFA_ERR_OPTIONS_INVALID } from './errors.js'
import type { DocumentSettings } from './openapi.js'

/** Plugin options of the OpenAPI document and the docs pages. */
export interface OpenapiOptions {
  /** `info.title` and the docs pages' title (default "FastAPI", as FastAPI's). */
  title?: string
  /** `info.version` (default "0.1.0"). */
  version?: string
  summary?: string
  /** `info.description` (markdown). */
  description?: string
  termsOfService?: string
  contact?: Record<string, unknown>
  license?: Record<string, unknown>
  /** `servers`, e.g. `[{ url: 'https://api.example.com' }]`. */
  servers?: Array<Record<string, unknown>>
  /** FastAPI's `openapi_tags`: `[{ name, description, externalDocs }]`. */
  openapiTags?: Array<Record<string, unknown>>
  /** Where the document is served (default "/openapi.json"); `null` serves no document and no docs pages. */
  openapiUrl?: string | null
  /** Swagger UI (default "/docs"); `null` disables it. */
  docsUrl?: string | null
  /** ReDoc (default "/redoc"); `null` disables it. */
  redocUrl?: string | null
  /** Swagger UI's OAuth2 redirect page (default "/docs/oauth2-redirect"); `null` disables it. */
  swaggerUiOauth2RedirectUrl?: string | null
  /** Passed into Swagger UI's configuration, as FastAPI's `swagger_ui_parameters`. */
  swaggerUiParameters?: Record<string, unknown>
  /** Passed to Swagger UI's `initOAuth()`, as FastAPI's `swagger_ui_init_oauth`. */
  swaggerUiInitOAuth?: Record<string, unknown>
  /** Separate `-Input` / `-Output` schemas where a model's two sides differ (default true). */
  separateInputOutputSchemas?: boolean
}

/** The option names above, for the plugin's unknown-option check. */
export const OPENAPI_OPTION_KEYS = [
  'title', 'version', 'summary', 'description', 'termsOfService', 'contact', 'license', 'servers', 'openapiTags',
  'openapiUrl', 'docsUrl', 'redocUrl', 'swaggerUiOauth2RedirectUrl', 'swaggerUiParameters', 'swaggerUiInitOAuth',
  'separateInputOutputSchemas'
]

/** The options resolved, with FastAPI's defaults. */
export interface ResolvedOpenapiOptions {
  document: DocumentSettings
  openapiUrl: string | null
  docsUrl: string | null
  redocUrl: string | null
  oauth2RedirectUrl: string | null
  swaggerUiParameters: Record<string, unknown>
  swaggerUiInitOAuth?: Record<string, unknown>
}

/** Checks and resolves the options; throws FFA_ERR_OPTIONS_INVALID naming the option. */
export function resolveOpenapiOptions (options: OpenapiOptions): ResolvedOpenapiOptions {
  const fail = (message: string): never => { throw new FFA_ERR_OPTIONS_INVALID(message) }
  for (const key of ['title', 'version', 'summary', 'description', 'termsOfService'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') fail(`${key} must be a string.`)
  }
  for (const key of ['contact', 'license', 'swaggerUiParameters', 'swaggerUiInitOAuth'] as const) {
    const value = options[key]
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) fail(`${key} must be an object.`)
  }
  for (const key of ['servers', 'openapiTags'] as const) {
    const value = options[key]
    if (value !== undefined && (!Array.isArray(value) || value.some(item => item === null || typeof item !== 'object'))) {
      fail(`${key} must be an array of objects.`)
    }
  }
  const url = (key: 'openapiUrl' | 'docsUrl' | 'redocUrl' | 'swaggerUiOauth2RedirectUrl', fallback: string): string | null => {
    const value = options[key]
    if (value === undefined) return fallback
    if (value !== null && (typeof value !== 'string' || !value.startsWith('/'))) fail(`${key} must be a path starting with "/", or null.`)
    return value as string | null
  }
  if (options.separateInputOutputSchemas !== undefined && typeof options.separateInputOutputSchemas !== 'boolean') {
    fail('separateInputOutputSchemas must be true or false.')
  }
  const openapiUrl = url('openapiUrl', '/openapi.json')
  const docsUrl = url('docsUrl', '/docs')
  return {
    document: {
      title: options.title ?? 'FastAPI',
      version: options.version ?? '0.1.0',
      summary: options.summary,
      description: options.description,
      termsOfService: options.termsOfService,
      contact: options.contact,
      license: options.license,
      servers: options.servers,
      tags: options.openapiTags,
      separateInputOutputSchemas: options.separateInputOutputSchemas ?? true
    },
    openapiUrl,
    // As FastAPI: no document, no pages.
    docsUrl: openapiUrl === null ? null : docsUrl,
    redocUrl: openapiUrl === null ? null : url('redocUrl', '/redoc'),
    oauth2RedirectUrl: openapiUrl === null || docsUrl === null ? null : url('swaggerUiOauth2RedirectUrl', '/docs/oauth2-redirect'),
    swaggerUiParameters: options.swaggerUiParameters ?? {},
    swaggerUiInitOAuth: options.swaggerUiInitOAuth
  }
}
