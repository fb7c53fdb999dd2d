import { join } from 'node:path'
import { Menu, Tray, app, nativeImage, nativeTheme } from 'electron'
import { readTrayState, trayView, type TrayAction } from '../desktop/keep-running'
import type { Logger } from '../log'
import type { Services } from '../services'

export interface AppTray {
  /** Whether an icon is there to bring the window back (the close decision needs it). */
  shown: boolean
}

/**
 * The tray (menu bar) icon: its picture, tooltip and menu come from keep-running.ts and are
 * redrawn when the vault, the runner, a connection's health or the theme changes.
 */
export function installTray(
  services: Services,
  log: Logger,
  act: (action: TrayAction) => void,
): AppTray {
  const folder = app.isPackaged
    ? join(process.resourcesPath, 'tray')
    : join(app.getAppPath(), 'resources', 'tray')
  let tray: Tray
  try {
    tray = new Tray(nativeImage.createEmpty())
  } catch (error) {
    log.warn('tray.unavailable', { error: error instanceof Error ? error.message : String(error) })
    return { shown: false }
  }
  const draw = () => {
    let view
    try {
      view = trayView(readTrayState(services))
    } catch {
      // Between a lock and its event the health list may refuse: the next event redraws.
      return
    }
    const theme = nativeTheme.shouldUseDarkColors ? 'dark' : 'light'
    tray.setImage(nativeImage.createFromPath(join(folder, `${view.icon}-${theme}.png`)))
    tray.setToolTip(view.tooltip)
    tray.setContextMenu(
      Menu.buildFromTemplate(
        view.menu.map((entry) =>
          entry === 'separator'
            ? { type: 'separator' }
            : { label: entry.label, enabled: entry.enabled, click: () => act(entry.action) },
        ),
      ),
    )
  }
  draw()
  tray.on('click', () => act('open'))
  services.events.connect((channel) => {
    if (['vault:changed', 'runner:status', 'health:changed'].includes(channel)) draw()
  })
  nativeTheme.on('updated', draw)
  return { shown: true }
}
