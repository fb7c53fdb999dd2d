import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { peek } from '../../test/audit-trail'
import { privateKeyring, runCli, SLOW, type CliResult } from '../../test/cli'
import { onTerminal } from '../../test/terminal'

// A recovery key as shown: 14 groups of 4 Crockford base32 characters (main/security/recovery-key.ts).
const RECOVERY_KEY = /[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){13}/

/** A new, empty place for a data folder (the folder itself is made by the test or by init). */
function place() {
  const root = mkdtempSync(join(tmpdir(), 'bk-init-'))
  const home = join(root, 'data')
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, { env: { BRIDGEKEEP_HOME: home, BRIDGEKEEP_AGENT: 'off', ...env } })
  return { root, home, cli }
}

function auditActions(home: string): { action: string; detail: string; outcome: string }[] {
  return peek(join(home, 'vault.db'), (db) =>
    db.prepare('SELECT action, detail, outcome FROM audit_log ORDER BY id').all(),
  ) as { action: string; detail: string; outcome: string }[]
}

function output(...results: CliResult[]): string {
  return results.map((result) => result.stdout + result.stderr).join('\n')
}

describe.skipIf(!privateKeyring)('bridgekeep init', SLOW, () => {
  it('creates a keychain vault, writes the recovery key to a new 0600 file, audits it', async () => {
    const { root, home, cli } = place()
    const keyFile = join(root, 'recovery.txt')
    const created = await cli(['init', '--recovery-key-out', keyFile])
    expect(created).toMatchObject({ code: 0, stderr: '' })
    expect(created.stdout).toContain(`Created a vault in ${home}, opened by the keychain.`)
    expect(created.stdout).toContain(`The recovery key is in ${keyFile} (0600)`)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(statSync(home).mode & 0o777).toBe(0o700)
    const recoveryKey = readFileSync(keyFile, 'utf8').trim()
    expect(recoveryKey).toMatch(RECOVERY_KEY)
    expect(created.stdout).not.toContain(recoveryKey)
    // The same entry the app's first run records.
    expect(auditActions(home)).toEqual([
      { action: 'vault.create', detail: 'Created (keychain)', outcome: 'success' },
    ])

    const status = JSON.parse((await cli(['status', '--json'])).stdout)
    expect(status.vault).toMatchObject({ state: 'locked', unlockMethod: 'keychain' })
    expect(status.dataDir).toBe(home)
    // The key written down opens the vault.
    const recovered = await cli(['env', 'ls', '--recovery-key'], {
      BRIDGEKEEP_RECOVERY_KEY: recoveryKey,
    })
    expect(recovered.code).toBe(0)
  })

  it('refuses to print the recovery key into a pipe, or --json, and creates nothing', async () => {
    const { home, cli } = place()
    for (const args of [['init'], ['init', '--json']]) {
      const refused = await cli(args)
      expect(refused.code).toBe(1)
      expect(refused.stdout).toBe('')
      expect(refused.stderr).toContain('The recovery key is shown once, on a terminal')
      expect(refused.stderr).toContain('No vault was created.')
      expect(refused.stderr).toContain('--recovery-key-out <file>')
      expect(refused.stdout + refused.stderr).not.toMatch(RECOVERY_KEY)
    }
    expect(existsSync(join(home, 'vault.db'))).toBe(false)
    expect(JSON.parse((await cli(['status', '--json'])).stdout).vault).toEqual({
      state: 'missing',
    })
  })

  it('shows the recovery key on a terminal, once', async () => {
    const { home } = place()
    const shown = await onTerminal(['init'], { BRIDGEKEEP_HOME: home, BRIDGEKEEP_AGENT: 'off' })
    expect(shown.code).toBe(0)
    expect(shown.screen).toContain('Recovery key (shown only now')
    expect(shown.screen.match(new RegExp(RECOVERY_KEY.source, 'g'))).toHaveLength(1)
    expect(existsSync(join(home, 'vault.db'))).toBe(true)
  })

  it('refuses to touch an existing vault, and leaves the recovery key file unmade', async () => {
    const { root, home, cli } = place()
    expect((await cli(['init', '--recovery-key-out', join(root, 'first.txt')])).code).toBe(0)
    const before = readFileSync(join(home, 'vault.db'))
    const again = await cli(['init', '--recovery-key-out', join(root, 'second.txt')])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(`A vault already exists in ${home}. Nothing was changed.`)
    expect(again.stderr).toContain('set BRIDGEKEEP_HOME to another folder')
    expect(existsSync(join(root, 'second.txt'))).toBe(false)
    expect(readFileSync(join(home, 'vault.db')).equals(before)).toBe(true)
    expect(auditActions(home).map((entry) => entry.action)).toEqual(['vault.create'])
  })

  it('never writes the recovery key over an existing file', async () => {
    const { root, home, cli } = place()
    const keyFile = join(root, 'taken.txt')
    writeFileSync(keyFile, 'keep me\n')
    const refused = await cli(['init', '--recovery-key-out', keyFile])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('No vault was created.')
    expect(readFileSync(keyFile, 'utf8')).toBe('keep me\n')
    expect(existsSync(join(home, 'vault.db'))).toBe(false)
  })

  it('tightens a data folder others can read, and refuses one others can write to', async () => {
    const { root, home, cli } = place()
    mkdirSync(home, { mode: 0o755 })
    chmodSync(home, 0o755)
    const tightened = await cli(['init', '--recovery-key-out', join(root, 'key.txt')])
    expect(tightened.code).toBe(0)
    expect(tightened.stderr).toContain(
      `tightened ${home} to 0700: others could read it (mode 0755)`,
    )
    expect(statSync(home).mode & 0o777).toBe(0o700)

    const shared = join(root, 'shared')
    mkdirSync(shared)
    chmodSync(shared, 0o777)
    const refused = await runCli(['init', '--recovery-key-out', join(root, 'other.txt')], {
      env: { BRIDGEKEEP_HOME: shared, BRIDGEKEEP_AGENT: 'off' },
    })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`The data folder ${shared} can be written to by other users`)
    expect(refused.stderr).toContain(`chmod 700 '${shared}'`)
    expect(existsSync(join(shared, 'vault.db'))).toBe(false)
    expect(existsSync(join(root, 'other.txt'))).toBe(false)
  })

  it('creates a passphrase vault from BRIDGEKEEP_PASSPHRASE_FILE; an empty or weak one is refused', async () => {
    const { root, home, cli } = place()
    const passphrase = `canary ${randomBytes(12).toString('hex')} horse staple`
    const file = join(root, 'passphrase')
    const keyFile = join(root, 'key.txt')

    writeFileSync(file, '\n', { mode: 0o600 })
    const empty = await cli(['init', '--passphrase', '--recovery-key-out', keyFile], {
      BRIDGEKEEP_PASSPHRASE_FILE: file,
    })
    expect(empty.code).toBe(1)
    expect(empty.stderr).toContain(
      `The passphrase file ${file} (BRIDGEKEEP_PASSPHRASE_FILE) is empty.`,
    )

    writeFileSync(file, 'password\n')
    const weak = await cli(['init', '--passphrase', '--recovery-key-out', keyFile], {
      BRIDGEKEEP_PASSPHRASE_FILE: file,
    })
    expect(weak.code).toBe(1)
    expect(weak.stderr).toContain('Choose a stronger passphrase')

    const missing = await cli(['init', '--passphrase', '--recovery-key-out', keyFile], {
      BRIDGEKEEP_PASSPHRASE_FILE: join(root, 'nope'),
    })
    expect(missing.code).toBe(1)
    expect(existsSync(join(home, 'vault.db'))).toBe(false)
    expect(existsSync(keyFile)).toBe(false)

    writeFileSync(file, `${passphrase}\n`)
    const created = await cli(['init', '--passphrase', '--recovery-key-out', keyFile, '--json'], {
      BRIDGEKEEP_PASSPHRASE_FILE: file,
    })
    expect(created.code).toBe(0)
    expect(JSON.parse(created.stdout)).toEqual({
      dataDir: home,
      vaultId: expect.any(String),
      mode: 'passphrase',
      recoveryKeyFile: keyFile,
    })
    expect(auditActions(home)).toEqual([
      { action: 'vault.create', detail: 'Created (passphrase)', outcome: 'success' },
    ])
    const status = await cli(['status'])
    expect(status.stdout).toMatch(/Vault:\s+locked \(passphrase\): each command unlocks it itself/)
    // Every command of this vault reads the same file.
    const opened = await cli(['env', 'ls'], { BRIDGEKEEP_PASSPHRASE_FILE: file })
    expect(opened.code).toBe(0)
    expect(output(empty, weak, missing, created, status, opened)).not.toContain(passphrase)
  })

  it('asks for a new passphrase twice on a terminal, without echo', async () => {
    const { root, home } = place()
    const passphrase = `typed ${randomBytes(8).toString('hex')} battery`
    const env = { BRIDGEKEEP_HOME: home, BRIDGEKEEP_AGENT: 'off' }
    const differ = await onTerminal(['init', '--passphrase'], env, [
      ['New vault passphrase: ', passphrase],
      ['The passphrase again: ', `${passphrase}x`],
    ])
    expect(differ.code).toBe(1)
    expect(differ.screen).toContain('The two passphrases differ.')
    expect(existsSync(join(home, 'vault.db'))).toBe(false)

    const created = await onTerminal(
      ['init', '--passphrase', '--recovery-key-out', join(root, 'key.txt')],
      env,
      [
        ['New vault passphrase: ', passphrase],
        ['The passphrase again: ', passphrase],
      ],
    )
    expect(created.code).toBe(0)
    expect(created.screen).toContain('opened by the passphrase')
    expect(differ.screen + created.screen).not.toContain(passphrase)
  })
})
