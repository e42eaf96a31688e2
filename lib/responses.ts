/**
 * @module responses — FastAPI's response classes (Starlette's, which FastAPI re-exports).
 * A handler that returns one answers with it as it is: the route's response model,
 * `statusCode` and serializer are bypassed, as in FastAPI.
 */
import { extname } from 'node:path'
import type { Readable } from 'node:stream'
import { formatSetCookie, type CookieOptions } from './cookies.js'

export type { CookieOptions } from './cookies.js'

/** A chunk of a `StreamingResponse`: text is sent as UTF-8. */
export type StreamChunk = string | Uint8Array

/** What a `StreamingResponse` reads from. */
export type StreamContent = Readable | AsyncIterable<StreamChunk> | Iterable<StreamChunk>

/**
 * A response sent as it is. Its body is rendered once, at construction; `headers` (names in
 * lower case) already hold the `content-type` the media type gives, with `; charset=utf-8`
 * for `text/*`. Its status is its own (200 by default): a route's `statusCode` does not apply.
 * @example
 * return new Response('<a/>', 200, undefined, 'application/xml')
 * @see README "Response classes"
 */
export class Response {
  /** The class's media type; `responseClass` reads it for OpenAPI. */
  static mediaType: string | undefined = undefined
  /** The class's default status (FastAPI documents it for a route without `statusCode`). */
  static defaultStatusCode = 200

  statusCode: number
  headers: Record<string, string>
  mediaType: string | undefined
  body: Buffer
  /** The `Set-Cookie` lines `setCookie` and `deleteCookie` wrote, in order. */
  readonly cookies: string[] = []

  constructor (content?: string | Uint8Array | null, statusCode = 200, headers?: Record<string, string>, mediaType?: string) {
    this.statusCode = statusCode
    this.mediaType = mediaType ?? (new.target as typeof Response).mediaType
    this.body = this.render(content)
    this.headers = initHeaders(headers, this.mediaType)
  }

  /** Turns the content into the body's bytes; subclasses override it. */
  render (content: unknown): Buffer {
    if (content === null || content === undefined) return Buffer.alloc(0)
    if (typeof content === 'string') return Buffer.from(content)
    if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength)
    throw new TypeError(`${this.constructor.name} content must be a string or bytes, not ${typeof content}; use JSONResponse for other values.`)
  }

  /**
   * Adds a `Set-Cookie` line, written as Starlette writes it
   * (`key=value; Domain=…; expires=…; HttpOnly; Max-Age=…; Path=/; SameSite=lax; Secure`).
   */
  setCookie (key: string, value = '', options: CookieOptions = {}): void {
    this.cookies.push(formatSetCookie(key, value, options))
  }

  /** Adds a `Set-Cookie` line that expires the cookie now (`Max-Age=0`). */
  deleteCookie (key: string, options: Omit<CookieOptions, 'maxAge' | 'expires' | 'partitioned'> = {}): void {
    this.setCookie(key, '', { ...options, maxAge: 0, expires: 0 })
  }
}

/** `text/html; charset=utf-8`. */
export class HTMLResponse extends Response {
  static override mediaType: string | undefined = 'text/html'
}

/** `text/plain; charset=utf-8`. */
export class PlainTextResponse extends Response {
  static override mediaType: string | undefined = 'text/plain'
}

/**
 * Any JSON value, serialized with `JSON.stringify` (compact, non-ASCII kept), as
 * `application/json`. `undefined` gives `null`; a value JSON cannot hold (a BigInt, a function)
 * throws at construction.
 */
export class JSONResponse extends Response {
  static override mediaType: string | undefined = 'application/json'

  // The signature differs from Response's only in the content's type.
  constructor (content: unknown, statusCode = 200, headers?: Record<string, string>, mediaType?: string) {
    super(content as string, statusCode, headers, mediaType)
  }

  override render (content: unknown): Buffer {
    const text = JSON.stringify(content === undefined ? null : content)
    if (text === undefined) throw new TypeError(`JSONResponse content is not JSON-serializable (${typeof content}).`)
    return Buffer.from(text)
  }
}

/**
 * A redirect to `url` (307 by default; 301, 302, 303 and 308 are the other usual codes), with
 * no body. The URL is percent-encoded as Starlette does, keeping its reserved characters.
 */
export class RedirectResponse extends Response {
  static override defaultStatusCode = 307

  constructor (url: string | URL, statusCode = 307, headers?: Record<string, string>) {
    super(null, statusCode, headers)
    this.headers.location = percentEncode(String(url), ":/%#?=@[]!$&'()*+,;")
  }
}

/**
 * A body read from a stream or an iterable as it is sent (no `content-length`). Text chunks are
 * sent as UTF-8. With no media type, no `content-type` is set by the class.
 */
