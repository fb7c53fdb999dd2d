import type { MenuItemConstructorOptions } from 'electron'

/**
 * The application menu as data, so what it offers on each platform and build is unit-tested under
 * Node; menu.ts builds it with Electron and rebuilds it when the vault locks or unlocks.
 */

export interface MenuActions {
  installCommandLineTool(): void
  importShare(): void
  lock(): void
  verifyAll(): void
  openReadme(): void
}

export interface MenuState {
  platform: NodeJS.Platform
  /** A packaged build: no reload and no developer tools, from the menu or by shortcut. */
  packaged: boolean
  unlocked: boolean
}

const separator: MenuItemConstructorOptions = { type: 'separator' }

export function applicationMenuTemplate(
  state: MenuState,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin'
  const install = { label: 'Install Command-Line Tool…', click: actions.installCommandLineTool }
  const importShare = { label: 'Open Share File…', click: actions.importShare }
  const vault: MenuItemConstructorOptions = {
    label: 'Vault',
    submenu: [
      {
        label: 'Lock',
        // The window's own Ctrl/⌘+L does the same while it has focus.
        enabled: state.unlocked,
        click: actions.lock,
      },
      { label: 'Verify All Connections', enabled: state.unlocked, click: actions.verifyAll },
    ],
  }
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      // Reloading would only lose the page's state, and developer tools expose the page: both
      // are for development builds (the window also refuses devtools when packaged).
      ...(state.packaged
        ? []
        : ([
            { role: 'reload' },
            { role: 'forceReload' },
            { role: 'toggleDevTools' },
            separator,
          ] satisfies MenuItemConstructorOptions[])),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  }
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'Bridgekeep README', click: actions.openReadme },
      // macOS has About in the app menu; elsewhere it lives in Help (with the version).
      ...(mac ? [] : [separator, { role: 'about' } satisfies MenuItemConstructorOptions]),
    ],
  }
  const first: MenuItemConstructorOptions = mac
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
    : { label: 'File', submenu: [importShare, separator, install, separator, { role: 'quit' }] }
  // On macOS the File menu holds only the import (the rest is in the app menu).
  const file: MenuItemConstructorOptions[] = mac ? [{ label: 'File', submenu: [importShare] }] : []
  return [first, ...file, { role: 'editMenu' }, vault, view, { role: 'windowMenu' }, help]
}
