/**
 * @module errors — developer-facing error codes, thrown at route registration.
 *
 * Every message names the route ("GET /items/:id"), the argument and the fix.
 * Codes are never reused; the README's error table and test/errors.test.ts list them all.
 */
import createError from '@fastify/error'

/** A `Path()` argument whose name (or alias) is not a `:param` of the URL. */
export const FFA_ERR_PATH_PARAM_NOT_IN_URL = createError<'FFA_ERR_PATH_PARAM_NOT_IN_URL', [string, string, string, string]>(
  'FFA_ERR_PATH_PARAM_NOT_IN_URL',
  '%s: argument "%s" is declared with Path() but the URL has no ":%s" segment. Add ":%s" to the URL, or declare the argument with Query().'
)

/** A `:param` in the URL that no `Path()` argument reads, on a route that declares args. */
export const FFA_ERR_PATH_PARAM_UNDECLARED = createError(
  'FFA_ERR_PATH_PARAM_UNDECLARED',
  '%s: the URL segment ":%s" has no Path() argument. Add `%s: Path(z.string())` (or another schema) to args.'
)

/** A `Path()` argument that is optional or has a default: path segments are always present. */
export const FFA_ERR_PATH_PARAM_OPTIONAL = createError(
  'FFA_ERR_PATH_PARAM_OPTIONAL',
  '%s: Path() argument "%s" is optional or has a default, but a path parameter is always required (as in FastAPI). Remove .optional()/default, or use Query().'
)

/** Two arguments that read the same name from the same location. */
export const FFA_ERR_PARAM_DUPLICATE_NAME = createError<'FFA_ERR_PARAM_DUPLICATE_NAME', [string, string, string, string, string]>(
  'FFA_ERR_PARAM_DUPLICATE_NAME',
  '%s: arguments "%s" and "%s" both read %s "%s". Give one of them another name or alias.'
)

/** An `args` entry that is not a marker made by Path/Query/Header/Cookie/Body. */
export const FFA_ERR_PARAM_NOT_A_MARKER = createError(
  'FFA_ERR_PARAM_NOT_A_MARKER',
  '%s: argument "%s" is not a parameter declaration. Wrap its schema: `%s: Query(z.string())` (or Path, Header, Cookie, Body).'
)

/** A marker option that is unknown, of the wrong type, or does not fit the schema. */
export const FFA_ERR_PARAM_INVALID_OPTION = createError(
  'FFA_ERR_PARAM_INVALID_OPTION',
  '%s: argument "%s": %s'
)

/** A schema that is not a zod schema, or that a location cannot carry (an object in a query). */
export const FFA_ERR_PARAM_INVALID_SCHEMA = createError(
  'FFA_ERR_PARAM_INVALID_SCHEMA',
  '%s: argument "%s": %s'
)

/** A `Body()` argument on a GET or HEAD route, whose body Fastify never reads. */
export const FFA_ERR_BODY_NOT_ALLOWED = createError(
  'FFA_ERR_BODY_NOT_ALLOWED',
  '%s: argument "%s" is a Body(), but Fastify does not read a body for %s requests. Use POST/PUT/PATCH, or Query() parameters.'
)

/** An unknown or ill-typed route option (a typo such as `responseMdoel`). */
export const FFA_ERR_ROUTE_INVALID_OPTION = createError(
  'FFA_ERR_ROUTE_INVALID_OPTION',
  '%s: %s'
)

/** A `responseModel` or `responses[code].model` that is not a zod schema. */
export const FFA_ERR_RESPONSE_INVALID_MODEL = createError(
  'FFA_ERR_RESPONSE_INVALID_MODEL',
  '%s: %s is not a zod schema. Pass a zod schema such as z.object({ ... }).'
)

/** An invalid plugin option passed to `app.register(fastapi, options)`. */
export const FFA_ERR_OPTIONS_INVALID = createError(
  'FFA_ERR_OPTIONS_INVALID',
  'fastify-fastapi options: %s'
)

/** An invalid option given to `Field()` where a model is defined. */
export const FFA_ERR_FIELD_INVALID_OPTION = createError(
  'FFA_ERR_FIELD_INVALID_OPTION',
  'Field(): %s'
)

/** A `Depends()`/`Security()` of something that is not a dependency, a bad option, or a bad `dependencies` entry. */
export const FFA_ERR_DEPENDS_INVALID = createError(
  'FFA_ERR_DEPENDS_INVALID',
  '%s: argument "%s": %s'
)

/** A dependency that depends on itself, directly or through others (overrides included). */
export const FFA_ERR_DEPENDS_CYCLE = createError(
  'FFA_ERR_DEPENDS_CYCLE',
  '%s: argument "%s" closes a dependency cycle: %s. A dependency cannot need its own value; break the cycle.'
)

/** Two nodes of one route's graph that read the same request value with different schemas. */
export const FFA_ERR_DEPENDS_PARAM_CLASH = createError<'FFA_ERR_DEPENDS_PARAM_CLASH', [string, string, string, string, string]>(
  'FFA_ERR_DEPENDS_PARAM_CLASH',
  '%s: arguments "%s" and "%s" both read %s "%s" but declare it differently. Declare it the same way in both, or give one an alias.'
)

/** A `File()` route on an instance whose multipart/form-data bodies another parser reads (@fastify/multipart). */
export const FFA_ERR_BODY_PARSER_CONFLICT = createError(
  'FFA_ERR_BODY_PARSER_CONFLICT',
  '%s: argument "%s" is a File(), but multipart/form-data bodies of this instance are parsed by another parser (such as @fastify/multipart), whose result fastify-fastapi cannot read files from. Register that parser inside an encapsulated plugin with the routes that use it, or declare this route in a plugin where it is not registered.'
)
