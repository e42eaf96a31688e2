/**
 * `npm run load`: the seed example (examples/users) under autocannon on 127.0.0.1, a mix of
 * valid and invalid requests to every route, for a warm-up and then for the run. Targets: no
 * socket error or timeout, no answer with another status (or body) than expected, and the
 * server's RSS after the run within 10 % of its RSS after the warm-up. Prints the tables and
 * exits 1 when a target is missed. Not part of `npm test`; test/load.test.ts runs 5 seconds of it.
 *
 * Environment: LOAD_DURATION (seconds of the run, default 60), LOAD_WARMUP (seconds, default 10),
 * LOAD_CONNECTIONS (default 100).
 */
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { LOADER_CPU, SERVER_CPU, canPin, positive } from './processes.js'
import { formatReport, memoryProblems, runReliability, trafficProblems } from './reliability-run.js'

const DURATION = positive('LOAD_DURATION', 60)
const WARMUP = positive('LOAD_WARMUP', 10)
const CONNECTIONS = Math.round(positive('LOAD_CONNECTIONS', 100))

const started = performance.now()
console.log(`fastify-fastapi reliability run: node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}`)
console.log(`examples/users, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s, ` +
  (canPin ? `server on CPU ${SERVER_CPU}, autocannon on CPU ${LOADER_CPU}` : 'NOT pinned (taskset or a second CPU missing)'))
const result = await runReliability({ duration: DURATION, warmup: WARMUP, connections: CONNECTIONS, log: line => console.log(line) })
console.log(`\n${formatReport(result)}\n`)
const missed = [...trafficProblems(result), ...memoryProblems(result)]
for (const problem of missed) console.log(`TARGET MISSED: ${problem}`)
if (result.phases.some(phase => phase.foreign >= 0.1)) {
  console.log('WARNING: other processes used the pinned CPUs during the run; rerun on a quiet machine for numbers to publish')
}
console.log(`${missed.length === 0 ? 'all targets met' : `${missed.length} target(s) missed`}; done in ${((performance.now() - started) / 1000).toFixed(0)} s`)
process.exitCode = missed.length === 0 ? 0 : 1
