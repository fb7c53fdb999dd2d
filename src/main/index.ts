import { join, resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { BrowserWindow, app, clipboard, nativeTheme, powerMonitor, session, shell } from 'electron'
import { notifyHealthTransitions } from './app/health-notifications'
import { forwardEvents, registerIpc } from './app/ipc'
import { installApplicationMenu } from './app/menu'
import { registerAppScheme, serveRenderer } from './app/protocol'
import { APP_ORIGIN } from './app/renderer-assets'
import { UtilityProcessLauncher } from './app/runner-launcher'
import { startApp } from './app/startup'
import { installTray } from './app/tray'
import { createMainWindow, guardWebContents, lockDownSession } from './app/window'
import { agentSocketPath } from './agent/socket-path'
import { packagedExecutable } from './desktop/command-line-tool'
import { startDesktopHost, type DesktopHost } from './desktop/desktop-host'
import { shareFileIn } from './desktop/opened-shares'
import { decideWindowClose, keepsRunningInTray, type TrayAction } from './desktop/keep-running'
import { createHandlerRegistry } from './ipc/registry'
import { originOf } from './ipc/origin'
import { fileLogger, stderrLogger, type Logger } from './log'
import { APP_NAME, appLogFile, resolveDataDir } from './paths'
import type { Settings, ThemePreference } from '../shared/settings'
import { createOsKeyStore } from './security/keystore'
import { createServices, type Services } from './services'
import { isOpenableLink } from '../shared/openable-link'

const dataDir = resolve(resolveDataDir())
// Every line on stderr and in <data folder>/logs/app.log (rotated at 1 MiB, three kept, 0600),
// which error hints point to ("the app log has the details").
const log = fileLogger(appLogFile(dataDir), { also: stderrLogger })

// Sandbox every renderer, whatever its webPreferences say; userData is the data folder before
// the single-instance lock and before ready (see app/startup.ts).
startApp(app, {
  name: APP_NAME,
  dataDir,
  secondInstance: (argv) => {
    const share = shareFileIn(argv)
    if (share) openShareFile(share)
    else showWindow()
  },
  beforeReady: () => {
    registerAppScheme()
    // Windows groups the windows and shows notifications under this id: electron-builder's appId.
    if (process.platform === 'win32') app.setAppUserModelId('dev.bridgekeep.app')
    // macOS hands a double-clicked file to the running app (or the starting one) this way.
    app.on('open-file', (event, path) => {
      event.preventDefault()
      openShareFile(path)
    })
  },
  ready: start,
  failed: (error: unknown) => {
    log.error('app.start-failed', { error: error instanceof Error ? error.message : String(error) })
    app.exit(1)
  },
})

function start(): void {
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  const appOrigins = devServerUrl ? [APP_ORIGIN, originOf(devServerUrl)] : [APP_ORIGIN]

  const nativeBinding = electronSqliteBinding()
  const services = createServices({
    dataDir,
    appInfo: {
      name: APP_NAME,
      version: app.getVersion(),
      platform: process.platform,
      host: 'electron',
    },
    log,
    keyStore: createOsKeyStore(process.env.BRIDGEKEEP_KEYCHAIN_SERVICE || undefined),
    clipboard,
    // Main-initiated only (the one-time loopback address of a sign-in link); what the page asks
    // to open still goes through the window guard's https-only rule.
    browser: {
      open: (url) =>
        isOpenableLink(url)
          ? shell.openExternal(url)
          : Promise.reject(new Error('Only https or loopback links are opened.')),
    },
    ...(nativeBinding ? { nativeBinding } : {}),
    runner: { launcher: new UtilityProcessLauncher() },
    // Hidden in the tray, the window cannot show the MFA dialog: the CLI is answered at once.
    windowShown: () => BrowserWindow.getAllWindows().some((window) => window.isVisible()),
  })
  // Open the vault with the keychain if it can (audited); otherwise the window shows the unlock
  // screen.
  void services.vaultLifecycle.unlockAtAppStart()
  // Scheduled health checks run while the vault is unlocked (the scheduler looks each minute).
  services.healthScheduler.start()
  // The agent serves the bridgekeep command for as long as the app runs, window open or not.
  const desktop = startDesktopHost({
    services,
    log,
    socketPath: agentSocketPath(),
    tool: {
      executable: packagedExecutable(process.resourcesPath, app.isPackaged, process.platform),
      platform: process.platform,
      home: app.getPath('home'),
      pathVariable: process.env.PATH ?? '',
      systemBin: '/usr/local/bin',
    },
    // Input anywhere on the computer counts as being there, not only in this window.
    systemIdleMs: () => powerMonitor.getSystemIdleTime() * 1000,
  })
  powerMonitor.on('suspend', () => desktop.lock('suspend'))
  powerMonitor.on('lock-screen', () => desktop.lock('lock-screen'))
  installApplicationMenu({
    desktop,
    services,
    verifyAll: () => verifyAllFromMenu(services, log),
    importShare: openShareFile,
    readmePath: app.isPackaged
      ? join(process.resourcesPath, 'README.md')
      : join(app.getAppPath(), 'README.md'),
  })
  let quitRequested = false
  app.on('before-quit', () => (quitRequested = true))
  let quitting = false
  app.on('will-quit', (event) => {
    services.clipboard.clearNow()
    if (!quitting) {
      // Stop the local runner (SIGTERM, then SIGKILL) and the agent (its socket removed) before
      // the vault closes under them.
      quitting = true
      event.preventDefault()
      // No new scheduled checks; those in flight end as the runner stops.
      void services.healthScheduler.stop()
      void Promise.allSettled([services.runner.shutdown(), desktop.stop()]).finally(() => {
        services.vault.close()
        app.quit()
      })
    }
  })
  registerIpc(createHandlerRegistry(services, desktop), appOrigins, log)
  forwardEvents(services.events)
  notifyHealthTransitions(services.events)
  followThemeSetting(services)

  lockDownSession(session.defaultSession, log)
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appOrigins, log))
  serveRenderer(join(__dirname, '../renderer'))

  // Closing the window hides it while the tray can bring it back: the runner, the health
  // checks and the agent go on (Settings turns this off; Quit in the tray or menu ends it all).
  const tray = installTray(services, log, (action: TrayAction) => {
    if (action === 'open') showWindow()
    else if (action === 'lock') desktop.lock('tray')
    else if (action === 'verify-all') verifyAllFromMenu(services, log)
    else app.quit()
  })
  openWindow = () => {
    const window = createMainWindow(
      join(__dirname, '../preload/index.js'),
      devServerUrl ?? `${APP_ORIGIN}/index.html`,
    )
    window.on('close', (event) => {
      const decision = decideWindowClose({
        quitting: quitRequested,
        keepRunningInTray: keepsRunningInTray(services),
        trayShown: tray.shown,
      })
      if (decision === 'hide') {
        event.preventDefault()
        window.hide()
      }
    })
  }
  openWindow()
  app.on('activate', showWindow)
  // A share double-clicked to start the app (Windows, Linux), or before it was ready (macOS).
  desktopHost = desktop
  const share = shareFileBeforeReady ?? shareFileIn(process.argv)
  if (share) openShareFile(share)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}

