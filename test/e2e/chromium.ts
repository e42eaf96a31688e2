/**
 * Helpers for the browser tests: Debian's Chromium, driven by playwright-core, with every request
 * that does not go to the test server blocked and recorded.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

/** Chromium's path: CHROMIUM_PATH, or Debian's package (`apt-get install chromium`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Why the browser tests cannot run here, or `false` when they can. */
export function skipReason (): string | false {
  return existsSync(CHROMIUM_PATH)
    ? false
    : `no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`
}

// No first-run UI, and none of Chromium's own traffic (updates, sync, field trials, QUIC probes).
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** A browser whose pages may only reach `allowedHost`. */
export interface OfflineBrowser {
  context: BrowserContext
  /** Every request that was blocked, as `METHOD url`. */
  blocked: string[]
  close: () => Promise<void>
}

/** Launches Chromium with a fresh profile; requests to any host but `allowedHost` are aborted and recorded. */
export async function launchOffline (allowedHost = '127.0.0.1'): Promise<OfflineBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'fastify-fastapi-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
      timeout: 20_000
    })
  } catch (error) {
    await rm(profile, { recursive: true, force: true })
    throw error
  }
  context.setDefaultTimeout(10_000)
  context.setDefaultNavigationTimeout(10_000)
  const blocked: string[] = []
  await context.route('**/*', route => {
    const request = route.request()
    if (new URL(request.url()).hostname === allowedHost) return route.continue()
    blocked.push(`${request.method()} ${request.url()}`)
    return route.abort('internetdisconnected')
  })
  return {
    context,
    blocked,
    async close () {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    }
  }
}
