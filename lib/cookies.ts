/**
 * @module cookies — a small `Cookie` header parser, used when @fastify/cookie is not registered.
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
