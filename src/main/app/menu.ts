import { app, dialog, Menu, shell } from 'electron'
import type { DesktopHost } from '../desktop/desktop-host'
import type { Services } from '../services'
import { applicationMenuTemplate, type MenuActions } from './menu-template'
import { isBridgekeepError } from '../../shared/errors'

export interface ApplicationMenuOptions {
  desktop: DesktopHost
  services: Services
  verifyAll(): void
  /** Previews a chosen .bkshare file in the window. */
  importShare(path: string): void
  /** The README shipped with the app (Help). */
  readmePath: string
}

/**
 * The menu bar: "Install Command-Line Tool…" where editors offer it, the vault's Lock and Verify
 * all (enabled while unlocked, so rebuilt when that changes), About with the version on every
 * platform, and the README under Help. The template is applicationMenuTemplate's.
 */
export function installApplicationMenu(options: ApplicationMenuOptions): void {
  const { desktop, services } = options
  app.setAboutPanelOptions({
    applicationName: app.getName(),
    applicationVersion: app.getVersion(),
  })
  const actions: MenuActions = {
    installCommandLineTool: () => void installFromMenu(desktop),
    importShare: () => void chooseShareFile(options.importShare),
    lock: () => desktop.lock('menu'),
    verifyAll: options.verifyAll,
    openReadme: () => void shell.openPath(options.readmePath),
  }
  const build = () =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        applicationMenuTemplate(
          {
            platform: process.platform,
            packaged: app.isPackaged,
            unlocked: services.vault.status().state === 'unlocked',
          },
          actions,
        ),
      ),
    )
  build()
  services.events.connect((channel) => {
    if (channel === 'vault:changed') build()
  })
}

async function chooseShareFile(open: (path: string) => void): Promise<void> {
  const { canceled, filePaths } = await dialog.showOpenDialog({
    title: 'Open share file',
    properties: ['openFile'],
    filters: [{ name: 'Bridgekeep share', extensions: ['bkshare'] }],
  })
  const [path] = filePaths
  if (!canceled && path) open(path)
}

/** Installs, asking before it replaces another file, and says where it went (or what failed). */
async function installFromMenu(desktop: DesktopHost): Promise<void> {
  try {
    const { tool } = await desktop.commandLineStatus()
    if (tool.state === 'conflict') {
      const { response } = await dialog.showMessageBox({
        type: 'warning',
        message: `Replace ${tool.link}?`,
        detail: `It is ${tool.existing}, not Bridgekeep's command-line tool.`,
        buttons: ['Cancel', 'Replace'],
        defaultId: 0,
        cancelId: 0,
      })
      if (response !== 1) return
    }
    const installed = (await desktop.installCommandLineTool({ replace: tool.state === 'conflict' }))
      .tool
    if (installed.state !== 'installed') return
    await dialog.showMessageBox({
      type: 'info',
      message: 'The bridgekeep command is installed.',
      detail: [`${installed.link} → ${installed.executable}`, installed.note]
        .filter(Boolean)
        .join('\n\n'),
    })
  } catch (error) {
    await dialog.showMessageBox({
      type: 'error',
      message: isBridgekeepError(error)
        ? error.message
        : 'The command-line tool was not installed.',
      ...(isBridgekeepError(error) && error.hint ? { detail: error.hint } : {}),
    })
  }
}
