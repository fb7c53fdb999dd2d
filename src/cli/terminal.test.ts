import { describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'

import { onTerminal } from '../../test/terminal'
import { table } from './framework/output'
import { withProgress } from './framework/progress'

describe.skipIf(!privateKeyring)('on a terminal', SLOW, () => {
  it('asks for the passphrase without echoing it', async () => {
    const passphrase = 'terminal horse battery 9731'
    const vault = await cliVault({ passphrase })
    vault.services.vault.close()
    const result = await onTerminal(['env', 'ls', '--json'], { BRIDGEKEEP_HOME: vault.home }, [
      ['Vault passphrase: ', passphrase],
    ])
    expect(result.code).toBe(0)
    expect(result.screen).toContain('"name": "production"')
    expect(result.screen).not.toContain(passphrase)
    expect(result.screen).not.toContain('terminal horse')
  })

  it('offers the recovery key when the keychain fails', async () => {
    const vault = await cliVault()
    const result = await onTerminal(
      ['env', 'ls'],
      { BRIDGEKEEP_HOME: vault.home, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
      [['Recovery key: ', vault.recoveryKey]],
    )
    expect(result.code).toBe(0)
    expect(result.screen).toMatch(/production\s+production\s+yes/)
    expect(result.screen).not.toContain(vault.recoveryKey)
  })
})

describe('output helpers', () => {
  it('aligns table columns by display width, right-aligning numbers', () => {
    const text = table(
      [
        { name: 'é-long-name', count: 5 },
        { name: 'b', count: 12 },
      ],
      [
        { header: 'NAME', value: (row) => row.name },
        { header: 'N', value: (row) => String(row.count), align: 'right' },
        { header: 'NOTE', value: () => 'two\nlines' },
      ],
    )
    expect(text).toBe(
      [
        'NAME          N  NOTE',
        'é-long-name   5  two lines',
        'b            12  two lines',
        '',
      ].join('\n'),
    )
  })

  it('draws progress only on a terminal, and erases it when done', async () => {
    const writes: string[] = []
    const pipe = { write: (text: string) => writes.push(text), isTTY: false }
    expect(await withProgress(pipe, 'Working', () => 1, { delayMs: 0 })).toBe(1)
    expect(writes).toEqual([])
    const tty = { write: (text: string) => writes.push(text), isTTY: true }
    // The work ends once two frames were drawn: a fixed 120 ms, on a loaded machine whose timers
    // all fire late and together, could end before the second.
    const twoFrames = () =>
      new Promise<void>((done) => {
        const check = () => (writes.length >= 2 ? done() : setTimeout(check, 5))
        check()
      })
    await withProgress(tty, 'Working', twoFrames, { delayMs: 20, intervalMs: 30 })
    expect(writes[0]).toMatch(/^\r. Working$/)
    expect(writes.length).toBeGreaterThan(2)
    expect(writes.at(-1)).toBe('\r\u001b[2K')
    writes.length = 0
    await withProgress(tty, 'Quick', () => 'fast', { delayMs: 500 })
    expect(writes).toEqual([])
    await expect(
      withProgress(tty, 'Failing', () => Promise.reject(new Error('x')), { delayMs: 0 }),
    ).rejects.toThrow('x')
    expect(writes.at(-1)).toBe('\r\u001b[2K')
  })
})
