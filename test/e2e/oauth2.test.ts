/**
 * OAuth2PasswordRequestForm end to end: the /docs page's Authorize dialog of examples/security
 * (FastAPI's "Simple OAuth2 with Password and Bearer"), in Debian's headless Chromium, with no
 * network besides the app. The server records what it really received, so the test checks the
 * wire as well as what Swagger UI shows.
 *
 * Skipped, with the reason printed, where Chromium is not installed.
 */
import t from 'tap'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Page } from 'playwright-core'
import { build } from '../../examples/security/index.js'
import { launchOffline, skipReason, type OfflineBrowser } from './chromium.js'

// From the example's fake DB.
const JOHNDOE = { username: 'johndoe', email: 'johndoe@example.com', full_name: 'John Doe', disabled: false }
const FORM_TYPE = 'application/x-www-form-urlencoded'

/** What the server got for one request to /token or /users/me. */
interface Received {
  url: string
  contentType: string | undefined
  authorization: string | undefined
  body: unknown
  statusCode: number
  payload: string
}

/** Records every request to the example's API routes, as parsed by the app, with its answer. */
function record (app: FastifyInstance): Received[] {
  const received: Received[] = []
  // onSend: the body is parsed (or refused) and the answer is known, before the browser sees it.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url === '/token' || request.url === '/users/me') {
      received.push({
        url: request.url,
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body: request.body === undefined ? undefined : { ...request.body as object },
        statusCode: reply.statusCode,
        payload: String(payload)
      })
    }
    return payload
  })
  return received
}

/** Opens /docs in a fresh page (so no authorization is left from another case) and waits for the operations. */
async function openDocs (browser: OfflineBrowser, origin: string, errors: string[]): Promise<Page> {
  const page = await browser.context.newPage()
  page.on('pageerror', error => { errors.push(`${page.url()}: ${error.message}`) })
  await page.goto(`${origin}/docs`)
  await page.locator('.opblock').nth(1).waitFor()
  return page
}

/** The client credentials, and where Swagger UI puts them ("Client credentials location"). */
interface Client {
  location: 'basic' | 'request-body'
  id: string
  secret: string
}

/** Authorize → fill the password flow's fields → submit; resolves to the browser's view of POST /token. */
async function authorize (page: Page, origin: string, username: string, password: string, client?: Client) {
  await page.locator('.auth-wrapper button.authorize').click()
  const dialog = page.locator('.dialog-ux .modal-ux')
  await dialog.waitFor()
  await dialog.locator('#oauth_username').fill(username)
  await dialog.locator('#oauth_password').fill(password)
  if (client !== undefined) {
    await dialog.locator('#password_type').selectOption(client.location)
    await dialog.locator('#client_id_password').fill(client.id)
    await dialog.locator('#client_secret_password').fill(client.secret)
  }
  const answer = page.waitForResponse(response => response.url() === `${origin}/token`)
  await dialog.locator('.auth-btn-wrapper button.authorize').click()
  const response = await answer
  return { dialog, request: response.request(), response }
}

/** Expands GET /users/me → Try it out → Execute; resolves to the browser's view and the shown answer. */
async function executeUsersMe (page: Page, origin: string) {
  const block = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/users/me"]') })
  await block.locator('.opblock-summary').first().click()
  await block.getByRole('button', { name: 'Try it out' }).click()
  const answer = page.waitForResponse(response => response.url() === `${origin}/users/me`)
  await block.getByRole('button', { name: 'Execute' }).click()
  const response = await answer
  const live = block.locator('.live-responses-table tr.response').first()
  await live.waitFor()
  return {
    block,
    request: response.request(),
    response,
    // The cell's first line; an answer the operation does not document adds "Undocumented" below.
    status: (await live.locator('.response-col_status').innerText()).trim().split('\n')[0],
    body: await live.locator('.highlight-code pre').first().innerText()
  }
}

