/**
 * The README's commands: `npm start` serves the seed example and `EXAMPLE=<name> npm start`
 * serves each of the others — run for real, as a user would, each on a free port, then asked for
 * its OpenAPI document and its docs pages before it is stopped.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { readdirSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const EXAMPLES = readdirSync(new URL('../examples/', import.meta.url), { withFileTypes: true })
  .filter(entry => entry.isDirectory() && existsSync(new URL(`../examples/${entry.name}/index.ts`, import.meta.url)))
  .map(entry => entry.name)

interface Started {
  origin: string
  /** Sends SIGTERM to the group; resolves with everything the app printed. */
  stop: () => Promise<string>
}

/** Runs `npm start` with `env`, resolves with the address the app logged once it listens. */
function start (env: Record<string, string>): Promise<Started> {
  // detached: npm starts tsx, which starts node; stopping the group stops all three.
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: { ...process.env, PORT: '0', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  let output = ''
  const stop = async (): Promise<string> => {
    try { process.kill(-(child.pid as number), 'SIGTERM') } catch {}
    await exited
    return output
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop().catch(() => {}); reject(new Error(`no "listening" line within 30 s:\n${output}`)) }, 30_000)
    const read = (chunk: Buffer): void => {
      output += chunk.toString()
      // Fastify's logger: {"level":30,...,"msg":"Server listening at http://127.0.0.1:PORT"}
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (found !== null) {
        clearTimeout(timer)
        resolve({ origin: found[1], stop })
      }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    exited.then(code => { clearTimeout(timer); reject(new Error(`npm start exited (${code}) before listening:\n${output}`)) }, reject)
  })
}

t.test('every example starts with EXAMPLE=<name> npm start', { timeout: 180_000 }, async t => {
  t.ok(EXAMPLES.length >= 5, `examples found: ${EXAMPLES.join(', ')}`)
  for (const name of EXAMPLES) {
    t.test(name, async t => {
      const app = await start(name === 'users' ? {} : { EXAMPLE: name })
      let stopped = false
      t.teardown(async () => { if (!stopped) await app.stop() })
      const doc = await fetch(`${app.origin}/openapi.json`)
      t.equal(doc.status, 200, '/openapi.json')
      const body = await doc.json() as { openapi: string, paths: Record<string, unknown> }
      t.match(body.openapi, /^3\.1\./)
      t.ok(Object.keys(body.paths).length > 0, 'documents its routes')
      for (const page of ['/docs', '/redoc']) {
        const res = await fetch(app.origin + page)
        t.equal(res.status, 200, page)
        t.match(res.headers.get('content-type'), /^text\/html/)
      }
      stopped = true
      // SIGTERM closes the app (lifespan shutdown, pending work) before the process exits.
      t.match(await app.stop(), /"msg":"app closed"/, 'SIGTERM closes the app')
    })
  }
})

t.test('npm start without EXAMPLE is the seed example (examples/users)', async t => {
  const app = await start({})
  t.teardown(app.stop)
  const doc = await (await fetch(`${app.origin}/openapi.json`)).json() as { paths: Record<string, unknown> }
  t.ok('/users/{name}' in doc.paths || Object.keys(doc.paths).some(path => path.startsWith('/users')), 'serves the users routes')
})

t.test('EXAMPLE must name an example folder', async t => {
  await t.rejects(start({ EXAMPLE: '../lib' }), /EXAMPLE must be an example folder name/)
})
