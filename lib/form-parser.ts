/**
 * @module form-parser — parses `application/x-www-form-urlencoded` and `multipart/form-data`
 * bodies for `app.api` routes: the fields as strings, the files as `UploadFile` (spooled to disk
 * past 1 MiB, closed once the response is sent), every limit applied while the body streams in.
 *
 * Which routes get a form body parsed is decided once, at registration (an `onRoute` hook):
 * - `formParsers: 'auto'` (default): routes that read form fields or files (`Form()`, `File()`,
 *   OAuth2PasswordRequestForm); the parsers are installed on the instance that declares the first one.
 * - `formParsers: 'always'`: also every other `app.api` route without a JSON `Body()`, as Starlette
 *   parses `request.form()` for any endpoint; installed when the plugin is registered.
 * Plain Fastify routes keep Fastify's 415 for these types either way, and an app's own parser for
 * a type (@fastify/formbody, @fastify/multipart) is kept: a `File()` route then fails at
 * registration (FFA_ERR_BODY_PARSER_CONFLICT), since the files are in that parser's hands.
 */
import { isUtf8 } from 'node:buffer'
import type { IncomingMessage } from 'node:http'
import { Busboy, type BusboyFileStream, type BusboyInstance } from '@fastify/busboy'
import { parse } from 'fast-querystring'
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify'
import { mayHoldEscape, parseQueryString } from './coerce.js'
import { FFA_ERR_BODY_PARSER_CONFLICT, FFA_ERR_OPTIONS_INVALID } from './errors.js'
import type { CompiledRoute } from './route-compiler.js'
import { kApiRoute, kFormInfo, kFormRoute } from './symbols.js'
import { fileInfoOf, SpooledFile, UploadFile } from './upload.js'

/**
 * When form bodies are parsed: `'auto'` for routes that read form fields or files, `'always'`
 * for every `app.api` route without a JSON `Body()` (see the plugin option `formParsers`).
 */
export type FormParsers = 'auto' | 'always'

const FORM_TYPE = 'application/x-www-form-urlencoded'
const MULTIPART_TYPE = 'multipart/form-data'

/** Decided at registration for one route. */
interface FormRouteInfo {
  /** Largest size of one file, by the field name on the wire (a `File({ maxSize })` argument). */
  maxSizes: ReadonlyMap<string, number>
}

/** After a request's files were handed out: who closes them once the response is sent. */
interface Release {
  /** The handler has answered (onSend ran). */
  answered: boolean
  /** Set when the client left before the handler answered: called once it does. */
  onAnswered: (() => void) | null
}

type Done = (err: Error | null, body?: unknown) => void

const modes = new WeakMap<FastifyInstance, FormParsers>()
// The instances we installed a parser on, per type; their children created later inherit it.
const owners = { [FORM_TYPE]: new WeakSet<FastifyInstance>(), [MULTIPART_TYPE]: new WeakSet<FastifyInstance>() }
const hooked = new WeakSet<FastifyInstance>()
const replies = new WeakMap<FastifyRequest, FastifyReply>()
const releases = new WeakMap<FastifyRequest, Release>()
const NO_LIMITS: FormRouteInfo = { maxSizes: new Map() }

/**
 * Checks the `formParsers` plugin option and, for `'always'`, installs the parsers on the
 * plugin's instance at once. Throws FFA_ERR_OPTIONS_INVALID.
 */
export function setupFormParsers (app: FastifyInstance, mode: unknown): void {
  if (mode === undefined) return
  if (mode !== 'auto' && mode !== 'always') {
    throw new FFA_ERR_OPTIONS_INVALID(`formParsers must be 'auto' or 'always', got ${JSON.stringify(mode)}.`)
  }
  modes.set(app, mode)
  if (mode === 'always') installFormParser(app)
}

