import type { ChildProcess } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { environmentIds } from '../../test/services'

const mode = (path: string) => statSync(path).mode & 0o777

/** Calls `then` once a hidden temporary file for `target` appears (the command is mid-work). */
function whenStaged(folder: string, target: string, then: () => void) {
  return (child: ChildProcess) => {
    const timer = setInterval(() => {
      if (readdirSync(folder).some((name) => name.startsWith(`.${target}.`))) {
        clearInterval(timer)
        then.call(child)
      }
    }, 5)
    child.once('exit', () => clearInterval(timer))
  }
}

/**
 * Files the CLI writes for the user (audit exports, shares): created 0600 and exclusively,
 * replaced only on request and never through a symlink, and never left looking finished by an
 * interrupted command. Paths that are folders or do not exist get a clear error, not a crash.
 */
describe.skipIf(!privateKeyring)('files the CLI writes', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  let out: string

  beforeAll(async () => {
    vault = await cliVault()
    out = join(vault.home, 'out')
    mkdirSync(out)
    const created = vault.services.connections.create({
      name: 'gh',
      provider: 'github',
      authMode: 'inline',
      values: { token: `ghp_${'a'.repeat(36)}` },
    })
    vault.services.authorizations.applyChanges({
      grants: [
        { connectionId: created.id, environmentId: environmentIds(vault.services).staging! },
      ],
    })
  })

  it('never overwrites an existing audit export unless --force, and then atomically and 0600', async () => {
    const taken = join(out, 'audit.csv')
    writeFileSync(taken, 'keep me', { mode: 0o644 })
    const refused = await vault.cli(['audit', 'export', '--format', 'csv', '-o', taken])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`${taken} already exists. Nothing was exported.`)
    expect(readFileSync(taken, 'utf8')).toBe('keep me')
    expect(mode(taken)).toBe(0o644)

    const forced = await vault.cli(['audit', 'export', '--format', 'csv', '-o', taken, '--force'])
    expect(forced.code, forced.stderr).toBe(0)
    expect(readFileSync(taken, 'utf8')).toMatch(/^id,time,/)
    expect(mode(taken)).toBe(0o600)
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([])
    const noFile = await vault.cli(['audit', 'export', '--format', 'csv', '--force'])
    expect(noFile.code).toBe(2)
  })

  it('neither follows nor replaces a symlink unless --force, which replaces the link itself', async () => {
    const victim = join(out, 'victim.txt')
    const link = join(out, 'link.csv')
    symlinkSync(victim, link) // dangling: following it would create victim.txt
    const refused = await vault.cli(['audit', 'export', '--format', 'csv', '-o', link])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('already exists')
    expect(existsSync(victim)).toBe(false)

    const forced = await vault.cli(['audit', 'export', '--format', 'csv', '-o', link, '--force'])
    expect(forced.code, forced.stderr).toBe(0)
    expect(existsSync(victim)).toBe(false)
    expect(lstatSync(link).isSymbolicLink()).toBe(false)
    expect(mode(link)).toBe(0o600)
  })

  it('explains an --output that is a folder or in a folder that does not exist', async () => {
    const folder = await vault.cli(['audit', 'export', '--format', 'jsonl', '-o', out])
    expect(folder.code).toBe(1)
    expect(folder.stderr).toContain(`${out} is a folder. Nothing was exported.`)
    const missing = join(out, 'nope', 'audit.jsonl')
    const nowhere = await vault.cli(['audit', 'export', '--format', 'jsonl', '-o', missing])
    expect(nowhere.code).toBe(1)
    expect(nowhere.stderr).toContain(`Cannot create ${missing}: its folder does not exist.`)
    for (const result of [folder, nowhere]) expect(result.stderr).not.toContain('unexpected')
  })

  it('reads a malformed connection URI as a usage error', async () => {
    const result = await vault.cli(['exec', 'connection://%E0%A4%A/x', '--', 'true'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('has a malformed %-escape')
    expect(result.stderr).not.toContain('unexpected')
  })

  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
    'a share export stopped by %s mid-work leaves no file that looks finished, and records no share',
    async (signal) => {
      const name = `share-${signal}.bkshare`
      const target = join(out, name)
      const before = vault.services.sharing.shares().length
      const stopped = await vault.cli(
        ['share', 'export', 'gh', '--passphrase', '--env', 'staging', '-o', target],
        {
          // scrypt for the passphrase keeps the command busy after it has staged the file.
          env: { BRIDGEKEEP_SHARE_PASSPHRASE: 'four random words here' },
          started: whenStaged(out, name, function (this: ChildProcess) {
            this.kill(signal)
          }),
        },
      )
      expect(stopped.signal ?? stopped.code).toBe(signal)
      expect(existsSync(target)).toBe(false)
      expect(vault.services.sharing.shares()).toHaveLength(before)
      const leftovers = readdirSync(out).filter((file) => file.startsWith(`.${name}.`))
      // A catchable signal removes the temporary file; after kill -9 only a hidden .tmp remains.
      expect(leftovers).toHaveLength(signal === 'SIGKILL' ? 1 : 0)

      // Nothing is in the way of trying again.
      const retried = await vault.cli(
        ['share', 'export', 'gh', '--passphrase', '--env', 'staging', '-o', target],
        { env: { BRIDGEKEEP_SHARE_PASSPHRASE: 'four random words here' } },
      )
      expect(retried.code, retried.stderr).toBe(0)
      expect(readFileSync(target).subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1')
      expect(mode(target)).toBe(0o600)
      expect(vault.services.sharing.shares()).toHaveLength(before + 1)
    },
  )
})