t.test('OAuth2 password flow from the /docs Authorize dialog, in Chromium, offline', { skip: skipReason(), timeout: 60_000 }, async t => {
  const started = Date.now()
  const app = await build()
  t.teardown(() => app.close())
  const received = record(app)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const browser = await launchOffline()
  t.teardown(() => browser.close())
  const errors: string[] = []
  t.comment(`Chromium up in ${Date.now() - started} ms`)

  await t.test('the right password: authorized, then GET /users/me answers the user with the bearer token', async t => {
    received.length = 0
    const page = await openDocs(browser, origin, errors)
    const { dialog, request, response } = await authorize(page, origin, 'johndoe', 'secret')

    t.equal(response.status(), 200, 'POST /token answered 200')
    t.equal(request.method(), 'POST')
    t.equal(request.headers()['content-type'], FORM_TYPE, 'Swagger UI sent an urlencoded form')
    const sent = Object.fromEntries(new URLSearchParams(request.postData() ?? ''))
    t.match(sent, { grant_type: 'password', username: 'johndoe', password: 'secret' }, 'the browser sent the password grant')
    t.same(await response.json(), { access_token: 'johndoe', token_type: 'bearer' })

    const [token] = received.filter(({ url }) => url === '/token')
    t.ok(token, 'the server got POST /token')
    t.equal(token?.contentType, FORM_TYPE, 'as an urlencoded form')
    t.match(token?.body, { grant_type: 'password', username: 'johndoe', password: 'secret' }, 'the app parsed the password grant')
    t.equal(token?.statusCode, 200)
    // Swagger UI's default client credentials location is the Authorization header, so even with
    // no client id and secret it sends `Basic base64(":")`: the form dependency must ignore it.
    t.equal(token?.authorization, `Basic ${btoa(':')}`, 'with Swagger UI\'s empty Basic client credentials, ignored')
    t.comment(`POST /token as received: content-type ${token?.contentType}, authorization ${token?.authorization}, body ${request.postData()}`)

    // The dialog now shows the flow as authorized: a "Logout" button instead of "Authorize", no error.
    await t.resolves(dialog.getByRole('heading', { name: 'Authorized' }).first().waitFor(), 'the dialog says "Authorized"')
    await t.resolves(dialog.locator('.auth-btn-wrapper button', { hasText: 'Logout' }).waitFor(), 'the dialog offers "Logout"')
    t.equal(await dialog.locator('.errors').count(), 0, 'no auth error shown')
    await dialog.getByRole('button', { name: 'Close' }).click()
    await dialog.waitFor({ state: 'detached' })
    t.match(await page.locator('.auth-wrapper button.authorize').getAttribute('class'), /\blocked\b/, 'the Authorize button shows a closed lock')

    const me = await executeUsersMe(page, origin)
    t.equal(me.request.headers().authorization, 'Bearer johndoe', 'the browser sent the bearer token')
    t.equal(me.response.status(), 200)
    t.equal(me.status, '200', 'the response panel shows 200')
    const shown = JSON.parse(me.body)
    t.same(shown, JOHNDOE, 'the response panel shows the user')
    t.notOk('hashed_password' in shown, 'no hashed password shown')
    t.notMatch(me.body, 'hashed', 'nor anywhere in the body shown')

    const users = received.filter(({ url }) => url === '/users/me')
    t.equal(users.length, 1, 'the server got GET /users/me once')
    t.equal(users[0]?.authorization, 'Bearer johndoe', 'with the token from /token as a bearer token')
    t.equal(users[0]?.statusCode, 200)
    t.notMatch(users[0]?.payload ?? '', 'hashed', 'no hashed password on the wire')
    await page.close()
  })

  await t.test('a wrong password: the dialog shows the auth error, and GET /users/me answers 401', async t => {
    received.length = 0
    const page = await openDocs(browser, origin, errors)
    const { dialog, request, response } = await authorize(page, origin, 'johndoe', 'wrong')

    t.equal(response.status(), 400, 'POST /token answered 400')
    t.same(await response.json(), { detail: 'Incorrect username or password' })
    t.match(Object.fromEntries(new URLSearchParams(request.postData() ?? '')), { grant_type: 'password', username: 'johndoe', password: 'wrong' })
    const [token] = received.filter(({ url }) => url === '/token')
    t.equal(token?.contentType, FORM_TYPE)
    t.match(token?.body, { grant_type: 'password', username: 'johndoe', password: 'wrong' })
    t.equal(token?.statusCode, 400)

    // Swagger UI shows the status text of a failed token request, not the body's detail.
    const error = dialog.locator('.errors')
    await t.resolves(error.first().waitFor(), 'an error is shown in the dialog')
    const text = await error.first().innerText()
    t.match(text, /auth\s+error/i, 'as an auth error')
    t.match(text, /Bad Request/, 'with the 400\'s status text')
    t.equal(await dialog.locator('.auth-btn-wrapper button', { hasText: 'Logout' }).count(), 0, 'not authorized')
    await dialog.getByRole('button', { name: 'Close' }).click()
    await dialog.waitFor({ state: 'detached' })
    t.match(await page.locator('.auth-wrapper button.authorize').getAttribute('class'), /\bunlocked\b/, 'the Authorize button shows an open lock')

    const me = await executeUsersMe(page, origin)
    t.equal(me.request.headers().authorization, undefined, 'no token sent')
    t.equal(me.response.status(), 401)
    t.equal(me.status, '401', 'the response panel shows 401')
    t.same(JSON.parse(me.body), { detail: 'Not authenticated' })
    const users = received.filter(({ url }) => url === '/users/me')
    t.equal(users.length, 1)
    t.equal(users[0]?.authorization, undefined, 'the server got no Authorization header')
    t.equal(users[0]?.statusCode, 401)
    await page.close()
  })

  await t.test('client credentials in the request body reach the form as client_id and client_secret', async t => {
    received.length = 0
    const page = await openDocs(browser, origin, errors)
    const client: Client = { location: 'request-body', id: 'docs-client', secret: 'docs-secret' }
    const { dialog, request, response } = await authorize(page, origin, 'johndoe', 'secret', client)
    t.equal(response.status(), 200)
    t.equal(request.headers().authorization, undefined, 'no Basic header this time')
    const [token] = received.filter(({ url }) => url === '/token')
    t.equal(token?.contentType, FORM_TYPE)
    t.match(token?.body, { grant_type: 'password', username: 'johndoe', password: 'secret', client_id: 'docs-client', client_secret: 'docs-secret' })
    t.equal(token?.statusCode, 200)
    await t.resolves(dialog.locator('.auth-btn-wrapper button', { hasText: 'Logout' }).waitFor(), 'authorized')
    await dialog.getByRole('button', { name: 'Close' }).click()

    const me = await executeUsersMe(page, origin)
    t.equal(me.status, '200')
    t.same(JSON.parse(me.body), JOHNDOE)
    t.equal(received.find(({ url }) => url === '/users/me')?.authorization, 'Bearer johndoe')
    await page.close()
  })

  await t.test('nothing left the machine, and no page threw', async t => {
    t.same(browser.blocked, [], 'no request to another host')
    t.same(errors, [], 'no uncaught error in the pages')
  })

  t.comment(`OAuth2 browser test: ${Date.now() - started} ms`)
})
