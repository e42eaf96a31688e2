/**
 * The files API: upload (multipart form with a file), replace, search, read, rename, download,
 * share, export; the scanner's webhook; and the old sync client's list. Every route that
 * touches files needs a token with the right scope.
 */
import { z } from 'zod'
import {
  APIRouter, BackgroundTasks, Body, Depends, Field, File, FileResponse, Form, Header, HTTPException, jsonableEncoder,
  JSONResponse, Path, Query, Response, StreamingResponse, status,
  type APIRouterOptions, type ArgsDecl, type BackgroundTasksMarker, type BodyOptions, type DependsMarker, type ExtraResponse,
  type FieldOptions, type FileOptions, type FileResponseOptions, type FileSchema, type HeaderOptions, type IncEx, type InferArg, type InferArgs,
  type JsonableEncoderOptions, type Param, type ParamOptions, type ResponseModelOptions, type StreamChunk, type StreamContent,
  type UploadFile
} from '../../lib/index.js'
import { isShareKey, legacyUser, scanner, shareKey, shareKeyFor, userWith, type User } from './auth.js'
import { DocumentLocked } from './errors.js'
import { getStore, now, queryArgs, timed } from './helpers.js'
import { safeName, type FileRecord, type FileStore } from './store.js'

export const Message = z.object({ detail: z.string() }).meta({ id: 'Message' })

/** One rule for a title, wherever one is sent or answered: the upload form, the rename body, the model. */
const titleRule = { minLength: 1, maxLength: 100, examples: ['Quarterly report'] } satisfies FieldOptions<string>

export const FileOut = z.object({
  name: z.string(),
  title: Field(z.string(), titleRule),
  content_type: z.string(),
  size: z.number().int().nonnegative(),
  owner: z.string(),
  uploaded_at: z.date(),
  locked: z.boolean(),
  note: z.string().nullish()
}).meta({ id: 'FileOut' })

function toOut (record: FileRecord): z.input<typeof FileOut> {
  const { name, title, contentType, size, owner, uploadedAt, locked, note } = record
  return { name, title, content_type: contentType, size, owner, uploaded_at: uploadedAt, locked, note }
}

function find (store: FileStore, name: string): FileRecord {
  const record = store.get(name)
  if (record === undefined) throw new HTTPException(status.HTTP_404_NOT_FOUND, 'File not found')
  return record
}

/** Sends the content, unless the scanner has locked the file. */
function download (record: FileRecord): FileResponse {
  if (record.locked) throw new DocumentLocked(record.name)
  const options: FileResponseOptions = { filename: record.name, mediaType: record.contentType }
  return new FileResponse(record.path, options)
}

/** Documented on every route of the files router (FastAPI's `responses={404: {"model": Message}}`). */
const notFound: Record<number, ExtraResponse> = { 404: { model: Message, description: 'No such file' } }
const filesOptions: APIRouterOptions = { prefix: '/files', tags: ['files'], responses: notFound }
export const files = new APIRouter(filesOptions)

/** `note` is optional: answers leave it out rather than send `null`. */
const compact: ResponseModelOptions = { responseModelExcludeNone: true }

const MAX_SIZE = 1024 * 1024
/** File names as `safeName` makes them. */
const fileName = Path(z.string(), { pattern: '^[\\w-][\\w.-]*$' })

/** The uploaded file (1 MiB at most: a bigger one is a 413), declared once for both upload routes. */
const uploadOptions = { maxSize: MAX_SIZE, description: 'The file (1 MiB at most)' } satisfies FileOptions
const upload: Param<'form', FileSchema<typeof uploadOptions>, false> = File(uploadOptions)

/** The gateway's request id, copied into the audit lines to match them with the gateway's logs. */
const requestIdHeader: HeaderOptions<string | undefined> = {
  alias: 'x-request-id',
  pattern: '^[\\w-]{1,64}$',
  description: 'Set by the gateway'
}

/** What both upload routes read besides the file and its fields, typed once for them and `saveUpload`. */
interface UploadContext extends ArgsDecl {
  user: DependsMarker<User>
  store: DependsMarker<FileStore>
  now: DependsMarker<Date>
  requestId: Param<'header', z.ZodOptional<z.ZodString>, false>
  tasks: BackgroundTasksMarker
}

const uploadContext: UploadContext = {
  user: userWith(['files:write']),
  store: Depends(getStore),
  now: Depends(now),
  requestId: Header(z.string().optional(), requestIdHeader),
  tasks: BackgroundTasks()
}

async function saveUpload (name: string, file: UploadFile, title: string, note: string | undefined,
  { user, store, now, requestId, tasks }: InferArgs<UploadContext>): Promise<FileRecord> {
  const record = await store.save(name, file, { title, owner: user.username, uploadedAt: now, note: note ?? null })
  // Written after the response is sent: the client does not wait for the audit.
  tasks.add(line => store.audit.push(line), `${requestId ?? '-'} ${user.username} saved ${name} (${record.size} bytes)`)
  return record
}

files.post('', {
  summary: 'Upload a file',
  description: 'The name is the upload\'s file name, made safe; a file of that name must not exist (`PUT` replaces one).',
  statusCode: status.HTTP_201_CREATED,
  responseModel: FileOut,
  ...compact,
  responses: { 409: { model: Message, description: 'A file of that name exists' } },
  args: { ...uploadContext, upload, title: Form(z.string(), titleRule), note: Form(z.string().optional()) }
}, async function uploadFile ({ upload, title, note, ...context }) {
  const name = safeName(upload.filename)
  if (context.store.get(name) !== undefined) {
    throw new HTTPException(status.HTTP_409_CONFLICT, `A file named ${name} exists; PUT /files/${name} replaces it`)
  }
  return toOut(await saveUpload(name, upload, title, note, context))
})

