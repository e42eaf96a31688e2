/**
 * Type tests: HTTPException and the other exceptions, `status` constants, exception handlers.
 */
import { expectTypeOf } from 'expect-type'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  HTTPException, RequestValidationError, ResponseValidationError,
  isHTTPException, isRequestValidationError, isResponseValidationError,
  status, type ErrorItem, type ExceptionHandler
} from '../lib/index.js'

declare const app: FastifyInstance

// ---------------------------------------------------------------------------
// HTTPException: (statusCode, detail?, headers?)
// ---------------------------------------------------------------------------

expectTypeOf(HTTPException).constructorParameters.toEqualTypeOf<
  [statusCode: number, detail?: unknown, headers?: Record<string, string>]
>()
expectTypeOf(new HTTPException(404)).toExtend<Error>()
expectTypeOf(new HTTPException(404).statusCode).toEqualTypeOf<number>()
expectTypeOf(new HTTPException(404).detail).toEqualTypeOf<unknown>()
expectTypeOf(new HTTPException(404).headers).toEqualTypeOf<Record<string, string> | undefined>()

const notFound = new HTTPException(status.HTTP_404_NOT_FOUND, 'Item not found', { 'X-Error': 'There goes my error' })
// detail may be any JSON value, as FastAPI's.
const structured = new HTTPException(status.HTTP_418_IM_A_TEAPOT, { reason: 'teapot', items: [1, 2] })
const plain = new HTTPException(500)

// @ts-expect-error the status code comes first and is a number
const swapped = new HTTPException('Item not found', 404)
// @ts-expect-error header values are strings
const badHeader = new HTTPException(404, 'x', { 'Retry-After': 120 })
// @ts-expect-error the status code is required
const noCode = new HTTPException()
// @ts-expect-error statusCode is read-only
notFound.statusCode = 500
// @ts-expect-error detail is read-only
notFound.detail = 'changed'

// ---------------------------------------------------------------------------
// status: literal codes
// ---------------------------------------------------------------------------

expectTypeOf(status.HTTP_201_CREATED).toEqualTypeOf<201>()
expectTypeOf(status.HTTP_404_NOT_FOUND).toEqualTypeOf<404>()
expectTypeOf(status.HTTP_201_CREATED).not.toEqualTypeOf<number>()
// @ts-expect-error misspelt name
const typo = status.HTTP_201_CREATE

// ---------------------------------------------------------------------------
// The validation errors and guards
// ---------------------------------------------------------------------------

expectTypeOf(new RequestValidationError([]).errors()).toEqualTypeOf<ErrorItem[]>()
expectTypeOf(new RequestValidationError([]).statusCode).toEqualTypeOf<422>()
expectTypeOf(new RequestValidationError([], { a: 1 }).body).toEqualTypeOf<unknown>()
expectTypeOf(new ResponseValidationError([]).statusCode).toEqualTypeOf<500>()
expectTypeOf<ErrorItem>().toEqualTypeOf<{
  type: string
  loc: Array<string | number>
  msg: string
  input: unknown
  ctx?: Record<string, unknown>
}>()

declare const caught: unknown
if (isHTTPException(caught)) expectTypeOf(caught).toEqualTypeOf<HTTPException>()
if (isRequestValidationError(caught)) expectTypeOf(caught.errors()).toEqualTypeOf<ErrorItem[]>()
if (isResponseValidationError(caught)) expectTypeOf(caught).toEqualTypeOf<ResponseValidationError>()

// ---------------------------------------------------------------------------
// Throwing from a handler and custom exception handlers
// ---------------------------------------------------------------------------

// A handler that only throws fits any declaration.
app.api.get('/items/:id', {}, () => { throw new HTTPException(status.HTTP_404_NOT_FOUND, 'Item not found') })

class UnicornException extends Error {
  constructor (readonly unicorn: string) { super(unicorn) }
}
// The handler's error is typed from the class it is registered for.
app.api.addExceptionHandler(UnicornException, function (error, request, reply) {
  expectTypeOf(error).toEqualTypeOf<UnicornException>()
  expectTypeOf(this).toEqualTypeOf<FastifyInstance>()
  expectTypeOf(request).toEqualTypeOf<FastifyRequest>()
  expectTypeOf(reply).toEqualTypeOf<FastifyReply>()
  return reply.code(418).send({ message: `Oops! ${error.unicorn} did something.` })
})
app.api.addExceptionHandler(RequestValidationError, (error, request, reply) => {
  expectTypeOf(error.errors()).toEqualTypeOf<ErrorItem[]>()
  return reply.code(400).send({ problems: error.errors() })
})
app.api.addExceptionHandler(HTTPException, async (error) => ({ detail: error.detail }))

const handler: ExceptionHandler<HTTPException> = (error, request, reply) => reply.code(error.statusCode).send()
app.api.addExceptionHandler(HTTPException, handler)

// @ts-expect-error the first argument is an error class, not an instance
app.api.addExceptionHandler(new HTTPException(404), () => null)
// @ts-expect-error a class that is not an Error
app.api.addExceptionHandler(Date, () => null)

export { notFound, structured, plain, swapped, badHeader, noCode, typo }
