import { BrowserWindow, app, shell, type Session, type WebContents } from 'electron'
import type { Logger } from '../log'
import { decideWindowOpen, isNavigationAllowed, isPermissionGranted } from './guards'
import { appIconPath } from './app-icon'

/** Denies every permission request and check on the session the windows use. */
export function lockDownSession(session: Session, log: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    const granted = isPermissionGranted(permission)
    if (!granted) log.warn('permission.denied', { permission })
    callback(granted)
  })
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission))
}

/** Applied to every web contents the app ever creates: no navigation away, no new windows. */
export function guardWebContents(
  contents: WebContents,
  appOrigins: readonly string[],
  log: Logger,
): void {
  const refuseNavigation = (event: Electron.Event, url: string) => {
    if (isNavigationAllowed(url, appOrigins)) return
    event.preventDefault()
    log.warn('navigation.denied', { origin: safeOrigin(url) })
  }
  contents.on('will-navigate', refuseNavigation)
  contents.on('will-redirect', refuseNavigation)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url)
    if (decision.openExternally) void shell.openExternal(url)
    else log.warn('window-open.denied', { origin: safeOrigin(url) })
    return { action: decision.action }
  })
}

export function createMainWindow(preloadPath: string, url: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Bridgekeep',
    // macOS and Windows take the icon from the bundle; Linux from here.
    ...(process.platform === 'linux' ? { icon: appIconPath() } : {}),
    backgroundColor: '#111418',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !app.isPackaged,
      // A middle click would otherwise ask for a new window (denied anyway by the open handler).
      disableBlinkFeatures: 'Auxclick',
    },
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(url)
  return window
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '(unparsable)'
  }
}