/** Makes `instance` parse form bodies for the routes that read them (and, for 'always', the others). */
export function installFormParser (instance: FastifyInstance): void {
  for (const type of [FORM_TYPE, MULTIPART_TYPE] as const) {
    if (instance.hasContentTypeParser(type)) continue
    if (type === FORM_TYPE) instance.addContentTypeParser(type, { parseAs: 'string' }, parseForm)
    else instance.addContentTypeParser(type, parseMultipart)
    owners[type].add(instance)
  }
  // Fastify copies hooks into the child contexts created afterwards, so a child may run this
  // hook twice (its parent's copy and its own); the hook makes the second run a no-op.
  if (!hooked.has(instance)) {
    hooked.add(instance)
    instance.addHook('onRoute', onFormRoute)
  }
}

/**
 * At registration: decides whether the route accepts form bodies, reads its `File({ maxSize })`
 * limits, and adds the two route hooks that close its files after the response.
 */
function onFormRoute (this: FastifyInstance, opts: RouteOptions): void {
  const config = opts.config as Record<symbol, unknown> | undefined
  if (config?.[kApiRoute] !== true || config[kFormInfo] !== undefined) return
  const compiled = findCompiled(this, config)
  if (compiled === undefined) return
  const readsJson = compiled.args.some(arg => arg.in === 'body')
  if (config[kFormRoute] !== true && (readsJson || modeOf(this) !== 'always')) return
  const route = `${([] as string[]).concat(opts.method).join(',')} ${opts.url}`
  const maxSizes = new Map<string, number>()
  for (const arg of compiled.args) {
    const file = arg.in === 'form' ? fileInfoOf(arg.schema) : undefined
    if (file === undefined) continue
    if (!parsesOwn(this, MULTIPART_TYPE)) throw new FFA_ERR_BODY_PARSER_CONFLICT(route, arg.name)
    // The same field read by the route and a dependency: the smaller limit holds.
    if (file.maxSize !== undefined) maxSizes.set(arg.wire, Math.min(maxSizes.get(arg.wire) ?? Infinity, file.maxSize))
  }
  const info: FormRouteInfo = { maxSizes }
  opts.config = { ...config, [kFormInfo]: info } as RouteOptions['config']
  // Route-level hooks run after the instance's: a request an app hook refuses is never parsed.
  opts.preParsing = [keepReply, ...hookList(opts.preParsing)]
  opts.onSend = [...hookList(opts.onSend), markAnswered]
}

/** The compiled `app.api` route behind `config` (the object compileRoute made, passed on as is). */
function findCompiled (instance: FastifyInstance, config: object): CompiledRoute | undefined {
  const routes = (instance as { api?: { routes: readonly CompiledRoute[] } }).api?.routes ?? []
  // The route being registered was pushed last.
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i].routeOptions.config === config) return routes[i]
  return undefined
}

function modeOf (instance: FastifyInstance): FormParsers {
  for (let level: object | null = instance; level !== null; level = Object.getPrototypeOf(level)) {
    const mode = modes.get(level as FastifyInstance)
    if (mode !== undefined) return mode
  }
  return 'auto'
}

/**
 * True when `instance` parses `type` with our parser: installed on it or on an ancestor (child
 * contexts are `Object.create(parent)` and copy the parent's parsers when created).
 * NOTE: a child created before its parent got our parser, that then registers its own, is
 * taken as ours; Fastify's public API cannot tell which function parses a type.
 */
function parsesOwn (instance: FastifyInstance, type: typeof FORM_TYPE | typeof MULTIPART_TYPE): boolean {
  if (!instance.hasContentTypeParser(type)) return false
  for (let level: object | null = instance; level !== null; level = Object.getPrototypeOf(level)) {
    if (owners[type].has(level as FastifyInstance)) return true
  }
  return false
}

function hookList<T> (hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return []
  return Array.isArray(hooks) ? hooks : [hooks]
}

function keepReply (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: any) => void): void {
  replies.set(request, reply)
  done(null, payload)
}

function markAnswered (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: any) => void): void {
  const release = releases.get(request)
  if (release !== undefined) {
    release.answered = true
    const onAnswered = release.onAnswered
    release.onAnswered = null
    if (onAnswered !== null) onAnswered()
  }
  done(null, payload)
}

/** The route's form settings, or undefined when it does not take form bodies. */
function formInfoOf (config: object): FormRouteInfo | undefined {
  const own = config as Record<symbol, unknown>
  const info = own[kFormInfo] as FormRouteInfo | undefined
  if (info !== undefined) return info
  return own[kFormRoute] === true ? NO_LIMITS : undefined
}

