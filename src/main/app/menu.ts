import { dialog, Menu, type MenuItemConstructorOptions } from 'electron'
import type { DesktopHost } from '../desktop/desktop-host'
import { isBridgekeepError } from '../../shared/errors'

/**
 * Electron's default menus (by role), with "Install Command-Line Tool…" in the app menu (macOS)
 * or the File menu, as editors offer it. Settings has the same action with its status.
 */
export function installApplicationMenu(desktop: DesktopHost): void {
  const install: MenuItemConstructorOptions = {
    label: 'Install Command-Line Tool…',
    click: () => void installFromMenu(desktop),
  }
  const separator: MenuItemConstructorOptions = { type: 'separator' }
  const first: MenuItemConstructorOptions =
    process.platform === 'darwin'
      ? {
          role: 'appMenu',
          submenu: [
            { role: 'about' },
            separator,
            install,
            separator,
            { role: 'services' },
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            { role: 'quit' },
          ],
        }
      : { label: 'File', submenu: [install, separator, { role: 'quit' }] }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      first,
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  )
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
