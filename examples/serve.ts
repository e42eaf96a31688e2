/**
 * `npm start` serves examples/users; `EXAMPLE=<name> npm start` serves examples/<name>.
 * HOST and PORT override 127.0.0.1:8000.
 */
const name = process.env.EXAMPLE ?? 'users'
if (!/^[\w-]+$/.test(name)) throw new Error(`EXAMPLE must be an example folder name, got "${name}"`)
const { build } = await import(`./${name}/index.ts`)
const app = await build({ logger: true })
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 8000) })
