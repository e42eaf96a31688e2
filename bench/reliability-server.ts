/**
 * Child process: serves the seed example (examples/users, logger off) on 127.0.0.1 for
 * `npm run load`, tells the parent its port over IPC, then answers each `'memory'` message with
 * its memory after a forced garbage collection. bench/reliability-run.ts starts it pinned to
 * CPU 0, with --expose-gc.
 *
 * Usage: node --import tsx --expose-gc bench/reliability-server.ts (IPC only)
 */
import type { AddressInfo } from 'node:net'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { build } from '../examples/users/index.js'
import { FASTIFY_OPTIONS } from './servers/shared.js'

/** The answer to `'memory'`: bytes, after a full collection, and TCP connections accepted so far. */
export interface ServerMemory {
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  arrayBuffers: number
  connections: number
}

const send = process.send?.bind(process)
if (send === undefined) throw new Error('bench/reliability-server.ts must be started by bench/reliability-run.ts (it reports over IPC)')
const gc = globalThis.gc
if (gc === undefined) throw new Error('bench/reliability-server.ts needs node --expose-gc')

const app = await build(FASTIFY_OPTIONS)
// A connection the server closes makes autocannon open another: the count tells how many.
let connections = 0
app.server.on('connection', () => { connections++ })
await app.listen({ host: '127.0.0.1', port: 0 })
send({ port: (app.server.address() as AddressInfo).port })

/** Collects twice, a turn apart, so what the first pass finalized is gone too. */
async function memory (): Promise<ServerMemory> {
  gc!()
  await nextTurn()
  gc!()
  return { ...process.memoryUsage(), connections }
}

process.on('message', message => {
  if (message === 'memory') memory().then(send!, error => send!({ error: String(error) }))
})
// The parent closes the IPC channel (or dies): stop then, so no server outlives a run.
process.on('disconnect', () => { app.close().finally(() => process.exit(0)) })
