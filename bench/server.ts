/**
 * Child process: serves one implementation on 127.0.0.1 (an ephemeral port) and tells the
 * parent the port over IPC. bench/run.ts starts it pinned to CPU 0.
 *
 * Usage: node --import tsx bench/server.ts <plugin|raw|zod>
 */
const IMPLEMENTATIONS = new Set(['plugin', 'raw', 'zod'])

const name = process.argv[2] ?? ''
if (!IMPLEMENTATIONS.has(name)) throw new Error(`unknown implementation "${name}"`)
if (process.send === undefined) throw new Error('bench/server.ts must be started by bench/run.ts (it reports over IPC)')

const { build } = await import(`./servers/${name}.ts`)
const app = await build()
await app.listen({ host: '127.0.0.1', port: Number(process.env.BENCH_PORT ?? 0) })
process.send({ port: app.server.address().port })
// The parent closes the IPC channel (or dies): stop then, so no server outlives a run.
process.on('disconnect', () => { app.close().finally(() => process.exit(0)) })
