/**
 * Child process: the load generator. bench/run.ts starts it pinned to CPU 1 and sends it
 * one autocannon job at a time over IPC; it answers with the numbers the table needs.
 *
 * Usage: node --import tsx bench/load.ts (IPC only)
 */
import { createRequire } from 'node:module'

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

/** What comes back: throughput, latency, status codes, and this process' CPU use. */
export interface LoadResult {
  requestsPerSec: number
  total: number
  latencyAvg: number
  latencyP99: number
  statusCodes: Record<string, number>
  errors: number
  timeouts: number
  /** CPU seconds the load generator used per wall second (1 = one core saturated). */
  cpu: number
}

// The subset of autocannon's API used here (the package ships no types).
interface AutocannonResult {
  requests: { average: number, total: number }
  latency: { average: number, p99: number }
  statusCodeStats: Record<string, { count: number }>
  errors: number
  timeouts: number
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

async function run (job: LoadJob): Promise<LoadResult> {
  const started = process.hrtime.bigint()
  const cpu0 = process.cpuUsage()
  const result = await autocannon({
    url: job.url,
    method: job.method,
    body: job.body,
    headers: { ...job.headers, ...(job.body === undefined ? {} : { 'content-type': 'application/json' }) },
    connections: job.connections,
    pipelining: 1,
    duration: job.duration
  })
  const cpu = process.cpuUsage(cpu0)
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  const statusCodes: Record<string, number> = {}
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count
  return {
    requestsPerSec: result.requests.average,
    total: result.requests.total,
    latencyAvg: result.latency.average,
    latencyP99: result.latency.p99,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    cpu: (cpu.user + cpu.system) / 1e6 / wall
  }
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