files.put('/:name', {
  responseModel: FileOut,
  ...compact,
  responses: { 201: { model: FileOut, description: 'Created' } },
  args: { ...uploadContext, name: fileName, upload, title: Form(z.string(), titleRule), note: Form(z.string().optional()) }
}, async function replaceFile ({ name, upload, title, note, ...context }) {
  const created = context.store.get(name) === undefined
  const out = toOut(await saveUpload(name, upload, title, note, context))
  // FastAPI's "Additional status codes": 200 for a replaced file, 201 for a new one. The
  // response object skips the route's model, so it is encoded here.
  return created ? new JSONResponse(jsonableEncoder(out, { excludeNone: true }), status.HTTP_201_CREATED) : out
})

/** Ten per page unless asked; never more than 100. */
const pageSize: ParamOptions<number> = { ge: 1, le: 100, default: 10 }

const searchArgs = queryArgs({
  q: z.string().optional(),
  limit: Query(z.number().int(), pageSize),
  store: getStore
})

function matches (record: FileRecord, q: InferArg<typeof searchArgs.q>): boolean {
  return q === undefined || `${record.name} ${record.title}`.toLowerCase().includes(q.toLowerCase())
}

files.get('', {
  responseModel: z.array(FileOut),
  ...compact,
  args: { ...searchArgs, user: userWith(['files:read']) }
}, function searchFiles ({ q, limit, store }) {
  return store.list().filter(record => matches(record, q)).slice(0, limit).map(toOut)
})

files.get('/:name', {
  responseModel: FileOut,
  ...compact,
  args: { name: fileName, store: Depends(getStore), user: userWith(['files:read']) }
}, function readFile ({ name, store }) {
  return toOut(find(store, name))
})

/** The rename body, `{"title": "…"}`: the title rule, embedded under the argument's name. */
const titleBody: BodyOptions<string> = { ...titleRule, embed: true }

files.patch('/:name', {
  responseModel: FileOut,
  ...compact,
  args: { name: fileName, title: Body(z.string(), titleBody), store: Depends(getStore), user: userWith(['files:write']) }
}, function renameFile ({ name, title, store }) {
  const record = find(store, name)
  record.title = title
  return toOut(record)
})

files.get('/:name/content', {
  args: { name: fileName, store: Depends(getStore), user: userWith(['files:read']) }
}, timed(async function downloadFile ({ name, store }) {
  return download(find(store, name))
}))

files.post('/:name/share', {
  args: { name: fileName, store: Depends(getStore), user: userWith(['files:write']) }
}, function shareFile ({ name, store }) {
  const record = find(store, name)
  return { url: `/shared/${record.name}?share_key=${shareKeyFor(record.name)}` }
})

/** Share links: no token, the link's key instead (in the query, a header or a cookie). */
export const shared = new APIRouter({ prefix: '/shared', tags: ['shared'] })

shared.get('/:name', {
  args: { name: fileName, key: Depends(shareKey), store: Depends(getStore) }
}, timed(async function openSharedFile ({ name, key, store }) {
  if (!isShareKey(name, key)) throw new HTTPException(status.HTTP_403_FORBIDDEN, 'Invalid share key')
  return download(find(store, name))
}))

export const ScanResult = z.object({ name: z.string(), clean: z.boolean() }).meta({ id: 'ScanResult' })

/** The virus scanner calls back when it has scanned a file: an infected one is locked. */
export const hooks = new APIRouter({ prefix: '/hooks', tags: ['hooks'] })

hooks.post('/scan', {
  dependencies: [Depends(scanner)],
  args: { result: Body(ScanResult), store: Depends(getStore) }
}, function receiveScan ({ result, store }) {
  const record = find(store, result.name)
  record.locked = !result.clean
  return { name: record.name, locked: record.locked }
})

/** Never exported: where the content is on disk. */
const INTERNAL: IncEx = ['path']
const exportOptions: JsonableEncoderOptions = { exclude: INTERNAL, excludeNone: true }

/** One JSON line per file, produced while the response is sent. */
async function * ndjsonLines (records: FileRecord[]): AsyncGenerator<StreamChunk> {
  for (const record of records) yield `${JSON.stringify(jsonableEncoder(record, exportOptions))}\n`
}

function csvField (value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export const exportRouter = new APIRouter({ prefix: '/export', tags: ['export'], dependencies: [userWith(['files:read'])] })

exportRouter.get('/files.ndjson', {
  args: { store: Depends(getStore) }
}, function exportNdjson ({ store }) {
  const body: StreamContent = ndjsonLines(store.list())
  return new StreamingResponse(body, status.HTTP_200_OK, {}, 'application/x-ndjson')
})

exportRouter.get('/files.csv', {
  args: { store: Depends(getStore) }
}, function exportCsv ({ store }) {
  const rows = [['name', 'title', 'size', 'owner'], ...store.list().map(record => [record.name, record.title, String(record.size), record.owner])]
  const csv = rows.map(row => row.map(csvField).join(',')).join('\r\n') + '\r\n'
  return new Response(csv, status.HTTP_200_OK, { 'content-disposition': 'attachment; filename="files.csv"' }, 'text/csv')
})

/** The old sync client's view: file names only. */
export const legacy = new APIRouter()

legacy.get('/legacy/files', {
  args: { user: Depends(legacyUser), store: Depends(getStore) }
}, function listLegacyFiles ({ store }) {
  return store.list().map(record => record.name)
})
