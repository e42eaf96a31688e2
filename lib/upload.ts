/**
 * @module upload — `UploadFile`, a file received in a `multipart/form-data` body, the spool that
 * holds its content, and the zod schema `File()` declares for it.
 *
 * As Starlette's `UploadFile` over a `SpooledTemporaryFile(max_size=1 MB)`: up to 1 MiB the
 * content stays in memory, past it the whole content goes to a temporary file while it is
 * received. The file's name is removed as soon as it is open (as Python's `TemporaryFile` does),
 * so only its descriptor keeps it, and closing the `UploadFile` frees the disk space: nothing
 * is left in the temporary directory, even after a crash.
 */
import { randomBytes } from 'node:crypto'
import { open, unlink, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { z } from 'zod'
import { defOf, unwrap } from './zod-internals.js'

/** Starlette's `MultiPartParser.spool_max_size`: a file larger than this goes to disk. */
export const SPOOL_MAX_SIZE = 1024 * 1024
/** The start of every temporary file's name, in `os.tmpdir()`. */
export const SPOOL_PREFIX = 'fastify-fastapi-upload-'
// Disk reads and streamed chunks: the size of fs streams' default buffer.
const CHUNK_SIZE = 64 * 1024

/**
 * Where one file's content lives while the request is handled: in memory up to `maxMemory`
 * bytes, then in an anonymous temporary file. Written by the multipart parser, read through
 * `UploadFile`; `close()` frees it.
 * @internal
 */
export class SpooledFile {
  #chunks: Buffer[] | null = []
  #memory: Buffer | null = null
  #handle: FileHandle | null = null
  #path: string | null = null
  #size = 0
  #rolled = false
  #pending: Promise<void> = Promise.resolve()
  #closing: Promise<void> | null = null
  readonly #maxMemory: number

  constructor (maxMemory = SPOOL_MAX_SIZE) {
    this.#maxMemory = maxMemory
  }

  /** A finished spool holding `content` in memory (what `new UploadFile(…, buffer)` uses). */
  static of (content: Buffer): SpooledFile {
    const spool = new SpooledFile(Infinity)
    spool.#memory = content
    spool.#chunks = null
    spool.#size = content.length
    return spool
  }

  /** The bytes written so far. */
  get size (): number {
    return this.#size
  }

  /** True once the content goes to a temporary file. */
  get onDisk (): boolean {
    return this.#rolled
  }

  get closed (): boolean {
    return this.#closing !== null
  }

  /**
   * Appends `chunk`. Returns `null` when it is stored already (in memory), else a promise the
   * writer should wait for before the next chunk (the disk's backpressure). A write error
   * rejects it, and every later write.
   */
  write (chunk: Buffer): Promise<void> | null {
    if (this.#closing !== null) return Promise.reject(closedError())
    const position = this.#size
    this.#size += chunk.length
    if (!this.#rolled && this.#size <= this.#maxMemory) {
      (this.#chunks as Buffer[]).push(chunk)
      return null
    }
    // Decided now, not when the queued write runs: only the first chunk past the limit rolls over.
    const rollover = !this.#rolled
    this.#rolled = true
    this.#pending = this.#pending.then(async () => {
      if (rollover) await this.#rollover()
      await writeAll(this.#handle as FileHandle, chunk, position)
    })
    return this.#pending
  }

  /** Ends the writes: resolves when everything written is stored. */
  async finish (): Promise<void> {
    await this.#pending
    if (this.#chunks !== null) {
      this.#memory = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks)
      this.#chunks = null
    }
  }

  /** Up to `length` bytes from `position`. */
  async read (position: number, length: number): Promise<Buffer> {
    if (this.#closing !== null) throw closedError()
    const end = Math.min(this.#size, position + length)
    if (end <= position) return Buffer.alloc(0)
    if (this.#memory !== null) return Buffer.from(this.#memory.subarray(position, end))
    const handle = this.#handle as FileHandle
    const buffer = Buffer.allocUnsafe(end - position)
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled)
      // The file is ours alone; a short file would mean it was cut behind our back.
      if (bytesRead === 0) throw new Error('The temporary file of an upload ended early.')
      filled += bytesRead
    }
    return buffer
  }

  /** The content from `position`, chunk by chunk. */
  async * chunks (position = 0): AsyncGenerator<Buffer> {
    if (this.#memory !== null) {
      if (this.#closing !== null) throw closedError()
      if (position < this.#size) yield this.#memory.subarray(position)
      return
    }
    for (let at = position; at < this.#size; at += CHUNK_SIZE) yield await this.read(at, CHUNK_SIZE)
  }

  /** Frees the content: closes and removes the temporary file. Idempotent. */
  close (): Promise<void> {
    this.#closing ??= this.#release()
    return this.#closing
  }

  async #release (): Promise<void> {
    this.#chunks = null
    this.#memory = null
    // A write still running (a request cut while spooling) ends before the descriptor goes.
    await this.#pending.catch(() => {})
    const handle = this.#handle
    const path = this.#path
    this.#path = null
    try {
      if (handle !== null) await handle.close()
    } finally {
      if (path !== null) await unlink(path).catch(() => {})
    }
  }

  async #rollover (): Promise<void> {
    const path = join(tmpdir(), SPOOL_PREFIX + randomBytes(12).toString('hex'))
    // 'wx+': O_CREAT | O_EXCL — never an existing file (or a link planted under that name); 0600: ours only.
    const handle = await open(path, 'wx+', 0o600)
    this.#handle = handle
    this.#path = path
    // NOTE: unlinking an open file works on POSIX (and on Windows, where libuv opens with
    // FILE_SHARE_DELETE); if it fails, close() removes the name instead.
    await unlink(path).then(() => { this.#path = null }, () => {})
    const chunks = this.#chunks as Buffer[]
    this.#chunks = null
    let position = 0
    for (const chunk of chunks) {
      await writeAll(handle, chunk, position)
      position += chunk.length
    }
  }
}

async function writeAll (handle: FileHandle, chunk: Buffer, position: number): Promise<void> {
  let written = 0
  while (written < chunk.length) {
    const result = await handle.write(chunk, written, chunk.length - written, position + written)
    written += result.bytesWritten
  }
}

/** Python's message for any I/O on a closed file. */
function closedError (): Error {
  return new Error('I/O operation on closed file.')
}

/**
 * A file of a multipart body, as FastAPI's `UploadFile`. Up to 1 MiB its content is in memory,
 * past that in a temporary file; either way the file is closed once the response is sent.
 * @see README "Forms and files"
 */
export class UploadFile {
  /** The file name the client sent (`filename` of the part's Content-Disposition). */
  readonly filename: string
  /** The part's Content-Type (`text/plain` when the client sent none, as RFC 7578 says). */
  readonly contentType: string
  /** The part's headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly #spool: SpooledFile
  #position = 0

  /** `content` is the whole file, or (inside the parser) the spool it was received into. */
  constructor (filename: string, contentType: string, content: Buffer | SpooledFile, headers: Record<string, string> = {}) {
    this.filename = filename
    this.contentType = contentType
    this.headers = headers
    this.#spool = Buffer.isBuffer(content) ? SpooledFile.of(content) : content
  }

  /** The size of the content in bytes. */
  get size (): number {
    return this.#spool.size
  }

  /**
   * Reads `size` bytes (all the rest when left out) from the current position and moves it,
   * as FastAPI's `await file.read(size)`: a second `read()` gives an empty buffer until `seek(0)`.
   */
  async read (size = -1): Promise<Buffer> {
    const start = this.#position
    const length = size < 0 ? this.#spool.size - start : size
    this.#position = Math.min(this.#spool.size, start + Math.max(0, length))
    return this.#spool.read(start, length)
  }

  /** Moves the position `read()` starts from (`seek(0)`: back to the start). */
  async seek (offset: number): Promise<void> {
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`seek(): the offset must be a non-negative integer, got ${String(offset)}.`)
    if (this.#spool.closed) throw closedError()
    this.#position = offset
  }

  /** The whole content decoded as text (UTF-8 unless told otherwise); the position is not used. */
  async text (encoding: BufferEncoding = 'utf8'): Promise<string> {
    return (await this.#spool.read(0, this.#spool.size)).toString(encoding)
  }

  /** The whole content as a readable stream, e.g. to pipe it to disk; the position is not used. */
  stream (): Readable {
    return Readable.from(this.#spool.chunks(), { objectMode: false })
  }

  /** The whole content, chunk by chunk. */
  [Symbol.asyncIterator] (): AsyncGenerator<Buffer> {
    return this.#spool.chunks()
  }

  /**
   * Frees the content (and its temporary file). Done for you once the response is sent; later
   * reads reject with "I/O operation on closed file.". Calling it again does nothing.
   */
  close (): Promise<void> {
    return this.#spool.close()
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