export class StreamingResponse extends Response {
  bodyIterator: StreamContent

  constructor (content: StreamContent, statusCode = 200, headers?: Record<string, string>, mediaType?: string) {
    super(null, statusCode, headers, mediaType)
    this.bodyIterator = content
  }
}

/** The options of `FileResponse`. */
export interface FileResponseOptions {
  statusCode?: number
  headers?: Record<string, string>
  /** Default: guessed from the extension of `filename`, else of the path. */
  mediaType?: string
  /** Sets `content-disposition` (`filename*=utf-8''…` for a name that needs encoding). */
  filename?: string
  /** Default `'attachment'`; `'inline'` lets a browser show the file. */
  contentDispositionType?: string
}

/**
 * A file streamed from disk, with `content-length`, `last-modified`, `etag` and
 * `accept-ranges: bytes`; `Range` requests get 206 (one or several ranges), as in Starlette.
 * The file is read when the response is sent: a missing path is an error there (a 500),
 * as Starlette's `RuntimeError`.
 */
export class FileResponse extends Response {
  path: string | URL
  filename: string | undefined

  constructor (path: string | URL, options: FileResponseOptions = {}) {
    const { filename } = options
    super(null, options.statusCode ?? 200, options.headers, options.mediaType ?? guessMediaType(filename ?? String(path)))
    this.path = path
    this.filename = filename
    this.headers['accept-ranges'] ??= 'bytes'
    if (filename !== undefined) {
      const type = options.contentDispositionType ?? 'attachment'
      const quoted = percentEncode(filename, '/')
      this.headers['content-disposition'] ??= quoted === filename
        ? `${type}; filename="${filename}"`
        : `${type}; filename*=utf-8''${quoted}`
    }
  }
}

function initHeaders (headers: Record<string, string> | undefined, mediaType: string | undefined): Record<string, string> {
  const result: Record<string, string> = {}
  if (headers !== undefined) {
    for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value
  }
  if (mediaType !== undefined && result['content-type'] === undefined) {
    result['content-type'] = mediaType.startsWith('text/') && !mediaType.toLowerCase().includes('charset=')
      ? `${mediaType}; charset=utf-8`
      : mediaType
  }
  return result
}

/** True for an instance of `Response` or one of its subclasses. */
export function isResponse (value: unknown): value is Response {
  return value instanceof Response
}

// Python's mimetypes defaults for common extensions (what Starlette's guess_type finds),
// as media type → extensions.
const MEDIA_TYPES = new Map<string, string>()
for (const line of [
  'text/html html htm', 'text/css css', 'text/javascript js mjs', 'text/plain txt', 'text/csv csv',
  'text/markdown md', 'text/calendar ics', 'application/json json', 'application/ld+json jsonld',
  'application/manifest+json webmanifest', 'application/xml xml', 'application/pdf pdf', 'application/zip zip',
  'application/gzip gz', 'application/x-tar tar', 'application/x-7z-compressed 7z', 'application/wasm wasm',
  'application/rtf rtf', 'application/epub+zip epub', 'application/msword doc', 'application/vnd.ms-excel xls',
  'application/vnd.ms-powerpoint ppt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation pptx',
  'image/png png', 'image/jpeg jpg jpeg', 'image/gif gif', 'image/webp webp', 'image/svg+xml svg',
  'image/vnd.microsoft.icon ico', 'image/bmp bmp', 'image/tiff tif tiff', 'image/avif avif', 'image/apng apng',
  'image/heic heic', 'audio/mpeg mp3', 'audio/ogg ogg oga opus', 'audio/x-wav wav', 'audio/flac flac',
  'audio/aac aac', 'audio/mp4 m4a', 'video/mp4 mp4', 'video/webm webm', 'video/ogg ogv', 'video/quicktime mov',
  'video/mpeg mpeg mpg', 'video/x-msvideo avi', 'font/woff woff', 'font/woff2 woff2', 'font/ttf ttf', 'font/otf otf'
]) {
  const [type, ...extensions] = line.split(' ')
  for (const extension of extensions) MEDIA_TYPES.set(`.${extension}`, type)
}

/** The media type of a file name's extension, `application/octet-stream` when unknown. */
export function guessMediaType (name: string): string {
  return MEDIA_TYPES.get(extname(name).toLowerCase()) ?? 'application/octet-stream'
}

// --- encoding ---

const ALWAYS_SAFE = /^[A-Za-z0-9_.~-]$/

/** Python's `urllib.parse.quote(text, safe)`: UTF-8 bytes, percent-encoded unless safe. */
function percentEncode (text: string, safe: string): string {
  let out = ''
  for (const byte of Buffer.from(text)) {
    const char = String.fromCharCode(byte)
    out += byte < 0x80 && (ALWAYS_SAFE.test(char) || safe.includes(char))
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}
