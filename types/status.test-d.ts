import { expectTypeOf } from 'expect-type'
import { status, reasonPhrase } from '../lib/status.js'
import type { StatusCode, StatusName } from '../lib/status.js'

expectTypeOf(status.HTTP_201_CREATED).toEqualTypeOf<201>()
expectTypeOf(status.HTTP_422_UNPROCESSABLE_CONTENT).toEqualTypeOf<422>()
// A deprecated alias has the same literal type as its current name.
expectTypeOf(status.HTTP_422_UNPROCESSABLE_ENTITY).toEqualTypeOf(status.HTTP_422_UNPROCESSABLE_CONTENT)

expectTypeOf<404>().toExtend<StatusCode>()
expectTypeOf<999>().not.toExtend<StatusCode>()
expectTypeOf<number>().not.toExtend<StatusCode>()
const notFound: StatusCode = 404
// @ts-expect-error 999 is not a named status code
const unknownCode: StatusCode = 999
// Codes Starlette has no name for are rejected even though they are valid HTTP.
// @ts-expect-error 509 has no name in status
const unnamed: StatusCode = 509

expectTypeOf<'HTTP_404_NOT_FOUND'>().toExtend<StatusName>()
expectTypeOf<'WS_1000_NORMAL_CLOSURE'>().not.toExtend<StatusName>()
// @ts-expect-error misspelled name
const typo: StatusName = 'HTTP_404_NOTFOUND'

// @ts-expect-error status is read-only
status.HTTP_200_OK = 201

expectTypeOf(reasonPhrase).parameter(0).toEqualTypeOf<number>()
expectTypeOf(reasonPhrase).returns.toEqualTypeOf<string>()

export { notFound, unknownCode, unnamed, typo }
