/**
 * Child process: times the startup of a generated app in a fresh process and prints one
 * JSON line. bench/run.ts starts it pinned to CPU 0, several times.
 *
 * Usage: node --import tsx bench/ready.ts <many-routes|baseline>
 */
import { performance } from 'node:perf_hooks'

const name = process.argv[2] ?? ''
if (name !== 'many-routes' && name !== 'baseline') throw new Error(`unknown generated app "${name}"`)

const t0 = performance.now()
// Loads (and, through tsx, transpiles) the generated module, lib/, zod and Fastify.
const { build } = await import(`./generated/${name}.ts`)
const t1 = performance.now()
// Fastify(), register(fastapi), and every app.api.<method>() declaration.
const app = await build()
const t2 = performance.now()
await app.ready()
const t3 = performance.now()
const routes = app.api.routes.length
await app.close()
console.log(JSON.stringify({ routes, importMs: t1 - t0, declareMs: t2 - t1, readyMs: t3 - t2 }))
