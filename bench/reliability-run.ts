/**
 * The reliability run behind `npm run load` (bench/reliability.ts) and test/load.test.ts: the
 * seed example in a child pinned to CPU 0, autocannon in a child pinned to CPU 1, the mix of
 * bench/reliability-traffic.ts for a warm-up and then for the run, and the server's memory
 * after a forced GC at the start, after the warm-up and after the run.
 */
import type { ChildProcess } from 'node:child_process'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import type { LoadResult } from './autocannon.js'
import { LOADER_CPU, SERVER_CPU, ask, busySeconds, canPin, cpuSeconds, node, sleep } from './processes.js'
import type { KindTally, PhaseAnswer, PhaseJob } from './reliability-load.js'
import type { ServerMemory } from './reliability-server.js'
import { KINDS } from './reliability-traffic.js'

/** The issue's memory target: RSS after the run at most 10 % above RSS after the warm-up. */
export const RSS_GROWTH_LIMIT = 0.1

// Sockets autocannon closed at the end of a phase are released by the server within this time.
const SETTLE_MS = 500

/** How long and how hard to load the server. */
export interface ReliabilityOptions {
  /** Seconds of the measured run. */
  duration: number
  /** Seconds of the same mix before it, so the run starts from a warm server. */
  warmup: number
  connections: number
  /** Progress lines; none by default. */
  log?: (line: string) => void
}

/** One phase: autocannon's numbers, each kind's answers, and the CPUs meanwhile. */
export interface Phase {
  name: 'warm-up' | 'run'
  seconds: number
  load: LoadResult
  kinds: Record<string, KindTally>
  /** Socket errors and timeouts by code. */
  errorCodes: Record<string, number>
  /** CPU seconds the server used per wall second. */
  serverCpu: number
  /** Share of the busier of the two CPUs other processes took (NaN when not pinned). */
  foreign: number
  /** TCP connections the server accepted: the phase's own, plus one per connection it closed. */
  connectionsOpened: number
}

/** Everything a run measured; `formatReport` prints it, the `*Problems` functions judge it. */
export interface ReliabilityResult {
  options: Omit<ReliabilityOptions, 'log'>
  pinned: boolean
  phases: [Phase, Phase]
  memory: { start: ServerMemory, afterWarmup: ServerMemory, afterRun: ServerMemory }
}

/**
 * One request of each kind before any load: the status must be the kind's, and the body becomes
 * the reference every answer under load is compared with.
 */
async function referenceBodies (base: string): Promise<Record<string, string>> {
  const bodies: Record<string, string> = {}
  const wrong: string[] = []
  for (const kind of KINDS) {
    const response = await fetch(base + kind.path, { method: kind.method, body: kind.body, headers: kind.headers, redirect: 'manual' })
    const text = await response.text()
    if (response.status !== kind.status) wrong.push(`${kind.label}: status ${response.status}, expected ${kind.status}: ${text.slice(0, 300)}`)
    bodies[kind.id] = text
  }
  if (wrong.length > 0) throw new Error(`the seed example answers wrongly, nothing was loaded:\n  ${wrong.join('\n  ')}`)
  return bodies
}

async function memory (server: ChildProcess): Promise<ServerMemory> {
  await sleep(SETTLE_MS)
  const answer = await ask<ServerMemory | { error: string }>(server, 'memory')
  if ('error' in answer) throw new Error(`the server could not report its memory: ${answer.error}`)
  return answer
}

