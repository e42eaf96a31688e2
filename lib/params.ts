/**
 * @module params — the markers that say where an argument comes from:
 * `Path`, `Query`, `Header`, `Cookie` and `Body`, as in FastAPI's `params.py`.
 *
 * A marker only records the declaration; the route compiler reads it once at
 * registration and the request path never touches it.
 */
import { z } from 'zod'
import { uploadFileSchema, type UploadFile } from './upload.js'
import type { ArgLocation } from './validation.js'
import type { FieldOptions } from './constraints.js'
import { kParam } from './symbols.js'

/** Options every parameter marker takes: FastAPI's constraint and docs options, plus these. */
export interface ParamOptions<T = unknown> extends FieldOptions<T> {
  /** The name on the wire (query key, header name, cookie name, path segment, body key). */
  alias?: string
  /** `false` leaves the parameter out of the OpenAPI document. */
  includeInSchema?: boolean
}

/** Options of `Header()`. */
export interface HeaderOptions<T = unknown> extends ParamOptions<T> {
  /** Turn `x_token`/`xToken` into `x-token` (default true, as FastAPI's convert_underscores). */
  convertUnderscores?: boolean
}

/** Options of `Body()`. */
export interface BodyOptions<T = unknown> extends ParamOptions<T> {
  /** Expect `{"<name>": value}` even when this is the only body argument. */
  embed?: boolean
}

/**
 * A parameter declaration: where the value comes from (`in`), its zod schema and options.
 * `TDefault` records at the type level whether a default makes the argument always present.
 */
export interface Param<
  TIn extends ArgLocation = ArgLocation,
  TSchema extends z.ZodType = z.ZodType,
  TDefault extends boolean = boolean
> {
  readonly [kParam]: true
  readonly in: TIn
  readonly schema: TSchema
  readonly options: Readonly<HeaderOptions & BodyOptions>
  /** Type-level only: whether `default` was given. */
  readonly __default?: TDefault
}

type HasDefault<TOptions> = TOptions extends { default: {} | null } ? true : false

/**
 * Makes every key of `TOptions` that `TAllowed` does not know a `never`, so a misspelt option
 * next to a valid one (`{ ge: 1, maxLenght: 3 }`) fails to compile: the excess property check
 * alone misses it because `TOptions` is inferred from the very object literal.
 */
type NoExtraKeys<TOptions, TAllowed> = { [K in Exclude<keyof TOptions, keyof TAllowed>]: never }

function marker<TIn extends ArgLocation> (location: TIn, schema: z.ZodType, options: object | undefined): Param<TIn> {
  return { [kParam]: true, in: location, schema, options: { ...options } }
}

/**
 * A path parameter, read from the URL segment `:name` (always required).
 * @example app.api.get('/items/:itemId', { args: { itemId: Path(z.number().int(), { ge: 1 }) } }, h)
 * @see README "Parameters"
 */
export function Path<TSchema extends z.ZodType, const TOptions extends ParamOptions<z.input<TSchema>> = {}> (
  schema: TSchema, options?: TOptions & NoExtraKeys<TOptions, ParamOptions>
): Param<'path', TSchema, HasDefault<TOptions>> {
  return marker('path', schema, options) as Param<'path', TSchema, HasDefault<TOptions>>
}

/**
 * A query parameter; `z.array(...)` accepts `?q=a&q=b`. Strings are coerced to numbers
 * and booleans when the schema asks for them.
 * @example { q: Query(z.string().optional(), { maxLength: 10 }) }
 * @see README "Parameters"
 */
export function Query<TSchema extends z.ZodType, const TOptions extends ParamOptions<z.input<TSchema>> = {}> (
  schema: TSchema, options?: TOptions & NoExtraKeys<TOptions, ParamOptions>
): Param<'query', TSchema, HasDefault<TOptions>> {
  return marker('query', schema, options) as Param<'query', TSchema, HasDefault<TOptions>>
}

/**
 * A request header; the argument name `xToken` or `x_token` reads the `x-token` header.
 * @example { xToken: Header(z.string()) }
 * @see README "Parameters"
 */
