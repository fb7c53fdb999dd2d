import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from '@playwright/test'
import { version } from '../../package.json'
import { dispatch } from '../../src/main/ipc/dispatch'
import { createHandlerRegistry } from '../../src/main/ipc/registry'
import { memoryLogger } from '../../src/main/log'
import { MemoryClipboard } from '../../src/main/services/clipboard/secret-clipboard'
import { ChildProcessLauncher } from '../../src/main/runner-host/process-launcher'
import { agentSocketPath } from '../../src/main/agent/socket-path'
import { packagedExecutable } from '../../src/main/desktop/command-line-tool'
import { startDesktopHost } from '../../src/main/desktop/desktop-host'
import { createServices } from '../../src/main/services'
import { createOsKeyStore, MemoryKeyStore, type KeyStore } from '../../src/main/security/keystore'
import { ManualClock } from '../../test/manual-clock'
import { BROWSER_BRIDGE_BUNDLE, E2E_KEYCHAIN_SERVICE, ROOT } from '../paths'
import { INVOKE_BINDING, PUSH_EVENT } from './browser-bridge-names'
import type { AppHost } from './host'

/**
 * The built renderer in Debian's Chromium, served on loopback, with `window.bridgekeep` backed by
 * the real main-side services and handler registry running in this (the test) process.
 */
export async function launchBrowserHost(
  browser: Browser,
  origin: string,
  dataDir: string,
): Promise<AppHost> {
  const log = memoryLogger()
  const clipboard = new MemoryClipboard()
  // Main's "open in the browser" (shell.openExternal in Electron): a new tab of this Chromium.
  const browserOpened: string[] = []
  const services = createServices({
    dataDir,
    appInfo: { name: 'Bridgekeep', version, platform: process.platform, host: 'browser' },
    log,
    keyStore: e2eKeyStore(),
    clipboard,
    browser: {
      open: async (url) => {
        browserOpened.push(url)
        // `context` (below) exists by the time the page can ask for anything.
        const tab = await context.newPage()
        await tab.goto(url)
      },
    },
    // Imports read ~/.aws and ~/.kube: in tests, a home inside the test's own data folder.
    home: join(dataDir, 'home'),
    env: {},
    // The built runner program (npm run build), as a child of this test process.
    runner: {
      launcher: new ChildProcessLauncher({ entry: join(ROOT, 'out', 'main', 'runner.js') }),
    },
    // This host's window is a page of the context: none open is the app in the tray.
    windowShown: () => context.pages().some((page) => !page.isClosed()),
  })
  // The app's agent on this data folder's socket, for the CLI run with BRIDGEKEEP_HOME=dataDir. The
  // host is a source checkout (no command-line tool to install) unless the test planted a packaged
  // app's resources/cli/bridgekeep in the data folder.
  const resources = join(dataDir, 'resources')
  const packaged = existsSync(packagedExecutable(resources, true, process.platform)!)
  // The auto-lock runs on a clock the spec moves on (host.clock), so no other spec ever sees it.
  const clock = new ManualClock()
  const desktop = startDesktopHost({
    services,
    log,
    clock,
    socketPath: agentSocketPath({ BRIDGEKEEP_HOME: dataDir }),
    tool: {
      executable: packagedExecutable(resources, packaged, process.platform),
      platform: process.platform,
      home: join(dataDir, 'home'),
      pathVariable: process.env.PATH ?? '',
      // Never the machine's own /usr/local/bin (root may write there): one inside the test's folder,
      // absent unless a test makes it.
      systemBin: join(dataDir, 'usr-local-bin'),
    },
  })
  const registry = createHandlerRegistry(services, desktop)
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.exposeBinding(INVOKE_BINDING, ({ frame }, channel: string, input: unknown) =>
    dispatch(registry, channel, input, { senderUrl: frame.url(), trustedOrigins: [origin], log }),
  )
  await context.addInitScript({ content: readFileSync(BROWSER_BRIDGE_BUNDLE, 'utf8') })
  const disconnect = services.events.connect((channel, payload) => {
    for (const page of context.pages()) {
      page
        .evaluate(([name, detail]) => window.dispatchEvent(new CustomEvent(name, { detail })), [
          PUSH_EVENT,
          { channel, payload },
        ] as const)
        .catch(() => undefined) // a page that is closing misses the push, as a closed window would
    }
  })
  const page = await context.newPage()
  await page.goto(`${origin}/index.html`)
  return {
    kind: 'browser',
    page,
    dataDir,
    services,
    clipboard,
    browserOpened,
    clock,
    desktop,
    close: async () => {
      await Promise.all([services.runner.shutdown(), desktop.stop()])
      disconnect()
      services.vault.close()
      await context.close()
    },
  }
}

/**
 * The real OS keychain when the tests run inside the private Secret Service
 * (scripts/with-secret-service.sh, as `npm test` does); otherwise a memory store, so a developer's
 * own keyring is never written by tests.
 */
function e2eKeyStore(): KeyStore {
  return process.env.BRIDGEKEEP_SECRET_SERVICE === 'private'
    ? createOsKeyStore(E2E_KEYCHAIN_SERVICE)
    : new MemoryKeyStore()
}
