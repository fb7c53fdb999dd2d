import { defineConfig } from '@playwright/test'
import type { HostOptions } from './e2e/fixtures/app'
import { CHROMIUM, installedChromium, installedElectron } from './e2e/paths'

// The same specs run on every host available: `browser` (the renderer in Debian's Chromium over
// the real main-side handlers) wherever Chromium is installed, `electron` (the real app) wherever
// the Electron binary is installed — it cannot be downloaded on the build machines.
const hosts: HostOptions['host'][] = []
if (installedChromium()) hosts.push('browser')
if (installedElectron()) hosts.push('electron')
if (hosts.length === 0) {
  throw new Error(
    `No e2e host: install Chromium at ${CHROMIUM} (or set BRIDGEKEEP_CHROMIUM), or install the Electron binary.`,
  )
}

export default defineConfig<HostOptions>({
  testDir: 'e2e/specs',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Budgets for a two-core machine running two workers, each a Chromium plus the main-side
  // services (scrypt, SQLite fsyncs) in the test process.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: { trace: 'retain-on-failure' },
  projects: hosts.map((host) => ({ name: host, use: { host } })),
})