let openWindow: (() => void) | undefined
let desktopHost: DesktopHost | undefined
let shareFileBeforeReady: string | undefined

/** Shows the window with the share's import preview (the Sharing page takes the file). */
function openShareFile(path: string): void {
  if (!desktopHost) {
    shareFileBeforeReady = path
    return
  }
  desktopHost.openShareFile(path)
  showWindow()
}

/** Brings the window back (hidden in the tray, minimized, or behind others), or opens one. */
function showWindow(): void {
  const [window] = BrowserWindow.getAllWindows()
  if (!window) return openWindow?.()
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}

/**
 * Verify all from the tray or the menu: results arrive as desktop notifications (a connection
 * turning failing or recovering) and in the window's health column.
 */
function verifyAllFromMenu(services: Services, log: Logger): void {
  try {
    services.health.verifyAll()
  } catch (error) {
    log.warn('menu.verify-all-failed', {
      error: error instanceof Error ? error.message : String(error),
    })
  }
}

/**
 * In development the better-sqlite3 addon in node_modules is built for Node (tests use it), so
 * `npm start` builds a copy for Electron's ABI beside it (scripts/electron-native.mjs). Packaged
 * apps get theirs rebuilt by electron-builder and use the default.
 */
function electronSqliteBinding(): string | undefined {
  if (app.isPackaged) return undefined
  const path = join(
    app.getAppPath(),
    'node_modules',
    '.cache',
    'bridgekeep-electron',
    process.versions.electron,
    'better_sqlite3.node',
  )
  return existsSync(path) ? path : undefined
}

/** Native parts (menus, dialogs, title bar) follow the theme chosen in Settings. */
function followThemeSetting(services: Services): void {
  const apply = (theme: ThemePreference) => {
    nativeTheme.themeSource = theme
  }
  try {
    apply(services.settings.get().theme)
  } catch {
    // A corrupt settings file is reported in the Settings page; the OS theme applies meanwhile.
  }
  services.events.connect((channel, payload) => {
    if (channel === 'settings:changed') apply((payload as Settings).theme)
  })
}
