/**
 * autocannon as the load generators (bench/load.ts, bench/reliability-load.ts) call it: one
 * run, its numbers, and the CPU the load generator used meanwhile.
 */
import { createRequire } from 'node:module'

/** What comes back: throughput, latency, status codes, and this process' CPU use. */
export interface LoadResult {
  requestsPerSec: number
  total: number
  /** Requests written, answered or not: `total` plus those in flight at the end (or lost). */
  sent: number
  latencyAvg: number
  latencyP50: number
  latencyP99: number
  statusCodes: Record<string, number>
  errors: number
  timeouts: number
  /** CPU seconds the load generator used per wall second (1 = one core saturated). */
  cpu: number
}

// The subset of autocannon's API used here (the package ships no types).
interface AutocannonResult {
  requests: { average: number, total: number, sent: number }
  latency: { average: number, p50: number, p99: number }
  statusCodeStats: Record<string, { count: number }>
  errors: number
  timeouts: number
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

/** Runs autocannon with `options` (its own, as documented in its README) and sums the run up. */
export async function runAutocannon (options: Record<string, unknown>): Promise<LoadResult> {
  const started = process.hrtime.bigint()
  const cpu0 = process.cpuUsage()
  const result = await autocannon(options)
  const cpu = process.cpuUsage(cpu0)
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  const statusCodes: Record<string, number> = {}
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count
  return {
    requestsPerSec: result.requests.average,
    total: result.requests.total,
    sent: result.requests.sent,
    latencyAvg: result.latency.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    cpu: (cpu.user + cpu.system) / 1e6 / wall
  }
}
