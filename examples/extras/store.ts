/**
 * The file store: metadata in memory, contents in a temporary directory. The app's `lifespan`
 * opens one when the app is ready and deletes its directory when the app closes, so every app
 * (every test) starts empty and leaves nothing behind.
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { UploadFile } from '../../lib/index.js'

/** A stored file, as the store keeps it (the API answers with `FileOut`). */
export interface FileRecord {
  name: string
  title: string
  contentType: string
  size: number
  owner: string
  uploadedAt: Date
  /** Set by the virus scanner's webhook: a locked file cannot be downloaded. */
  locked: boolean
  note: string | null
  /** Where the content is on disk: never sent to clients. */
  path: string
}

/** What a client may call a file: its upload name with anything unusual replaced. */
export function safeName (filename: string): string {
  const name = filename.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_')
  return name === '' ? 'file' : name
}

export class FileStore {
  readonly records = new Map<string, FileRecord>()
  /** One line per upload, written by background tasks after the response. */
  readonly audit: string[] = []
  readonly dir: string

  private constructor (dir: string) {
    this.dir = dir
  }

  static async open (): Promise<FileStore> {
    return new FileStore(await mkdtemp(join(tmpdir(), 'fastify-fastapi-extras-')))
  }

  async close (): Promise<void> {
    await rm(this.dir, { recursive: true, force: true })
  }

  get (name: string): FileRecord | undefined {
    return this.records.get(name)
  }

  list (): FileRecord[] {
    return [...this.records.values()]
  }

  /** Writes the upload's content to disk (streamed) and records it under `name`, replacing any file of that name. */
  async save (name: string, upload: UploadFile, fields: Pick<FileRecord, 'title' | 'owner' | 'uploadedAt' | 'note'>): Promise<FileRecord> {
    const path = join(this.dir, name)
    await pipeline(upload.stream(), createWriteStream(path))
    const record: FileRecord = { name, contentType: upload.contentType, size: upload.size, locked: false, path, ...fields }
    this.records.set(name, record)
    return record
  }
}
