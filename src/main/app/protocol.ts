import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import { RENDERER_SECURITY_HEADERS } from './csp'
import { APP_HOST, APP_SCHEME, contentTypeFor, resolveRendererAsset } from './renderer-assets'

/** Must run before `app.whenReady()`: app:// behaves like https (secure, standard origin). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the built renderer from app://bridgekeep/, with the CSP on every response. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const file = url.host === APP_HOST ? resolveRendererAsset(rendererDir, url.pathname) : null
    if (!file) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: { 'Content-Type': contentTypeFor(file), ...RENDERER_SECURITY_HEADERS },
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}
