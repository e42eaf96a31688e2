/**
 * @module not-found — FastAPI's 404 `{"detail":"Not Found"}`, 405 `{"detail":"Method Not Allowed"}`
 * and its `redirect_slashes`: `/items/` answers a 307 to `/items` when only that exists, and back.
 *
 * Fastify answers 404 for a known path with another method. To tell the two apart, every
 * route declared after the plugin is also recorded (path only) in a second router, which is
 * consulted only when Fastify found nothing.
 */
import type { FastifyInstance } from 'fastify'
import FindMyWay from 'find-my-way'

/** Installs the 404/405 handler on `app` (the plugin's scope, i.e. the app with fastify-plugin). */
export function installNotFound (app: FastifyInstance, redirectSlashes = true): void {
  // Fastify 5 takes these from `routerOptions` first, then from the deprecated top-level keys.
  const config = { ...app.initialConfig, ...app.initialConfig.routerOptions }
  const paths = FindMyWay({
    ignoreTrailingSlash: config.ignoreTrailingSlash,
    ignoreDuplicateSlashes: config.ignoreDuplicateSlashes,
    caseSensitive: config.caseSensitive,
    maxParamLength: config.maxParamLength
  })
  const methodsByUrl = new Map<string, Set<string>>()

  app.addHook('onRoute', route => {
    let methods = methodsByUrl.get(route.url)
    if (methods === undefined) {
      methods = new Set()
      methodsByUrl.set(route.url, methods)
      const store = methods
      // One pseudo-method: this router answers "does the path exist", not "with which method".
      paths.on('GET', route.url, () => {}, store)
    }
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) methods.add(method.toUpperCase())
  })

  // A route whose `:name` would be empty is no match, as in Starlette (see route-compiler.ts).
  const known = (path: string) => {
    const found = paths.find('GET', path)
    if (found === null) return null
    for (const name in found.params) if (name !== '*' && found.params[name] === '') return null
    return found
  }

  app.setNotFoundHandler(function fastapiNotFound (request, reply) {
    const query = request.url.indexOf('?')
    const path = query === -1 ? request.url : request.url.slice(0, query)
    const found = known(path)
    const methods = found?.store as Set<string> | undefined
    if (methods !== undefined && methods.size > 0 && !methods.has(request.method)) {
      return reply.code(405).header('allow', [...methods].join(', ')).send({ detail: 'Method Not Allowed' })
    }
    // `found` here means a route matched and sent this request on (reply.callNotFound(), as a
    // static-files wildcard does for a missing file): Starlette redirects only when nothing matched.
    if (redirectSlashes && path !== '/' && found === null) {
      // As Starlette's router: the other spelling of the path, whatever its methods (a 405 there is
      // the client's next answer), keeping the query; all trailing slashes go at once.
      const other = path.endsWith('/') ? path.replace(/\/+$/, '') : path + '/'
      if (other !== '' && known(other) !== null) {
        const target = other + (query === -1 ? '' : request.url.slice(query))
        // Starlette answers with an absolute URL built from the Host header; without one, a path.
        const location = request.headers.host === undefined ? target : `${request.protocol}://${request.host}${target}`
        return reply.code(307).header('location', location).send()
      }
    }
    return reply.code(404).send({ detail: 'Not Found' })
  })
}
