/**
 * Child process: times the startup of a generated app in a fresh process and prints one
 * JSON line (including the first GET /openapi.json). bench/run.ts starts it pinned to CPU 0,
 * several times.
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
// The first document is built from the declarations on this request (then cached).
const document = await app.inject('/openapi.json')
const t4 = performance.now()
if (document.statusCode !== 200) throw new Error(`GET /openapi.json answered ${document.statusCode}`)
const operations = Object.values(document.json().paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).length, 0)
const routes = app.api.routes.length
await app.close()
console.log(JSON.stringify({ routes, operations, importMs: t1 - t0, declareMs: t2 - t1, readyMs: t3 - t2, openapiMs: t4 - t3 }))
