/**
 * @module upload — `UploadFile`, a file received in a `multipart/form-data` body, and the zod
 * schema `File()` declares for it.
 *
 * The content is held in memory (the request's body limit bounds it); FastAPI spools a file to
 * disk past 1 MB, which this does not do yet.
 */
import { Readable } from 'node:stream'
import { z } from 'zod'
import { defOf, unwrap } from './zod-internals.js'

/** A file of a multipart body, as FastAPI's `UploadFile`. */
export class UploadFile {
  /** The file name the client sent (`filename` of the part's Content-Disposition). */
  readonly filename: string
  /** The part's Content-Type (`text/plain` when the client sent none, as RFC 7578 says). */
  readonly contentType: string
  /** The part's headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly #content: Buffer

  constructor (filename: string, contentType: string, content: Buffer, headers: Record<string, string> = {}) {
    this.filename = filename
    this.contentType = contentType
    this.headers = headers
    this.#content = content
  }

  /** The size of the content in bytes. */
  get size (): number {
    return this.#content.length
  }

  /** The whole content. */
  async read (): Promise<Buffer> {
    return this.#content
  }

  /** The content decoded as text (UTF-8 unless told otherwise). */
  async text (encoding: BufferEncoding = 'utf8'): Promise<string> {
    return this.#content.toString(encoding)
  }

  /** The content as a readable stream, e.g. to pipe it to disk. */
  stream (): Readable {
    return Readable.from([this.#content])
  }

  async * [Symbol.asyncIterator] (): AsyncGenerator<Buffer> {
    yield this.#content
  }

  /** What the file looks like in a JSON answer or a log: its metadata, never its content. */
  toJSON (): { filename: string, contentType: string, size: number } {
    return { filename: this.filename, contentType: this.contentType, size: this.size }
  }
}

/** What `File()` said about its argument, kept for the reader and the OpenAPI document. */
export interface FileInfo {
  /** Largest accepted size of one file in bytes; a bigger one is a 413. */
  maxSize: number | undefined
  list: boolean
}

// Keyed by the schema's def: zod's clones (`.meta()`, `.optional()` inside) share it.
const fileDefs = new WeakMap<object, FileInfo>()

/** A new schema that accepts one `UploadFile`, with pydantic's message for anything else. */
export function uploadFileSchema (info: FileInfo): z.ZodType<UploadFile> {
  const schema = z.custom<UploadFile>(value => value === undefined || value instanceof UploadFile, {
    error: issue => `Expected UploadFile, received: <class '${pyTypeName(issue.input)}'>`
  })
  fileDefs.set(defOf(schema), info)
  // Passing undefined on to nonoptional makes an absent file zod's invalid_type, pydantic's `missing`.
  return schema.nonoptional() as unknown as z.ZodType<UploadFile>
}

/** The `File()` declaration behind an argument's schema (a file or a list of files), if any. */
export function fileInfoOf (schema: z.ZodType): FileInfo | undefined {
  const inner = unwrap(schema)
  const def = defOf(inner)
  if (def.type === 'array') return fileDefs.get(defOf(unwrap(def.element)))
  return fileDefs.get(def)
}

function pyTypeName (value: unknown): string {
  if (typeof value === 'string') return 'str'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  if (typeof value === 'boolean') return 'bool'
  if (value === null) return 'NoneType'
  return Array.isArray(value) ? 'list' : 'dict'
}
