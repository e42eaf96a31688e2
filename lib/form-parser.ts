/**
 * @module form-parser — parses `application/x-www-form-urlencoded` bodies for the routes that
 * read form fields (OAuth2PasswordRequestForm, for now).
 *
 * Installed on the instance that declares such a route, and only when that instance has no
 * parser for the type yet (an app that registered @fastify/formbody keeps its own). Any other
 * route of the instance keeps Fastify's 415 for the type, as if the parser were not there.
 */
import { parse } from 'fast-querystring'
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify'
import { kFormRoute } from './symbols.js'

const FORM_TYPE = 'application/x-www-form-urlencoded'

/** Makes `instance` parse urlencoded bodies for routes flagged with `config[kFormRoute]`. */
export function installFormParser (instance: FastifyInstance): void {
  if (instance.hasContentTypeParser(FORM_TYPE)) return
  instance.addContentTypeParser(FORM_TYPE, { parseAs: 'string' }, function parseForm (request: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) {
    if ((request.routeOptions.config as unknown as Record<symbol, unknown>)[kFormRoute] !== true) {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(FORM_TYPE))
      return
    }
    done(null, parse(body.toString()))
  })
}