function parseForm (request: FastifyRequest, body: string | Buffer, done: Done): void {
  if (formInfoOf(request.routeOptions.config) === undefined) {
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(FORM_TYPE))
    return
  }
  const text = body.toString()
  const fields = parse(text)
  // A name or value that still holds a `%` may read otherwise in Starlette (fast-querystring
  // keeps a value with an escape it cannot decode, such as `%FF`, raw; Starlette decodes it
  // with U+FFFD): read the body again as Starlette does. One `includes` per field otherwise.
  for (const name in fields) {
    if (name.includes('%') || mayHoldEscape(fields[name])) {
      done(null, parseQueryString(text))
      return
    }
  }
  done(null, fields)
}

function parseMultipart (request: FastifyRequest, payload: IncomingMessage, done: Done): void {
  // routeOptions is a getter that builds a new object: read it once.
  const { config, bodyLimit } = request.routeOptions
  const info = formInfoOf(config)
  if (info === undefined) {
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(MULTIPART_TYPE))
    return
  }
  readMultipart(request, payload, info, bodyLimit ?? Infinity, done)
}

/**
 * Collects the fields (strings) and files (`UploadFile`) of a multipart body into the shape
 * fast-querystring gives an urlencoded one: a value, or an array when repeated.
 *
 * The route's body limit bounds the whole body and each field, a `File({ maxSize })` its file:
 * the first byte past a limit answers 413 at once. Then (and on a malformed body) the rest of the
 * body is not read: the answer says `Connection: close`, so Node closes the socket after it.
 */
function readMultipart (request: FastifyRequest, payload: IncomingMessage, info: FormRouteInfo, limit: number, done: Done): void {
  const reply = replies.get(request)
  const body: Record<string, unknown> = Object.create(null)
  const files: SpooledFile[] = []
  let pending = 0
  let finished = false
  let settled = false
  let received = 0
  let parser: BusboyInstance | undefined

  const settle = (err: Error | null): void => {
    if (settled) return
    settled = true
    payload.removeListener('data', count)
    if (err === null) {
      if (files.length > 0 && reply !== undefined) closeAfterResponse(request, reply, files)
      done(null, body)
      return
    }
    for (const file of files) file.close().catch(/* c8 ignore next */ error => request.log.error({ err: error }, 'Could not remove an upload\'s temporary file'))
    if (parser !== undefined) payload.unpipe(parser)
    if (!payload.readableEnded) {
      // Without the reply there is no way to close the connection: read the rest and drop it.
      if (reply === undefined) payload.resume()
      else reply.header('connection', 'close')
    }
    done(err)
  }
  const maybeDone = (): void => {
    if (finished && pending === 0) settle(null)
  }
  const count = (chunk: Buffer): void => {
    received += chunk.length
    if (received > limit) settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
  }

  // As Fastify's own parsers: a declared length over the limit is refused before reading.
  if (Number(request.headers['content-length']) > limit) {
    settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
    return
  }
  const charset = charsetOf(request.headers['content-type'])
  try {
    // Fields arrive as Latin-1 text, one character per byte, and are decoded in decodeField.
    parser = Busboy({ headers: request.headers as any, defCharset: 'latin1', limits: { fieldSize: limit, fileSize: limit } })
  } catch (err) {
    // No boundary, or not a multipart type busboy knows: the body cannot be read.
    settle(badRequest(err))
    return
  }
  parser.on('field', (name: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
    if (valueTruncated) settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
    else add(body, name, decodeField(value, charset))
  })
  parser.on('file', (name: string, stream: BusboyFileStream, filename: string, _encoding: string, mimeType: string) => {
    if (settled) {
      stream.resume()
      return
    }
    pending++
    const maxSize = info.maxSizes.get(name) ?? Infinity
    // Without the reply nothing could close a temporary file after the response: keep it in memory.
    const spool = new SpooledFile(reply === undefined ? Infinity : undefined)
    files.push(spool)
    stream.on('data', (chunk: Buffer) => {
      if (settled) return
      if (spool.size + chunk.length > maxSize) {
        settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
        return
      }
      const writing = spool.write(chunk)
      if (writing === null) return
      // The disk's backpressure: busboy, then the socket, wait for the write.
      stream.pause()
      writing.then(() => { if (!settled) stream.resume() }, settle)
    })
    stream.on('limit', () => settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()))
    stream.on('error', (err: Error) => settle(badRequest(err)))
    stream.on('end', () => {
      if (settled) return
      spool.finish().then(() => {
        pending--
        add(body, name, new UploadFile(filename, mimeType, spool, { 'content-type': mimeType }))
        maybeDone()
      }, settle)
    })
  })
  parser.on('error', (err: unknown) => settle(badRequest(err)))
  parser.on('finish', () => {
    finished = true
    maybeDone()
  })
  payload.on('data', count)
  payload.on('error', (err: Error) => settle(badRequest(err)))
  // A client that goes away mid-body: Node may end the stream with 'close' and no error.
  payload.on('close', () => { if (!payload.readableEnded) settle(badRequest(new Error('the client closed the connection'))) })
  payload.pipe(parser)
}

