/**
 * Child process: the load generator of `npm run load`. bench/reliability-run.ts starts it pinned
 * to CPU 1 and sends it one phase at a time over IPC; it sends the mix of
 * bench/reliability-traffic.ts with autocannon and checks every answer's status and body.
 *
 * Usage: node --import tsx bench/reliability-load.ts (IPC only)
 */
import { runAutocannon, type LoadResult } from './autocannon.js'
import { sequence } from './reliability-traffic.js'

/** One phase (warm-up or run), as the orchestrator asks for it. */
export interface PhaseJob {
  url: string
  connections: number
  /** Seconds. */
  duration: number
  /** The body each kind answered before the load (by kind id): every answer must repeat it. */
  bodies: Record<string, string>
}

/** What each kind of request got. */
export interface KindTally {
  answered: number
  statuses: Record<string, number>
  /** Answers with another status than the kind's. */
  unexpectedStatus: number
  /** Answers with the kind's status but another body than the reference. */
  unexpectedBody: number
  /** The first unexpected answer, to show what went wrong. */
  sample?: string
}

/** The answer to a `PhaseJob`. */
export interface PhaseAnswer {
  load: LoadResult
  kinds: Record<string, KindTally>
  /** Socket errors and timeouts by code (ECONNRESET, …; "timeout"). */
  errorCodes: Record<string, number>
}

// autocannon's client, as far as it is used here: its events, and where its request iterator starts.
// (A server that closed keep-alive connections would get its answers misattributed by autocannon 9:
// the run would then report unexpected statuses. None of the mix's answers closes the connection.)
interface Client {
  on: (event: 'connError' | 'timeout', listener: (error?: NodeJS.ErrnoException) => void) => void
  requestIterator: { currentRequestIndex: number, currentRequest: unknown, requests: unknown[] }
}

/**
 * Starts the `index`th connection at its own place in the pass (autocannon starts them all at
 * the first request), so that at every moment the connections send a mix, not all the same kind,
 * and a short run still sends every kind. Its request buffers are built already (no `setupRequest`).
 */
function startAt (client: Client, index: number): void {
  const iterator = client.requestIterator
  iterator.currentRequestIndex = index % iterator.requests.length
  iterator.currentRequest = iterator.requests[iterator.currentRequestIndex]
}

async function run (job: PhaseJob): Promise<PhaseAnswer> {
  const pass = sequence()
  const kinds: Record<string, KindTally> = {}
  for (const kind of pass) kinds[kind.id] = { answered: 0, statuses: {}, unexpectedStatus: 0, unexpectedBody: 0 }
  const errorCodes: Record<string, number> = {}
  let clients = 0
  const requests = pass.map(kind => ({
    method: kind.method,
    path: kind.path,
    body: kind.body,
    headers: kind.headers,
    // Called by autocannon with every complete answer to this entry, from any connection.
    onResponse (status: number, body: string) {
      const tally = kinds[kind.id]
      tally.answered++
      tally.statuses[status] = (tally.statuses[status] ?? 0) + 1
      if (status !== kind.status) tally.unexpectedStatus++
      else if (body !== job.bodies[kind.id]) tally.unexpectedBody++
      else return
      tally.sample ??= `${status} ${body.slice(0, 300)}`
    }
  }))
  const load = await runAutocannon({
    url: job.url,
    connections: job.connections,
    pipelining: 1,
    duration: job.duration,
    requests,
    // autocannon counts errors but does not say which: listen to each connection for that.
    setupClient (client: Client) {
      startAt(client, clients++)
      client.on('connError', error => {
        const code = error?.code ?? error?.message ?? 'unknown'
        errorCodes[code] = (errorCodes[code] ?? 0) + 1
      })
      client.on('timeout', () => { errorCodes.timeout = (errorCodes.timeout ?? 0) + 1 })
    }
  })
  return { load, kinds, errorCodes }
}

if (process.send !== undefined) {
  process.on('message', (job: PhaseJob) => {
    run(job).then(
      answer => process.send?.({ answer }),
      (error: Error) => process.send?.({ error: error.message })
    )
  })
  // Exit with the parent.
  process.on('disconnect', () => process.exit(0))
}
