import { spawn } from 'node:child_process'
import { isOpenableLink } from '../shared/openable-link'
import { withoutSecretVariables } from '../shared/secret-variables'

/**
 * The desktop's "open this address" command, or none where there is no desktop to show a page
 * on (Linux without a display: a server, an SSH session). rundll32 rather than `cmd /c start`,
 * which would read the & of a query string as its own.
 */
function browserCommand(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): [command: string, args: string[]] | undefined {
  if (platform === 'darwin') return ['open', []]
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler']]
  return env.DISPLAY || env.WAYLAND_DISPLAY ? ['xdg-open', []] : undefined
}

/**
 * Opens an https address (or http on this computer) in the default browser, without waiting for
 * the browser. Resolves whether the opener started; it never throws, since the caller prints the
 * address either way (for a secret link, its one-time loopback address). Never give it a link
 * that signs whoever holds it in: the address is in the opener's argv, which every local user
 * can read.
 */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const command = browserCommand(process.platform, env)
  if (!command || !isOpenableLink(url)) return Promise.resolve(false)
  const [program, args] = command
  return new Promise((resolve) => {
    try {
      const child = spawn(program, [...args, new URL(url).href], {
        detached: true,
        stdio: 'ignore',
        env: withoutSecretVariables(env),
      })
      child.once('error', () => resolve(false))
      child.once('spawn', () => {
        child.unref()
        resolve(true)
      })
    } catch {
      resolve(false)
    }
  })
}
