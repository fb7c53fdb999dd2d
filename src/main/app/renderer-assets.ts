import { extname, isAbsolute, relative, resolve, sep } from 'node:path'

export const APP_SCHEME = 'app'
export const APP_HOST = 'bridgekeep'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

/**
 * Maps a request path (`/assets/index.js`) to a file inside the renderer's build folder, or null
 * when it would leave that folder (`..`, encoded `%2e%2e`, backslashes, absolute paths, NUL) or is
 * not a file type the renderer ships. `/` means `/index.html`.
 */
export function resolveRendererAsset(rootDir: string, requestPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(requestPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const relativePath =
    decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  if (isAbsolute(relativePath) || relativePath.split('/').includes('..')) return null
  const root = resolve(rootDir)
  const file = resolve(root, relativePath)
  const inside = relative(root, file)
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))
    return null
  if (!(extname(file) in contentTypes)) return null
  return file
}

export function contentTypeFor(file: string): string {
  return contentTypes[extname(file)] ?? 'application/octet-stream'
}
