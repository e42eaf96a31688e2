/**
 * @module cookies — a small `Cookie` header parser, used when @fastify/cookie is not registered,
 * and the `Set-Cookie` lines the response classes write, as Starlette writes them.
 */

/**
 * Parses `name=value; other=value` into an object (later duplicates win, as in Starlette).
 * Values are URL-decoded when they decode; quoted values lose their quotes.
 */
export function parseCookies (header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null)
  if (header === undefined || header === '') return cookies
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    // Starlette keeps a bare token as a cookie with an empty name; nothing can read it, so skip it.
    if (eq === -1) continue
    const name = pair.slice(0, eq).trim()
    let value = pair.slice(eq + 1).trim()
    if (name === '') continue
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    cookies[name] = decode(value)
  }
  return cookies
}

function decode (value: string): string {
  if (!value.includes('%')) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** The options of `setCookie` (Starlette's `set_cookie` arguments). */
export interface CookieOptions {
  /** Seconds until the cookie expires (`Max-Age`). */
  maxAge?: number
  /** A date, a preformatted string, or a number of seconds from now (`expires`). */
  expires?: Date | string | number
  /** Default `'/'`; `null` leaves `Path` out. */
  path?: string | null
  domain?: string
  secure?: boolean
  httponly?: boolean
  /** Default `'lax'`; `null` leaves `SameSite` out. */
  samesite?: 'lax' | 'strict' | 'none' | null
  partitioned?: boolean
}

// http.cookies: a value made only of these characters is written bare, others are quoted.
const COOKIE_LEGAL = /^[A-Za-z0-9!#$%&'*+\-.^_`|~:]+$/
const COOKIE_UNESCAPED = /[A-Za-z0-9!#$%&'*+\-.^_`|~: ()/<=>?@[\]{}]/
const COOKIE_ATTRIBUTES = new Set(['expires', 'path', 'comment', 'domain', 'max-age', 'secure', 'httponly', 'version', 'samesite', 'partitioned'])

/** Python's `http.cookies._quote`. */
function quoteCookieValue (value: string): string {
  if (COOKIE_LEGAL.test(value)) return value
  let out = '"'
  for (const char of value) {
    const code = char.codePointAt(0) as number
    if (char === '"' || char === '\\') out += `\\${char}`
    else if (code < 256 && !COOKIE_UNESCAPED.test(char)) out += `\\${code.toString(8).padStart(3, '0')}`
    else out += char
  }
  return `${out}"`
}

/**
 * One `Set-Cookie` value, as Starlette's `set_cookie` writes it (Python's `SimpleCookie`:
 * attributes in alphabetical order, a value outside the cookie alphabet quoted and escaped).
 */
export function formatSetCookie (key: string, value: string, options: CookieOptions = {}): string {
  if (!COOKIE_LEGAL.test(key)) throw new TypeError(`Illegal cookie key ${JSON.stringify(key)}.`)
  if (COOKIE_ATTRIBUTES.has(key.toLowerCase())) throw new TypeError(`Cookie key ${JSON.stringify(key)} is a reserved attribute name.`)
  const { maxAge, expires, path = '/', domain, secure = false, httponly = false, samesite = 'lax', partitioned = false } = options
  const parts = [`${key}=${quoteCookieValue(value)}`]
  if (domain !== undefined && domain !== '') parts.push(`Domain=${domain}`)
  if (expires !== undefined && expires !== '') {
    const date = typeof expires === 'number' ? new Date(Date.now() + expires * 1000) : expires
    parts.push(`expires=${typeof date === 'string' ? date : date.toUTCString()}`)
  }
  if (httponly) parts.push('HttpOnly')
  if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`)
  if (partitioned) parts.push('Partitioned')
  if (path !== null && path !== '') parts.push(`Path=${path}`)
  if (samesite !== null) {
    if (!['strict', 'lax', 'none'].includes(samesite.toLowerCase())) throw new TypeError("samesite must be either 'strict', 'lax' or 'none'")
    parts.push(`SameSite=${samesite}`)
  }
  if (secure) parts.push('Secure')
  return parts.join('; ')
}
