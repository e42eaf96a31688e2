/**
 * `npm run load` in 5 seconds (bench/reliability-run.ts): the seed example in a child process
 * under autocannon, 50 connections, the mix of valid and invalid requests of
 * bench/reliability-traffic.ts. No socket error, no timeout, and every answer has its kind's
 * status and the body it had before the load. The server's memory is printed, not asserted:
 * five seconds say little about growth (the 60-second `npm run load` holds the RSS target).
 */
import t from 'tap'
import { canPin } from '../bench/processes.js'
import { formatReport, runReliability } from '../bench/reliability-run.js'
import { KINDS } from '../bench/reliability-traffic.js'

// Unpinned, the server and autocannon fight for one CPU with each other and with the other
// test files, and 5 seconds of that say nothing; `npm run load` still runs, with a warning.
const skip = canPin ? false : 'needs taskset and two CPUs, to keep the server and autocannon on CPUs of their own'

t.test('the seed example under 5 s of mixed load: no socket error, no unexpected answer', { skip, timeout: 90_000 }, async t => {
  const result = await runReliability({ duration: 5, warmup: 2, connections: 50 })
  t.comment(`\n${formatReport(result)}`)
  for (const phase of result.phases) {
    t.test(phase.name, async t => {
      t.ok(phase.load.total > 0, `answers: ${phase.load.total}`)
      t.equal(phase.load.errors, 0, `socket errors: ${JSON.stringify(phase.errorCodes)}`)
      t.equal(phase.load.timeouts, 0, 'timeouts')
      for (const kind of KINDS) {
        const tally = phase.kinds[kind.id]
        t.ok(tally.answered > 0, `${kind.label}: sent and answered`)
        t.same(
          { unexpectedStatus: tally.unexpectedStatus, unexpectedBody: tally.unexpectedBody },
          { unexpectedStatus: 0, unexpectedBody: 0 },
          `${kind.label}: every answer ${kind.status}, with the body it had before the load` +
            (tally.sample === undefined ? '' : `; first other answer: ${tally.sample}`)
        )
      }
    })
  }
})
