import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT } from './run-node'

// electron-builder reads this file only when packaging, which needs the Electron binary; this
// keeps the security-relevant settings from drifting unnoticed in the meantime.
const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')
const setting = (key: string) => new RegExp(`^\\s+${key}:\\s*(\\S+)`, 'm').exec(config)?.[1]

describe('electron-builder.yml', () => {
  it.each([
    ['runAsNode', 'false'],
    ['enableNodeOptionsEnvironmentVariable', 'false'],
    ['enableNodeCliInspectArguments', 'false'],
    ['enableCookieEncryption', 'true'],
    ['enableEmbeddedAsarIntegrityValidation', 'true'],
    ['onlyLoadAppFromAsar', 'true'],
    ['grantFileProtocolExtraPrivileges', 'false'],
  ])('sets the %s fuse to %s', (fuse, value) => {
    expect(setting(fuse)).toBe(value)
  })

  it('packages for Linux (AppImage, deb), macOS (dmg) and Windows (nsis)', () => {
    expect(config).toMatch(/linux:\n\s+target: \[AppImage, deb\]/)
    expect(config).toMatch(/mac:\n\s+target: dmg/)
    expect(config).toMatch(/win:\n\s+target: nsis/)
  })

  it('leaves the Node binary npm installs for tests and the CLI out of the app', () => {
    const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      optionalDependencies: Record<string, string>
    }
    const excluded = /'!node_modules\/\{([^}]+)\}\/\*\*'/.exec(config)?.[1]?.split(',') ?? []
    const nodePackages = Object.keys(packageJson.optionalDependencies).filter((name) =>
      name.startsWith('node-'),
    )
    expect(nodePackages.length).toBeGreaterThan(0)
    for (const name of nodePackages) {
      expect(
        excluded.some((glob) => new RegExp(`^${glob.replace('*', '.*')}$`).test(name)),
        name,
      ).toBe(true)
    }
  })
})

describe('the command-line tool in the packaged app', () => {
  const builder = parse(config) as {
    extraResources: { from: string; to: string }[]
    deb: Record<string, string>
    rpm: Record<string, string>
  }
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
  ).scripts
  const linuxScript = (name: string) => readFileSync(join(ROOT, name), 'utf8')

  it('carries npm run build:cli’s folder for this platform as <resources>/cli', () => {
    // electron-builder's macros: ${platform} is process.platform, ${arch} the arch's name.
    const folders = builder.extraResources.map(({ from, to }) => ({
      from: from.replace('${platform}', process.platform).replace('${arch}', process.arch),
      to,
    }))
    expect(folders).toContainEqual({
      from: `dist-cli/${process.platform}-${process.arch}`,
      to: 'cli',
    })
  })

  it('carries the icon notifications and the Linux window show, and the tray icons', () => {
    expect(builder.extraResources).toContainEqual({ from: 'resources/icon.png', to: 'icon.png' })
    expect(builder.extraResources).toContainEqual({ from: 'resources/tray', to: 'tray' })
    expect(existsSync(join(ROOT, 'resources', 'icon.png'))).toBe(true)
    // The same id the shell gives Windows for notifications (app.setAppUserModelId).
    expect(config).toMatch(/^appId: dev\.bridgekeep\.app$/m)
    expect(readFileSync(join(ROOT, 'src', 'main', 'index.ts'), 'utf8')).toContain(
      "app.setAppUserModelId('dev.bridgekeep.app')",
    )
  })

  it('builds the command before packaging', () => {
    expect(scripts['build:cli']).toBe('node scripts/build-cli.mjs')
    expect(existsSync(join(ROOT, 'scripts/build-cli.mjs'))).toBe(true)
    const steps = scripts.package!.split('&&').map((step) => step.trim())
    expect(steps.indexOf('npm run build:cli')).toBeGreaterThanOrEqual(0)
    expect(steps.indexOf('npm run build:cli')).toBeLessThan(steps.indexOf('electron-builder'))
  })

  it.each(['deb', 'rpm'] as const)(
    'gives the %s package the install and remove scripts',
    (target) => {
      expect(builder[target]).toEqual({
        afterInstall: 'resources/linux/after-install.sh',
        afterRemove: 'resources/linux/after-remove.sh',
      })
    },
  )

  it('links /usr/bin/bridgekeep to the command on install, and removes only that link', () => {
    const cli = "'/opt/${sanitizedProductName}/resources/cli/bridgekeep'"
    expect(linuxScript('resources/linux/after-install.sh')).toContain(
      `ln -sfn ${cli} /usr/bin/bridgekeep`,
    )
    const remove = linuxScript('resources/linux/after-remove.sh')
    expect(remove).toContain(`if [ "$(readlink /usr/bin/bridgekeep)" = ${cli} ]; then`)
    expect(remove).toMatch(/if \[ "\$1" = upgrade \] \|\| \[ "\$1" -ge 1 \]/)
  })

  it('keeps the steps of electron-builder’s own install script that the app needs', () => {
    const install = linuxScript('resources/linux/after-install.sh')
    expect(install).toContain('/opt/${sanitizedProductName}/chrome-sandbox')
    expect(install).toContain('apparmor_parser --replace')
    expect(install).toContain('update-desktop-database')
  })

  it.each(['resources/linux/after-install.sh', 'resources/linux/after-remove.sh'])(
    '%s is valid bash and uses only macros electron-builder defines',
    (name) => {
      // electron-builder refuses a script with any other ${name} ("Macro name is not defined").
      const macros = [...linuxScript(name).matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1])
      expect(new Set(macros)).toEqual(new Set(['sanitizedProductName', 'executable']))
      const syntax = spawnSync('bash', ['-n', join(ROOT, name)], { encoding: 'utf8' })
      expect(syntax.stderr).toBe('')
      expect(syntax.status).toBe(0)
    },
  )
})
