/**
 * The docs pages in a real browser: Debian's headless Chromium against the seed example, with
 * no network besides the app (any other request is blocked and fails the test).
 *
 * Skipped, with the reason printed, where Chromium is not installed. With UPDATE_SCREENSHOTS=1
 * it also writes docs/swagger-ui.png and docs/redoc.png for the README.
 */
import t from 'tap'
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { build } from '../../examples/users/index.js'
import { launchOffline, skipReason } from './chromium.js'

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../docs/', import.meta.url)) : null
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

interface Operation {
  method: string
  path: string
  summary?: string
}

/** `METHOD path` of every operation of an OpenAPI document, sorted. */
function operationsOf (document: { paths?: Record<string, Record<string, { summary?: string }>> }): Operation[] {
  const operations: Operation[] = []
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (HTTP_METHODS.has(method)) operations.push({ method: method.toUpperCase(), path, summary: operation.summary })
    }
  }
  return operations
}

const keys = (operations: Operation[]) => operations.map(({ method, path }) => `${method} ${path}`).sort()

async function screenshot (page: Page, name: string): Promise<void> {
  if (SCREENSHOTS === null) return
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOTS}${name}` })
}

t.test('docs pages in Chromium, offline', { skip: skipReason(), timeout: 60_000 }, async t => {
  const started = Date.now()
  const app = await build()
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const response = await fetch(`${origin}/openapi.json`)
  t.equal(response.status, 200, 'the seed example serves /openapi.json')
  const operations = operationsOf(await response.json() as Parameters<typeof operationsOf>[0])
  t.ok(operations.some(({ method, path }) => method === 'POST' && path === '/users'), 'the document has POST /users')

  const browser = await launchOffline()
  t.teardown(() => browser.close())
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('pageerror', error => { errors.push(`${page.url()}: ${error.message}`) })
  t.comment(`Chromium up in ${Date.now() - started} ms`)

  await t.test('/docs: Swagger UI lists every operation of the document', async t => {
    const loaded = Date.now()
    await page.goto(`${origin}/docs`)
    t.match(await page.title(), / - Swagger UI$/)
    const blocks = page.locator('.opblock')
    await t.resolves(blocks.nth(operations.length - 1).waitFor(), 'the operations rendered')
    const shown = await blocks.evaluateAll(elements => elements.map(element => {
      const method = element.querySelector('.opblock-summary-method')?.textContent ?? ''
      const path = element.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? ''
      return { method, path }
    }))
    t.same(keys(shown), keys(operations))
    t.comment(`Swagger UI rendered in ${Date.now() - loaded} ms`)
    await screenshot(page, 'swagger-ui.png')
  })

  await t.test('/docs: Try it out → Execute on POST /users answers 201 without the password', async t => {
    const block = page.locator('.opblock-post').filter({ has: page.locator('[data-path="/users"]') })
    await block.locator('.opblock-summary').first().click()
    await block.getByRole('button', { name: 'Try it out' }).click()
    const body = block.locator('textarea.body-param__text')
    const example = JSON.parse(await body.inputValue())
    t.same(example, { name: 'my-username', password: 'secret' }, 'the body is prefilled from the schema\'s examples')
    // A valid body whatever the prefill was, so the rest of the test still runs.
    await body.fill(JSON.stringify({ name: 'my-username', password: 'secret' }))

    const answer = page.waitForResponse(response => response.url() === `${origin}/users` && response.request().method() === 'POST')
    await block.getByRole('button', { name: 'Execute' }).click()
    t.equal((await answer).status(), 201, 'the request went out and was answered 201')

    // The live response: the first row of the table under "Server response".
    const live = block.locator('.live-responses-table tr.response').first()
    await t.resolves(live.waitFor(), 'the response is shown')
    t.equal((await live.locator('.response-col_status').innerText()).trim(), '201')
    const shown = JSON.parse(await live.locator('.highlight-code pre').first().innerText())
    t.same(shown, { id: 42, name: 'my-username', creation_date: '2024-01-01T12:00:00.000Z' })
    t.notOk('password' in shown, 'no password in the body shown')
  })

  await t.test('/redoc: ReDoc lists every operation by its summary', async t => {
    const loaded = Date.now()
    await page.goto(`${origin}/redoc`)
    t.match(await page.title(), / - ReDoc$/)
    const sections = page.locator('[data-section-id^="operation/"]')
    await t.resolves(sections.nth(operations.length - 1).waitFor({ state: 'attached' }), 'the operations rendered')
    t.equal(await sections.count(), operations.length, 'one section per operation')
    const menu = await page.locator('.menu-content').innerText()
    for (const { method, path, summary } of operations) {
      t.ok(summary !== undefined && menu.includes(summary), `"${summary}" (${method} ${path}) is in the menu`)
    }
    t.comment(`ReDoc rendered in ${Date.now() - loaded} ms`)
    await screenshot(page, 'redoc.png')
  })

  await t.test('nothing left the machine, and no page threw', async t => {
    t.same(browser.blocked, [], 'no request to another host')
    t.same(errors, [], 'no uncaught error in the pages')
  })

  t.comment(`browser test: ${Date.now() - started} ms`)
})