async function phase (name: Phase['name'], seconds: number, job: Omit<PhaseJob, 'duration'>, server: ChildProcess, loader: ChildProcess): Promise<Omit<Phase, 'connectionsOpened'>> {
  const pid = server.pid ?? 0
  const cpu0 = cpuSeconds(pid)
  const busy0 = busySeconds()
  const t0 = performance.now()
  const reply = await ask<{ answer?: PhaseAnswer, error?: string }>(loader, { ...job, duration: seconds })
  const wall = (performance.now() - t0) / 1000
  const busy1 = busySeconds()
  if (reply.answer === undefined) throw new Error(`autocannon failed: ${reply.error}`)
  const { load, kinds, errorCodes } = reply.answer
  const serverCpu = (cpuSeconds(pid) - cpu0) / wall
  const share = (cpu: number) => ((busy1[cpu] ?? Number.NaN) - (busy0[cpu] ?? Number.NaN)) / wall
  // What ran on the two CPUs besides the server and autocannon (when pinned, they run nowhere else).
  const foreign = canPin ? Math.max(share(SERVER_CPU) - serverCpu, share(LOADER_CPU) - load.cpu, 0) : Number.NaN
  return { name, seconds, load, kinds, errorCodes, serverCpu, foreign }
}

/** Starts the two children, loads the server, measures its memory, stops the children. */
export async function runReliability (options: ReliabilityOptions): Promise<ReliabilityResult> {
  const { duration, warmup, connections } = options
  const log = options.log ?? (() => {})
  const server = node(SERVER_CPU, ['--expose-gc', 'bench/reliability-server.ts'], true)
  const loader = node(LOADER_CPU, ['bench/reliability-load.ts'], true)
  try {
    const { port } = await ask<{ port: number }>(server)
    const base = `http://127.0.0.1:${port}`
    const bodies = await referenceBodies(base)
    log(`answers checked: ${KINDS.length} kinds of request`)
    const job = { url: base, connections, bodies }
    const start = await memory(server)
    log(`warm-up: ${warmup} s, ${connections} connections`)
    const warm = await phase('warm-up', warmup, job, server, loader)
    const afterWarmup = await memory(server)
    log(`run: ${duration} s, ${connections} connections`)
    const run = await phase('run', duration, job, server, loader)
    const afterRun = await memory(server)
    return {
      options: { duration, warmup, connections },
      pinned: canPin,
      phases: [
        { ...warm, connectionsOpened: afterWarmup.connections - start.connections },
        { ...run, connectionsOpened: afterRun.connections - afterWarmup.connections }
      ],
      memory: { start, afterWarmup, afterRun }
    }
  } finally {
    // A child that already exited (it failed to start, say) has no channel left to close.
    for (const child of [loader, server]) if (child.connected) child.disconnect()
  }
}

/** Answers with another status than expected, in all kinds of a phase. */
function unexpectedStatuses (phase: Phase): number {
  return Object.values(phase.kinds).reduce((sum, tally) => sum + tally.unexpectedStatus, 0)
}

function unexpectedBodies (phase: Phase): number {
  return Object.values(phase.kinds).reduce((sum, tally) => sum + tally.unexpectedBody, 0)
}

/** Change of RSS from after the warm-up to after the run, as a share (0.05 = +5 %). */
export function rssGrowth (result: ReliabilityResult): number {
  return result.memory.afterRun.rss / result.memory.afterWarmup.rss - 1
}

/** The traffic targets missed, in either phase: socket errors, timeouts, unexpected answers. */
export function trafficProblems (result: ReliabilityResult): string[] {
  const problems: string[] = []
  for (const phase of result.phases) {
    const { errors, timeouts } = phase.load
    if (errors > 0) problems.push(`${phase.name}: ${errors} socket errors (${codes(phase.errorCodes)})`)
    if (timeouts > 0) problems.push(`${phase.name}: ${timeouts} timeouts`)
    for (const kind of KINDS) {
      const tally = phase.kinds[kind.id]
      if (tally.unexpectedStatus > 0) problems.push(`${phase.name}: ${kind.label}: ${tally.unexpectedStatus} answers not ${kind.status} (${codes(tally.statuses)}), first: ${tally.sample}`)
      if (tally.unexpectedBody > 0) problems.push(`${phase.name}: ${kind.label}: ${tally.unexpectedBody} answers with another body than before the load, first: ${tally.sample}`)
    }
  }
  return problems
}

/** The memory target, if missed. */
export function memoryProblems (result: ReliabilityResult): string[] {
  const growth = rssGrowth(result)
  return growth > RSS_GROWTH_LIMIT
    ? [`RSS grew ${signedPct(growth)} from after the warm-up to after the run (target ≤ +${pct(RSS_GROWTH_LIMIT)})`]
    : []
}