/**
 * Closes a request's files once the response is sent, whatever it is (200, 422, 500), or once
 * the client is gone and the handler has answered: a handler still reading keeps its files.
 */
function closeAfterResponse (request: FastifyRequest, reply: FastifyReply, files: SpooledFile[]): void {
  const state: Release = { answered: false, onAnswered: null }
  releases.set(request, state)
  const close = (): void => {
    for (const file of files) file.close().catch(/* c8 ignore next */ err => request.log.error({ err }, 'Could not remove an upload\'s temporary file'))
  }
  const onClose = (): void => {
    if (state.answered || reply.sent) close()
    else state.onAnswered = close
  }
  const raw = reply.raw
  if (raw.destroyed) onClose()
  else raw.once('close', onClose)
}

// eslint-disable-next-line no-control-regex -- every ASCII character, control characters included
const ASCII = /^[\x00-\x7f]*$/
const LATIN1 = new Set(['latin1', 'latin-1', 'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'l1', 'ascii', 'us-ascii'])

/** The `charset` parameter of a multipart Content-Type, lower-cased; undefined when absent. */
function charsetOf (contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/charset/i.test(contentType)) return undefined
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1].toLowerCase()
}

/**
 * A multipart field's text as Starlette reads it: its bytes decoded with the request's charset
 * (`multipart/form-data; charset=…`, UTF-8 by default) and, where they are not valid in it,
 * as Latin-1 (Starlette's `_user_safe_decode`), so invalid UTF-8 never becomes U+FFFD. `raw`
 * holds the bytes as Latin-1 characters (busboy's `defCharset`); ASCII needs no decoding.
 * NOTE: a part that declares its own charset (`Content-Type: text/plain; charset=…`, which
 * browsers never send) is decoded by busboy with it, where Starlette ignores it. Such text is
 * left as is when it holds a character past U+00FF; otherwise it is taken for bytes like the
 * rest, which can misread it (text that is itself valid UTF-8 read as Latin-1, such as "Ã©").
 */
function decodeField (raw: string, charset: string | undefined): string {
  if (ASCII.test(raw)) return raw
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) > 0xff) return raw
  const bytes = Buffer.from(raw, 'latin1')
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return isUtf8(bytes) ? bytes.toString('utf8') : raw
  if (LATIN1.has(charset)) return raw
  try {
    return new TextDecoder(charset, { fatal: true }).decode(bytes)
  } catch {
    // Not valid in that charset, or a charset the runtime does not know.
    return raw
  }
}

function add (body: Record<string, unknown>, name: string, value: unknown): void {
  const current = body[name]
  if (current === undefined) body[name] = value
  else if (Array.isArray(current)) current.push(value)
  else body[name] = [current, value]
}

/** A malformed multipart body: 400, as Starlette's "There was an error parsing the body". */
function badRequest (err: unknown): Error {
  const error = new Error(`Invalid multipart body: ${err instanceof Error ? err.message : String(err)}`) as Error & { statusCode: number }
  error.statusCode = 400
  return error
}
