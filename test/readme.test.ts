import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
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

// ---------------------------------------------------------------------------------------------
// The FastAPI → fastify-fastapi table: every export of lib/index.ts, each linked to an example
// that uses it.

/** Every name lib/index.ts exports (values and types), read from its export statements. */
function exportsOfIndex (): Map<string, 'value' | 'type'> {
  const file = fileURLToPath(new URL('lib/index.ts', root))
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const names = new Map<string, 'value' | 'type'>()
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause
      // `export * from` hides its names from this reading: name them, or teach this test.
      if (clause === undefined) throw new Error(`lib/index.ts: "${statement.getText()}" exports names this test cannot list`)
      if (ts.isNamespaceExport(clause)) {
        names.set(clause.name.text, statement.isTypeOnly ? 'type' : 'value')
      } else {
        for (const element of clause.elements) names.set(element.name.text, statement.isTypeOnly || element.isTypeOnly ? 'type' : 'value')
      }
    } else if (ts.isExportAssignment(statement)) {
      // `export default fastapi`: the table names the default export by its local name.
      names.set(statement.expression.getText(), 'value')
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)) {
      const kind = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) ? 'type' : 'value'
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) names.set(declaration.name.getText(), kind)
      } else if ('name' in statement && statement.name !== undefined) {
        names.set((statement.name as ts.Identifier).text, kind)
      }
    }
  }
  return names
}

/** The identifiers of a TypeScript file (comments and strings do not count as using a name). */
const identifierCache = new Map<string, Set<string>>()
function identifiersOf (path: string): Set<string> {
  let found = identifierCache.get(path)
  if (found === undefined) {
    const source = ts.createSourceFile(path, readFileSync(new URL(path, root), 'utf8'), ts.ScriptTarget.Latest, false)
    const ids = new Set<string>()
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) ids.add(node.text)
      ts.forEachChild(node, visit)
    }
    visit(source)
    found = ids
    identifierCache.set(path, found)
  }
  return found
}

interface MappingRow { line: string, fastapi: string, ours: string, names: string[], links: string[] }

/** The rows of the tables under "## FastAPI → fastify-fastapi", up to the next "## " heading. */
function mappingRows (text: string): MappingRow[] {
  const start = text.indexOf('\n## FastAPI → fastify-fastapi\n')
  if (start === -1) throw new Error('README.md has no "## FastAPI → fastify-fastapi" section')
  const end = text.indexOf('\n## ', start + 1)
  const rows: MappingRow[] = []
  for (const line of text.slice(start, end === -1 ? undefined : end).split('\n')) {
    if (!line.startsWith('|')) continue
    // Cells split at pipes that are not escaped (`str \| None` stays one cell).
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map(cell => cell.trim())
    if (cells[0] === 'FastAPI' || cells.every(cell => /^-+$/.test(cell))) continue
    const [fastapi = '', ours = ''] = cells
    rows.push({
      line,
      fastapi,
      ours,
      // A code span holding a bare identifier is a name the row maps; `Path(z.string())` is usage.
      names: [...ours.matchAll(/`([^`]+)`/g)].map(m => m[1]).filter(code => /^[A-Za-z_$][\w$]*$/.test(code)),
      links: [...line.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1])
    })
  }
  return rows
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf (heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')
}

t.test('the FastAPI mapping table', async t => {
  const exported = exportsOfIndex()
  const rows = mappingRows(readme)

  t.test('lib/index.ts is read completely', async t => {
    t.ok(exported.size >= 100, `${exported.size} exports`)
    for (const [name, kind] of [['fastapi', 'value'], ['Path', 'value'], ['errorCodes', 'value'], ['FastifyFastapiOptions', 'type'], ['RouteDecl', 'type']]) {
      t.equal(exported.get(name), kind, `${name} is a ${kind} export`)
    }
    // Every runtime export really is found by the reading of the export statements.
    const runtime = await import('../lib/index.js')
    for (const name of Object.keys(runtime)) {
      if (name === 'default') t.equal(runtime.default, runtime.fastapi, 'the default export is fastapi')
      else t.equal(exported.get(name), 'value', `runtime export ${name}`)
    }
  })

  t.test('every row: a FastAPI name (or —), a fastify-fastapi cell, an example link', async t => {
    t.ok(rows.length >= 60, `${rows.length} rows`)
    for (const row of rows) {
      t.ok(row.fastapi !== '' && row.ours !== '', `two filled cells: ${row.line}`)
      t.ok(row.links.some(link => link.startsWith('examples/')), `links an example: ${row.line}`)
    }
  })

  t.test('(a) every export of lib/index.ts is in the table, backticked as exported', async t => {
    const mapped = new Set(rows.flatMap(row => row.names))
    const missing = [...exported].filter(([name]) => !mapped.has(name)).map(([name, kind]) => `${name} (${kind})`)
    t.strictSame(missing, [], 'exports missing from the table')
  })

  t.test('(b) every link points to a file that exists (or a heading of the README)', async t => {
    const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map(m => anchorOf(m[1])))
    for (const row of rows) {
      for (const link of row.links) {
        if (/^[a-z]+:/.test(link)) continue
        if (link.startsWith('#')) t.ok(anchors.has(link.slice(1)), `heading ${link} exists`)
        else t.ok(existsSync(new URL(link.split('#')[0], root)), `${link} exists`)
      }
    }
  })

  t.test('(c) every name of a row is used in each example file the row links', async t => {
    for (const row of rows) {
      for (const link of row.links.filter(link => link.startsWith('examples/') && existsSync(new URL(link, root)))) {
        const ids = identifiersOf(link)
        const unused = row.names.filter(name => !ids.has(name))
        t.strictSame(unused, [], `${link} uses ${row.names.join(', ')}`)
      }
    }
  })
})
