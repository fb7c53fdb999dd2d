import { randomBytes } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BridgekeepError } from '../../../shared/errors'
import { isOpenableLink } from '../../../shared/openable-link'

/** How long the browser has to ask for the redirect before it is given up. */
export const REDIRECT_TIMEOUT_MS = 120_000

export interface SingleUseRedirect {
  /** `http://127.0.0.1:<port>/<nonce>`: the address handed to the browser instead of the link. */
  url: string
  /** True once the browser was sent on to the link; false when nobody asked in time. */
  served: Promise<boolean>
  /** Gives up early (the browser could not be started). */
  close(): void
}

/**
 * Serves a secret link (one that signs whoever opens it in) through a one-time loopback address,
 * so that the link itself never appears in a command line: opening a page runs xdg-open, open or
 * rundll32 with the address in argv, which any local user can read in `ps` or /proc/<pid>/cmdline.
 * Only the exact path with the 256-bit nonce is answered, once, with a 302 that is neither cached
 * nor sent on as a referrer; everything else gets 404, and the listener closes after the redirect
 * or after `timeoutMs`.
 */
export async function startSingleUseRedirect(
  link: string,
  options: { timeoutMs?: number } = {},
): Promise<SingleUseRedirect> {
  // The link itself is never put in the message: it is the secret.
  if (!isOpenableLink(link))
    throw new BridgekeepError(
      'VALIDATION',
      'Only an https link (or http on this computer) can be opened through the one-time loopback address.',
      'Check where the link came from: sign-in links from AWS are https.',
    )
  const path = `/${randomBytes(32).toString('base64url')}`
  let used = false
  let finish: (served: boolean) => void = () => {}
  const served = new Promise<boolean>((resolve) => (finish = resolve))
  const server = createServer((request, response) => {
    if (used || request.method !== 'GET' || request.url !== path) return notFound(response)
    used = true
    response.writeHead(302, {
      location: link,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      connection: 'close',
    })
    response.end(() => stop(true))
  })
  const timer = setTimeout(() => stop(false), options.timeoutMs ?? REDIRECT_TIMEOUT_MS)
  timer.unref()
  function stop(wasServed: boolean) {
    clearTimeout(timer)
    used = true
    server.close()
    server.closeAllConnections()
    finish(wasServed)
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}${path}`, served, close: () => stop(false) }
}

function notFound(response: ServerResponse) {
  response.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' })
  response.end('Not found\n')
}
