/**
 * `npm start` serves examples/users; `EXAMPLE=<name> npm start` serves examples/<name>.
 * HOST and PORT override 127.0.0.1:8000. Ctrl-C (or SIGTERM) closes the app, so its lifespan
 * shutdown, background tasks and dependency teardowns run before the process exits.
 */
const name = process.env.EXAMPLE ?? 'users'
if (!/^[\w-]+$/.test(name)) throw new Error(`EXAMPLE must be an example folder name, got "${name}"`)
const { build } = await import(`./${name}/index.ts`)
const app = await build({ logger: true })
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(() => {
      app.log.info({ signal }, 'app closed')
      process.exit(0)
    }, (error: Error) => {
      app.log.error({ err: error, signal }, 'app.close() failed')
      process.exit(1)
    })
  })
}
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 8000) })
