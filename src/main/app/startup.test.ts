import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveDataDir } from '../paths'
import { startApp, type StartupApp, type StartupSteps } from './startup'

/** Electron's app as far as start-up goes: records each call, in order. */
function fakeApp(options: { lock: boolean }) {
  const calls: string[] = []
  let ready!: () => void
  const whenReady = new Promise<void>((resolve) => (ready = resolve))
  const app: StartupApp = {
    enableSandbox: () => calls.push('enableSandbox'),
    setName: (name) => calls.push(`setName ${name}`),
    setPath: (name, path) => {
      // Electron throws for a folder that does not exist.
      if (!existsSync(path)) throw new Error(`setPath: ${path} does not exist`)
      calls.push(`setPath ${name} ${path}`)
    },
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock')
      return options.lock
    },
    on: (event) => calls.push(`on ${event}`),
    whenReady: () => {
      calls.push('whenReady')
      return whenReady
    },
    quit: () => calls.push('quit'),
  }
  return { app, calls, ready: () => ready() }
}

function steps(dataDir: string, calls: string[]): StartupSteps {
  return {
    name: 'Bridgekeep',
    dataDir,
    beforeReady: () => calls.push('registerAppScheme'),
    secondInstance: () => calls.push('second-instance'),
    ready: () => calls.push('ready'),
    failed: (error) => calls.push(`failed ${String(error)}`),
  }
}

describe('the start-up order', () => {
  it('makes BRIDGEKEEP_HOME userData before the single-instance lock and before ready', async () => {
    // A BRIDGEKEEP_HOME that does not exist yet, as for a first start or a fresh e2e folder.
    const home = join(mkdtempSync(join(tmpdir(), 'bk-startup-')), 'home')
    const dataDir = resolveDataDir({ BRIDGEKEEP_HOME: home }, 'linux', '/nonexistent')
    const { app, calls, ready } = fakeApp({ lock: true })

    expect(startApp(app, steps(dataDir, calls))).toBe(true)
    expect(calls).toEqual([
      'enableSandbox',
      'setName Bridgekeep',
      `setPath userData ${home}`,
      'registerAppScheme',
      'requestSingleInstanceLock',
      'on second-instance',
      'whenReady',
    ])
    expect(statSync(home).mode & 0o777).toBe(0o700)

    ready()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(calls.at(-1)).toBe('ready')
  })

  it('quits when another instance holds the lock of the same data folder, after setting it', () => {
    const home = mkdtempSync(join(tmpdir(), 'bk-startup-'))
    const { app, calls } = fakeApp({ lock: false })

    expect(startApp(app, steps(home, calls))).toBe(false)
    expect(calls).toEqual([
      'enableSandbox',
      'setName Bridgekeep',
      `setPath userData ${home}`,
      'registerAppScheme',
      'requestSingleInstanceLock',
      'quit',
    ])
  })

  it('reports a data folder that cannot be made, and goes no further', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bk-startup-')), 'a-file')
    writeFileSync(file, '')
    const { app, calls } = fakeApp({ lock: true })

    expect(startApp(app, steps(join(file, 'home'), calls))).toBe(false)
    expect(calls.slice(0, 2)).toEqual(['enableSandbox', 'setName Bridgekeep'])
    expect(calls[2]).toMatch(/^failed Error: ENOTDIR/)
    expect(calls).toHaveLength(3)
  })

  it('reports a failure of the ready step instead of leaving it unhandled', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bk-startup-'))
    const { app, calls, ready } = fakeApp({ lock: true })
    startApp(app, {
      ...steps(home, calls),
      ready: () => {
        throw new Error('createServices failed')
      },
    })
    ready()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(calls.at(-1)).toBe('failed Error: createServices failed')
  })
})
