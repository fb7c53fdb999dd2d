import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { RENDERER_SECURITY_HEADERS } from '../../src/main/app/csp'
import { contentTypeFor, resolveRendererAsset } from '../../src/main/app/renderer-assets'

export interface StaticServer {
  origin: string
  close(): Promise<void>
}

/**
 * Serves the built renderer on loopback exactly as the app:// protocol does in Electron: the same
 * path resolver (traversal refused) and the same CSP and security headers.
 */
export async function serveRendererOnLoopback(rendererDir: string): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const file = request.method === 'GET' ? resolveRendererAsset(rendererDir, url.pathname) : null
    if (!file) {
      response.writeHead(404).end('Not found')
      return
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'Content-Type': contentTypeFor(file),
          ...RENDERER_SECURITY_HEADERS,
        })
        response.end(body)
      },
      () => response.writeHead(404).end('Not found'),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