export function Header<TSchema extends z.ZodType, const TOptions extends HeaderOptions<z.input<TSchema>> = {}> (
  schema: TSchema, options?: TOptions & NoExtraKeys<TOptions, HeaderOptions>
): Param<'header', TSchema, HasDefault<TOptions>> {
  return marker('header', schema, options) as Param<'header', TSchema, HasDefault<TOptions>>
}

/**
 * A cookie, read from the `Cookie` header.
 * @example { session: Cookie(z.string().optional()) }
 * @see README "Parameters"
 */
export function Cookie<TSchema extends z.ZodType, const TOptions extends ParamOptions<z.input<TSchema>> = {}> (
  schema: TSchema, options?: TOptions & NoExtraKeys<TOptions, ParamOptions>
): Param<'cookie', TSchema, HasDefault<TOptions>> {
  return marker('cookie', schema, options) as Param<'cookie', TSchema, HasDefault<TOptions>>
}

/**
 * The JSON body. One `Body` argument receives the whole body; several (or `embed: true`)
 * expect an object keyed by their names, as FastAPI merges multiple body parameters.
 * @example { user: Body(UserIn) }
 * @see README "Request body"
 */
export function Body<TSchema extends z.ZodType, const TOptions extends BodyOptions<z.input<TSchema>> = {}> (
  schema: TSchema, options?: TOptions & NoExtraKeys<TOptions, BodyOptions>
): Param<'body', TSchema, HasDefault<TOptions>> {
  return marker('body', schema, options) as Param<'body', TSchema, HasDefault<TOptions>>
}

/**
 * A field of an `application/x-www-form-urlencoded` or `multipart/form-data` body, reported as
 * `["body", name]`. Form values are strings, coerced as query values; an empty field counts as absent.
 * @example { username: Form(z.string()) }
 * @see README "Forms and files"
 */
export function Form<TSchema extends z.ZodType, const TOptions extends ParamOptions<z.input<TSchema>> = {}> (
  schema: TSchema, options?: TOptions & NoExtraKeys<TOptions, ParamOptions>
): Param<'form', TSchema, HasDefault<TOptions>> {
  return marker('form', schema, options) as Param<'form', TSchema, HasDefault<TOptions>>
}

/** Options of `File()`. */
export interface FileOptions extends Pick<ParamOptions, 'alias' | 'title' | 'description' | 'deprecated' | 'includeInSchema'> {
  /** Accept the field repeated: the handler gets `UploadFile[]`. */
  list?: boolean
  /** The field may be left out: the handler gets `undefined`. */
  optional?: boolean
  /** Largest size of one file in bytes; a bigger file is answered 413 (the body limit applies anyway). */
  maxSize?: number
}

/** The schema `File(options)` declares, as the handler sees it. */
export type FileSchema<TOptions> = TOptions extends { list: true }
  ? (TOptions extends { optional: true } ? z.ZodOptional<z.ZodArray<z.ZodType<UploadFile>>> : z.ZodArray<z.ZodType<UploadFile>>)
  : (TOptions extends { optional: true } ? z.ZodOptional<z.ZodType<UploadFile>> : z.ZodType<UploadFile>)

/**
 * A file of a `multipart/form-data` body, given to the handler as an `UploadFile` (name,
 * content type, size, content); reported as `["body", name]`. A route that reads one is
 * documented as `multipart/form-data`.
 * @example { upload: File(), attachments: File({ list: true, optional: true, maxSize: 1 << 20 }) }
 * @see README "Forms and files"
 */
export function File<const TOptions extends FileOptions = {}> (
  options?: TOptions & NoExtraKeys<TOptions, FileOptions>
): Param<'form', FileSchema<TOptions>, false> {
  const { list = false, optional = false, maxSize, ...rest } = (options ?? {}) as FileOptions
  if (maxSize !== undefined && !(Number.isInteger(maxSize) && maxSize >= 0)) {
    throw new TypeError(`File(): maxSize must be a non-negative integer number of bytes, got ${String(maxSize)}.`)
  }
  const one = uploadFileSchema({ maxSize, list })
  const many: z.ZodType = list ? z.array(one) : one
  return marker('form', optional ? (many as any).optional() : many, rest) as Param<'form', FileSchema<TOptions>, false>
}

/** True when `value` is a marker made by one of the factories above. */
export function isParam (value: unknown): value is Param {
  return typeof value === 'object' && value !== null && (value as any)[kParam] === true
}
