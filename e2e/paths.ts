import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '..')
export const RENDERER_DIR = join(ROOT, 'out', 'renderer')
export const BROWSER_BRIDGE_BUNDLE = join(ROOT, 'out', 'e2e', 'browser-bridge.js')
/** The keychain item e2e vaults keep their keys under, apart from a real install's. */
export const E2E_KEYCHAIN_SERVICE = 'dev.bridgekeep.vault.e2e'
export const CHROMIUM = process.env.BRIDGEKEEP_CHROMIUM ?? '/usr/bin/chromium'

/** Chromium as the build machines can run it: no sandbox (root), no GPU, no network chatter. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** The Chromium the browser host drives (never a Playwright download), if it is installed. */
export function installedChromium(): string | undefined {
  return existsSync(CHROMIUM) ? CHROMIUM : undefined
}

/**
 * The Electron executable, if its binary is installed. Electron 45 downloads the binary on first
 * require('electron'), so this looks at the files instead of requiring the package.
 */
export function installedElectron(): string | undefined {
  const packageDir = join(ROOT, 'node_modules', 'electron')
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(executable) ? executable : undefined
}
