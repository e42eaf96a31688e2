/**
 * Child process: the load generator. bench/run.ts starts it pinned to CPU 1 and sends it
 * one autocannon job at a time over IPC; it answers with the numbers the table needs.
 *
 * Usage: node --import tsx bench/load.ts (IPC only)
 */
import { runAutocannon, type LoadResult } from './autocannon.js'

export type { LoadResult }

/** One autocannon run, as bench/run.ts asks for it. */
export interface LoadJob {
  url: string
  method: 'GET' | 'POST'
  body?: string
  /** Extra request headers (content-type is added for a body). */
  headers?: Record<string, string>
  connections: number
  /** Seconds. */
  duration: number
}

function run (job: LoadJob): Promise<LoadResult> {
  return runAutocannon({
    url: job.url,
    method: job.method,
    body: job.body,
    headers: { ...job.headers, ...(job.body === undefined ? {} : { 'content-type': 'application/json' }) },
    connections: job.connections,
    pipelining: 1,
    duration: job.duration
  })
}

if (process.send !== undefined) {
  process.on('message', (job: LoadJob) => {
    run(job).then(
      result => process.send?.({ result }),
      (error: Error) => process.send?.({ error: error.message })
    )
  })
  // Exit with the parent.
  process.on('disconnect', () => process.exit(0))
}
