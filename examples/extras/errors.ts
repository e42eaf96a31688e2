/**
 * Errors: an app exception with its own handler (FastAPI's tutorial "Install custom exception
 * handlers"), the 422 with the body received ("Use the RequestValidationError body"), a 500 that
 * gives the client the request id to quote, and the counts the admin's dashboard shows.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  getAuthorizationSchemeParam, isHTTPException, isRequestValidationError, isResponseValidationError, reasonPhrase, status,
  type ErrorItem, type ExceptionHandler, type Location, type RequestValidationError, type ResponseValidationError,
  type StatusCode, type StatusName
} from '../../lib/index.js'

/** A file the virus scanner flagged: 423 Locked until it is scanned clean. */
export class DocumentLocked extends Error {
  readonly statusCode: StatusCode = status.HTTP_423_LOCKED
  readonly fileName: string

  constructor (fileName: string) {
    super(`${fileName} is locked until it is scanned clean`)
    this.name = 'DocumentLocked'
    this.fileName = fileName
  }
}

/** When to try again: the scanner runs once an hour. */
export const onDocumentLocked: ExceptionHandler<DocumentLocked> = function onDocumentLocked (error, _request, reply) {
  return reply.code(error.statusCode).header('retry-after', '3600').send({ detail: error.message })
}

/**
 * The usual 422, plus the JSON body as received, for clients debugging their requests. Only
 * JSON: the token form carries a password, which must not come back.
 */
export const onValidationError: ExceptionHandler<RequestValidationError> = function onValidationError (error, request, reply) {
  const detail: ErrorItem[] = error.errors()
  const json = request.headers['content-type']?.startsWith('application/json') === true
  return reply.code(status.HTTP_422_UNPROCESSABLE_CONTENT).send(json ? { detail, body: error.body } : { detail })
}

/**
 * A stored file that no longer fits `FileOut`: a bug of ours. The log says where the value
 * breaks the model (never the value itself); the client gets the request id to quote.
 */
export const onResponseValidationError: ExceptionHandler<ResponseValidationError> = function onResponseValidationError (error, request, reply) {
  request.log.error({ errors: error.errors().map(({ type, loc, msg }) => ({ type, loc, msg })) }, 'a stored file does not fit FileOut')
  return reply.code(status.HTTP_500_INTERNAL_SERVER_ERROR).send({ detail: 'Internal Server Error', request_id: request.id })
}

/** The HTTP errors the dashboard follows. */
const FOLLOWED: StatusName[] = ['HTTP_401_UNAUTHORIZED', 'HTTP_403_FORBIDDEN', 'HTTP_404_NOT_FOUND', 'HTTP_409_CONFLICT']

/** Counts for the admin's dashboard, fed by an `onError` hook and an `onRequest` hook. */
export class Metrics {
  /** 422 items by where the bad value was. */
  readonly invalid: Record<Location, number> = { path: 0, query: 0, header: 0, cookie: 0, body: 0 }
  readonly http = new Map<StatusName, number>(FOLLOWED.map(name => [name, 0]))
  brokenResponses = 0
  lockedDownloads = 0
  /** Requests by the scheme of their `Authorization` header, in lower case. */
  readonly schemes = new Map<string, number>()

  /** An `onError` hook: it sees every error of a route before the error handler answers it. */
  readonly onError = async (_request: FastifyRequest, _reply: FastifyReply, error: unknown) => {
    if (isRequestValidationError(error)) {
      for (const item of error.errors()) this.invalid[item.loc[0] as Location]++
    } else if (isResponseValidationError(error)) {
      this.brokenResponses++
    } else if (isHTTPException(error)) {
      const name = FOLLOWED.find(name => status[name] === error.statusCode)
      if (name !== undefined) this.http.set(name, (this.http.get(name) ?? 0) + 1)
    } else if (error instanceof DocumentLocked) {
      this.lockedDownloads++
    }
  }

  /** An `onRequest` hook: which authentication schemes clients use. */
  readonly onRequest = async (request: FastifyRequest) => {
    const [scheme] = getAuthorizationSchemeParam(request.headers.authorization)
    if (scheme !== '') this.schemes.set(scheme.toLowerCase(), (this.schemes.get(scheme.toLowerCase()) ?? 0) + 1)
  }

  snapshot () {
    return {
      invalid: this.invalid,
      http: FOLLOWED.map(name => ({ status: name, reason: reasonPhrase(status[name]), count: this.http.get(name) })),
      broken_responses: this.brokenResponses,
      locked_downloads: this.lockedDownloads,
      schemes: Object.fromEntries(this.schemes)
    }
  }
}
