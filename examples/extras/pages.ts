/**
 * The browser side: an HTML page with a theme form, the theme cookie, and two fixed pages.
 * Declared on `app.api` itself, not on a router.
 */
import { z } from 'zod'
import {
  Cookie, Depends, Form, formatSetCookie, HTMLResponse, PlainTextResponse, RedirectResponse, status,
  type CookieOptions, type FastapiRoutes, type RouteDecl
} from '../../lib/index.js'
import { getStore, staticPage, timed } from './helpers.js'

const Theme = z.enum(['light', 'dark'])

/** A year; not readable by scripts. */
const themeCookie: CookieOptions = { maxAge: 365 * 24 * 60 * 60, httponly: true, samesite: 'lax' }

/** What every HTML route says. */
const page = { responseClass: HTMLResponse, tags: ['pages'] } satisfies RouteDecl

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, char => ESCAPES[char])

/** Adds the pages to `api` (an app's or a plugin's `app.api`). */
export function addPages (api: FastapiRoutes): void {
  api.get('/', {
    ...page,
    args: { store: Depends(getStore), theme: Cookie(Theme, { default: 'light' }) }
  }, timed(function home ({ store, theme }) {
    const items = store.list().map(record => `<li>${escapeHtml(record.title)} (${escapeHtml(record.name)})</li>`).join('')
    return `<!doctype html><body class="${theme}"><h1>Files</h1><ul>${items}</ul>` +
      '<form method="post" action="/preferences"><button name="theme" value="dark">Dark</button>' +
      '<button name="theme" value="light">Light</button></form></body>'
  }))

  api.post('/preferences', {
    tags: ['pages'],
    args: { theme: Form(Theme) }
  }, function savePreferences ({ theme }) {
    // The page's form posts here: back to the page (303: the browser follows with a GET).
    const response = new RedirectResponse('/', status.HTTP_303_SEE_OTHER)
    response.setCookie('theme', theme, themeCookie)
    return response
  })

  api.delete('/preferences', { tags: ['pages'] }, function resetPreferences (_args, _request, reply) {
    // FastAPI's `response: Response` parameter: a header set on the reply, while the return
    // value is still sent as JSON.
    reply.header('set-cookie', formatSetCookie('theme', '', { ...themeCookie, maxAge: 0 }))
    return { theme: 'light' }
  })

  staticPage(api.get, '/robots.txt', 'User-agent: *\nDisallow: /files\nDisallow: /shared\n', PlainTextResponse)
  staticPage(api.get, '/about', '<!doctype html><title>About</title><p>A small file-sharing service.</p>', HTMLResponse)
}
