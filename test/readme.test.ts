import t from 'tap'
import { readFileSync } from 'node:fs'
import { errorCodes } from '../lib/index.js'

const root = new URL('../', import.meta.url)
const readme = readFileSync(new URL('README.md', root), 'utf8')

t.test('every README snippet is cut from the example it names', async t => {
  const snippets = [...readme.matchAll(/<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g)]
  t.ok(snippets.length >= 3, 'the README has snippets')
  for (const [, file, code] of snippets) {
    const source = readFileSync(new URL(file, root), 'utf8')
    t.ok(source.includes(code), `snippet found verbatim in ${file}:\n${code.split('\n')[0]}`)
  }
})

t.test('the README error table lists exactly the exported FFA_ERR_* codes', async t => {
  const documented = new Set([...readme.matchAll(/^\| `(FFA_ERR_[A-Z_]+)` \|/gm)].map(m => m[1]))
  const exported = new Set(Object.keys(errorCodes))
  t.same([...documented].sort(), [...exported].sort())
})
