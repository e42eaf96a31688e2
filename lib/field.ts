/**
 * @module field — `Field()`: FastAPI's constraints and docs metadata on a model property.
 */
import type { z } from 'zod'
import { applyFieldOptions, FIELD_OPTION_KEYS, type FieldOptions } from './constraints.js'
import { isZodSchema } from './zod-internals.js'
import { FFA_ERR_FIELD_INVALID_OPTION } from './errors.js'

/**
 * Returns `schema` with pydantic-style constraints (as zod checks) and docs metadata
 * (through zod's own `.meta()`). Invalid options throw at once, where the model is defined.
 *
 * With `default`, the property becomes optional on input and always present on output.
 *
 * @example
 * const UserIn = z.object({
 *   name: Field(z.string(), { minLength: 3, pattern: /^[a-z-]+$/, examples: ['my-username'] }),
 *   password: Field(z.string(), { minLength: 5, secret: true }),
 * })
 * @see README "Field"
 */
export function Field<TSchema extends z.ZodType> (schema: TSchema, options?: FieldOptions<z.input<TSchema>> & { default?: undefined }): TSchema
export function Field<TSchema extends z.ZodType> (schema: TSchema, options: FieldOptions<z.input<TSchema>> & { default: z.input<TSchema> }): z.ZodDefault<TSchema>
export function Field (schema: z.ZodType, options: FieldOptions = {}): z.ZodType {
  const fail = (message: string): never => { throw new FFA_ERR_FIELD_INVALID_OPTION(message) }
  if (!isZodSchema(schema)) fail('the first argument must be a zod schema.')
  for (const key of Object.keys(options)) {
    if (!FIELD_OPTION_KEYS.has(key)) fail(`unknown option "${key}".`)
  }
  return applyFieldOptions(schema, options, fail)
}
