import type { Page } from '@playwright/test'
import type { MemoryClipboard } from '../../src/main/services/clipboard/secret-clipboard'
import type { DesktopHost } from '../../src/main/desktop/desktop-host'
import type { Services } from '../../src/main/services'
import type { ManualClock } from '../../test/manual-clock'

export type HostKind = 'browser' | 'electron'

/** One running Bridgekeep window, whichever host runs it. */
export interface AppHost {
  kind: HostKind
  page: Page
  dataDir: string
  /**
   * The main-side services behind the window, when they run in the test process (browser host).
   * Specs that need them skip on the electron host, where main is another process.
   */
  services?: Services
  /** The clipboard main writes to (browser host): what a copy put there, and whether it cleared. */
  clipboard?: MemoryClipboard
  /** The addresses main opened in the user's browser (browser host: a new tab each). */
  browserOpened?: string[]
  /** What the desktop adds around the services (browser host): e.g. a share file opened by the OS. */
  desktop?: DesktopHost
  /** The auto-lock's clock (browser host): moved on by the spec instead of waiting minutes. */
  clock?: ManualClock
  close(): Promise<void>
}
