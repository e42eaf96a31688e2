/**
 * @module openapi-plugin — serves the OpenAPI document: registers @fastify/swagger (which
 * documents the plain Fastify routes), hides the `app.api` routes from it, and puts their
 * FastAPI-style operations in front of its document (lib/openapi.ts). The document is built on
 * the first request and then cached by @fastify/swagger.
 */
import swagger from '@fastify/swagger'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { ApiState } from './api.js'
import { mergeDocument } from './openapi.js'
import type { ResolvedOpenapiOptions } from './openapi-options.js'
import { kApiRoute } from './symbols.js'
import { installDocs } from './docs.js'

/** Registers the document on `app` (the root instance of the plugin). */
export function installOpenapi (app: FastifyInstance, state: ApiState, options: ResolvedOpenapiOptions): void {
  const openapiUrl = options.openapiUrl
  if (openapiUrl === null) return
  app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: options.document.title, version: options.document.version } },
    transform ({ schema, url, route }) {
      // Our routes are written by mergeDocument, from their declarations.
      const ours = (route.config as Record<symbol, unknown> | undefined)?.[kApiRoute] === true
      return ours ? { schema: { hide: true }, url } : { schema, url }
    },
    transformObject (documentObject) {
      const document = (documentObject as { openapiObject: Record<string, any> }).openapiObject
      return mergeDocument(document, state.routes, options.document)
    }
  })
  app.get(openapiUrl, { schema: { hide: true } as Record<string, unknown> }, async function openapi () {
    return app.swagger()
  })
  if (options.docsUrl === null && options.redocUrl === null) return
  // A plugin of its own so that @fastify/swagger (registered above) is loaded before the pages.
  app.register(fp(async function fastapiDocs (instance) {
    await installDocs(instance, {
      openapiUrl,
      docsUrl: options.docsUrl,
      redocUrl: options.redocUrl,
      title: options.document.title,
      oauth2RedirectUrl: options.oauth2RedirectUrl,
      swaggerUiParameters: options.swaggerUiParameters,
      swaggerUiInitOAuth: options.swaggerUiInitOAuth
    })
  }, { name: 'fastify-fastapi-docs' }))
}
