import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
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