const int = (n: number) => Math.round(n).toLocaleString('en-US')
const pct = (n: number) => Number.isNaN(n) ? 'n/a' : `${(n * 100).toFixed(0)} %`
const signedPct = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n * 100).toFixed(1)} %`
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`
const codes = (counts: Record<string, number>) =>
  Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${code}: ${int(n)}`).join(', ') || 'none'

/** The tables `npm run load` prints (Markdown, for the README). */
export function formatReport (result: ReliabilityResult): string {
  const { phases, memory, options } = result
  const run = phases[1]
  const lines: string[] = []
  lines.push('| Phase | Requests | req/s | p50 | p99 | Socket errors | Timeouts | Expected statuses | Unexpected statuses | Unexpected bodies |')
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const phase of phases) {
    const { load } = phase
    const unexpected = unexpectedStatuses(phase)
    lines.push(`| ${phase.name} (${phase.seconds} s) | ${int(load.total)} | ${int(load.requestsPerSec)} | ${load.latencyP50} ms | ${load.latencyP99} ms | ` +
      `${int(load.errors)} | ${int(load.timeouts)} | ${int(load.total - unexpected)} | ${int(unexpected)} | ${int(unexpectedBodies(phase))} |`)
  }
  lines.push('')
  lines.push(`Statuses in the run: ${codes(run.load.statusCodes)}.`)
  lines.push('')
  lines.push('| Request (run) | Expected | Answered | Unexpected status | Unexpected body |')
  lines.push('| --- | ---: | ---: | ---: | ---: |')
  for (const kind of KINDS) {
    const tally = run.kinds[kind.id]
    lines.push(`| \`${kind.label}\` | ${kind.status} | ${int(tally.answered)} | ${int(tally.unexpectedStatus)} | ${int(tally.unexpectedBody)} |`)
  }
  lines.push('')
  const growth = rssGrowth(result)
  const heapGrowth = memory.afterRun.heapUsed / memory.afterWarmup.heapUsed - 1
  lines.push('| Server memory, after a forced GC | Start | After warm-up | After the run | Run vs warm-up |')
  lines.push('| --- | ---: | ---: | ---: | ---: |')
  lines.push(`| RSS | ${mb(memory.start.rss)} | ${mb(memory.afterWarmup.rss)} | ${mb(memory.afterRun.rss)} | ` +
    `${signedPct(growth)} (target ≤ +${pct(RSS_GROWTH_LIMIT)}: ${growth <= RSS_GROWTH_LIMIT ? 'met' : 'NOT met'}) |`)
  lines.push(`| Heap used | ${mb(memory.start.heapUsed)} | ${mb(memory.afterWarmup.heapUsed)} | ${mb(memory.afterRun.heapUsed)} | ${signedPct(heapGrowth)} |`)
  lines.push('')
  const churn = run.connectionsOpened - options.connections
  lines.push(`<sub>node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}; examples/users (\`build()\`, logger off) on 127.0.0.1; ` +
    `autocannon, ${options.connections} connections, ${options.warmup} s warm-up then ${options.duration} s, the mix of ${KINDS.length} kinds of request in bench/reliability-traffic.ts; ` +
    `${result.pinned ? `server pinned to CPU ${SERVER_CPU}, autocannon to CPU ${LOADER_CPU}` : 'NOT pinned (taskset or a second CPU missing)'}; ` +
    `server CPU ${pct(run.serverCpu)}, autocannon CPU ${pct(run.load.cpu)}, other processes ${pct(run.foreign)} of a CPU during the run; ` +
    `connections the server closed (\`Connection: close\` after malformed JSON), reopened by autocannon: ${int(Math.max(churn, 0))}; ` +
    `requests sent but not answered: ${int(run.load.sent - run.load.total)} (those in flight at the end, and one sent again per closed connection).</sub>`)
  return lines.join('\n')
}
