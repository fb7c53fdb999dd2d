import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { applicationMenuTemplate, type MenuActions, type MenuState } from './menu-template'

function menu(state: Partial<MenuState> = {}) {
  const called: string[] = []
  const actions: MenuActions = {
    installCommandLineTool: () => called.push('install'),
    importShare: () => called.push('import'),
    lock: () => called.push('lock'),
    verifyAll: () => called.push('verify'),
    openReadme: () => called.push('readme'),
  }
  const template = applicationMenuTemplate(
    { platform: 'linux', packaged: true, unlocked: true, ...state },
    actions,
  )
  return { template, called }
}

/** Every item, flattened, named by its label or role. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? items(item.submenu) : []),
  ])
}
const named = (template: MenuItemConstructorOptions[], name: string) =>
  items(template).find((item) => item.label === name || item.role === name)

describe('applicationMenuTemplate', () => {
  it('offers About on every platform (in Help, or the app menu on macOS)', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(named(menu({ platform }).template, 'about'), platform).toBeDefined()
    }
    const help = named(menu().template, 'help')!.submenu as MenuItemConstructorOptions[]
    expect(help.map((item) => item.label ?? item.role ?? item.type)).toEqual([
      'Bridgekeep README',
      'separator',
      'about',
    ])
  })

  it('locks and verifies from the Vault menu, only while unlocked', () => {
    const { template, called } = menu()
    for (const name of [
      'Lock',
      'Verify All Connections',
      'Bridgekeep README',
      'Open Share File…',
    ]) {
      const item = named(template, name)!
      expect(item.enabled ?? true, name).toBe(true)
      ;(item.click as () => void)()
    }
    expect(called).toEqual(['lock', 'verify', 'readme', 'import'])
    const locked = menu({ unlocked: false }).template
    expect(named(locked, 'Lock')!.enabled).toBe(false)
    expect(named(locked, 'Verify All Connections')!.enabled).toBe(false)
  })

  it('has no reload or developer tools in a packaged build, and has them in development', () => {
    const devOnly = ['reload', 'forceReload', 'toggleDevTools']
    for (const role of devOnly) {
      expect(named(menu({ packaged: true }).template, role), role).toBeUndefined()
      expect(named(menu({ packaged: false }).template, role), role).toBeDefined()
    }
    // The default View menu role would bring them back: it is not used.
    expect(named(menu().template, 'viewMenu')).toBeUndefined()
  })

  it('offers Open Share File… on every platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(named(menu({ platform }).template, 'Open Share File…'), platform).toBeDefined()
    }
  })

  it('puts the command-line tool in the File menu, or the app menu on macOS', () => {
    const file = menu({ platform: 'linux' }).template[0]!
    expect(file.label).toBe('File')
    expect(items([file]).some((item) => item.label === 'Install Command-Line Tool…')).toBe(true)
    const appMenu = menu({ platform: 'darwin' }).template[0]!
    expect(appMenu.role).toBe('appMenu')
    expect(items([appMenu]).some((item) => item.label === 'Install Command-Line Tool…')).toBe(true)
  })
})
