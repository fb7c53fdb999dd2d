import { spawn } from 'node:child_process'
import { withoutSecretVariables } from '../secret-variables'

/**
 * Opens an https page in the default browser when there is a desktop to show it on (a display on
 * Linux; always on macOS), without waiting for the browser. Returns whether it tried: on a server
 * or over SSH the user opens the printed address themselves.
 */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!url.startsWith('https://')) return false
  const command =
    process.platform === 'darwin'
      ? 'open'
      : process.platform === 'linux' && (env.DISPLAY || env.WAYLAND_DISPLAY)
        ? 'xdg-open'
        : undefined
  if (!command) return false
  const child = spawn(command, [url], {
    detached: true,
    stdio: 'ignore',
    env: withoutSecretVariables(env),
  })
  child.on('error', () => {}) // no xdg-open: the address is printed anyway
  child.unref()
  return true
}
