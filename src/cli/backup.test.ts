import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, runCli, SLOW, type CliResult } from '../../test/cli'
import { contentsBesidesAudit } from '../../test/audit-trail'
import { ROOT } from '../../test/run-node'
import { onTerminal } from '../../test/terminal'
import { connectionInput } from '../../test/services'
import { memoryLogger } from '../main/log'
import { createOsKeyStore, MemoryKeyStore } from '../main/security/keystore'
import { createServices } from '../main/services'
import { BACKUP_MAGIC } from '../main/services/backup/backup-file'
import { sharedToBob } from '../main/services/sharing/share-test-support'

type Source = Awaited<ReturnType<typeof cliVault>>

/** Services over `home` with the keychain items of `keychainService` (a machine's keychain). */
function servicesOver(home: string, keychainService?: string) {
  return createServices({
    dataDir: home,
    appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'electron' },
    log: memoryLogger(),
    keyStore: keychainService ? createOsKeyStore(keychainService) : new MemoryKeyStore(),
    env: {},
  })
}

const outputs: CliResult[] = []
const cli = async (...args: Parameters<typeof runCli>) => {
  const result = await runCli(...args)
  outputs.push(result)
  return result
}

describe.skipIf(!privateKeyring)('bridgekeep backup', SLOW, () => {
  let source: Source
  let canaries: Record<string, string>
  let backupFile: string
  let folder: string
  const env = (home: string, extra: Record<string, string> = {}) => ({
    BRIDGEKEEP_HOME: home,
    BRIDGEKEEP_AGENT: 'off',
    BRIDGEKEEP_LOG: 'debug',
    ...extra,
  })

  beforeAll(async () => {
    source = await cliVault()
    canaries = {}
    for (const name of ['prod-github', 'ci-github', 'docs-github']) {
      const input = connectionInput('github', name)
      const token = `ghp_${randomBytes(18).toString('hex')}`
      const created = source.services.connections.create({
        ...input,
        values: { ...input.values, token },
      })
      canaries[created.id] = token
    }
    folder = mkdtempSync(join(tmpdir(), 'bk-backups-'))
    backupFile = join(folder, 'vault.bkbackup')
    const made = await cli(['backup', 'create', '-o', backupFile], { env: env(source.home) })
    expect(made.stderr).not.toMatch(/"level":"(warn|error)"/)
    expect(made.code).toBe(0)
    expect(made.stdout).toContain(backupFile)
  })

  afterAll(() => {
    // No secret in anything any command printed (debug logs included), in the audit trail of
    // the vault backed up, or in the backup file in clear.
    const printed = outputs.map((run) => run.stdout + run.stderr).join('\n')
    const audit = JSON.stringify(source.services.audit.query().entries)
    for (const secret of [...Object.values(canaries), source.recoveryKey]) {
      expect(printed).not.toContain(secret)
      expect(audit).not.toContain(secret)
      expect(readFileSync(backupFile).includes(Buffer.from(secret))).toBe(false)
    }
    source.services.vault.close()
  })

  it('writes a 0600 backup file and refuses to write over an existing one', async () => {
    expect(statSync(backupFile).mode & 0o777).toBe(0o600)
    expect(readFileSync(backupFile).subarray(0, BACKUP_MAGIC.length).toString()).toBe(BACKUP_MAGIC)
    const again = await cli(['backup', 'create', '-o', backupFile], { env: env(source.home) })
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(backupFile)
    expect(again.stderr).toMatch(/already exists/)
  })

  it('restores into a fresh data folder and keychain with the recovery key: the secrets read back', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bk-restored-'))
    // A keychain service name this vault never used: a machine whose keychain never saw it.
    const keychain = `dev.bridgekeep.test-${randomBytes(4).toString('hex')}`
    const restored = await cli(['backup', 'restore', backupFile], {
      env: env(home, {
        BRIDGEKEEP_RECOVERY_KEY: source.recoveryKey,
        BRIDGEKEEP_KEYCHAIN_SERVICE: keychain,
      }),
    })
    expect(restored.stderr).not.toMatch(/"level":"error"/)
    expect(restored.code).toBe(0)
    expect(restored.stdout).toContain(source.services.vault.vaultId())

    // The restore gave this keychain an item of its own: the vault opens without the key now.
    const services = servicesOver(home, keychain)
    await services.vault.unlock({ method: 'keychain' })
    for (const [id, token] of Object.entries(canaries))
      expect(services.connections.reveal(id, 'token')).toBe(token)
    const actions = services.audit.query().entries.map((entry) => entry.action)
    expect(actions).toContain('backup.restored')
    services.vault.close()
    // The backup itself was recorded in the vault it was made from, by name.
    const created = source.services.audit
      .query({ filter: { actions: ['backup.created'] } })
      .entries.map((entry) => [entry.outcome, entry.detail])
    expect(created).toContainEqual(['success', 'Wrote vault.bkbackup'])
  })

  it('asks for the recovery key on the terminal without echoing it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bk-restored-tty-'))
    const shown = await onTerminal(['backup', 'restore', backupFile], env(home), [
      ['Recovery key', source.recoveryKey],
    ])
    outputs.push({ code: shown.code, signal: null, stdout: shown.screen, stderr: '' })
    expect(shown.code).toBe(0)
    expect(shown.screen).toContain('Restored')
    expect(shown.screen).not.toContain(source.recoveryKey)
  })

  it('refuses foreign, damaged and wrong-key files with their own messages, the vault untouched', async () => {
    const target = await cliVault()
    target.services.vault.close()
    const vaultPath = join(target.home, 'vault.db')
    const before = readFileSync(vaultPath)
    const contents = contentsBesidesAudit(vaultPath)
    const bytes = readFileSync(backupFile)
    const write = (name: string, content: Uint8Array) => {
      const path = join(folder, name)
      writeFileSync(path, content)
      return path
    }
    const flip = (at: number) => {
      const copy = Buffer.from(bytes)
      copy[at] = copy[at]! ^ 0x20
      return copy
    }
    const share = (await sharedToBob()).share.bytes
    const cases: [string, string, RegExp][] = [
      [write('random.bkbackup', randomBytes(8192)), 'BACKUP_FOREIGN', /is not a Bridgekeep backup/],
      [write('sqlite.bkbackup', before), 'BACKUP_FOREIGN', /is not a Bridgekeep backup/],
      [write('share.bkbackup', share), 'BACKUP_FOREIGN', /is not a Bridgekeep backup/],
      [
        write('cut.bkbackup', bytes.subarray(0, Math.floor(bytes.length / 2))),
        'BACKUP_DAMAGED',
        /contents fail their integrity check/,
      ],
      [
        write('header.bkbackup', flip(BACKUP_MAGIC.length + 30)),
        'BACKUP_DAMAGED',
        /header does not match its checksum/,
      ],
      [
        write('body.bkbackup', flip(bytes.length - 1000)),
        'BACKUP_DAMAGED',
        /contents fail their integrity check/,
      ],
    ]
    for (const [path, , message] of cases) {
      const refused = await cli(['backup', 'restore', path, '--force'], {
        env: env(target.home, { BRIDGEKEEP_RECOVERY_KEY: source.recoveryKey }),
      })
      expect(refused.code, path).toBe(1)
      expect(refused.stderr).toMatch(message)
      expect(refused.stderr).toContain(path)
      expect(refused.stderr).toContain('Nothing was changed.')
    }
    const wrongKey = await cli(['backup', 'restore', backupFile, '--force'], {
      env: env(target.home, { BRIDGEKEEP_RECOVERY_KEY: target.recoveryKey }),
    })
    expect(wrongKey.code).toBe(1)
    expect(wrongKey.stderr).toContain('That recovery key does not open this backup.')
    expect(wrongKey.stderr).toContain('current when it was made')
    // Untouched but for the audit trail, which records each refusal.
    expect(contentsBesidesAudit(vaultPath)).toEqual(contents)
    expect(readdirSync(target.home).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('replaces an existing vault only with --force, and only once the restored one opened', async () => {
    const target = await cliVault()
    const oldId = target.services.vault.vaultId()
    target.services.vault.close()
    const before = contentsBesidesAudit(join(target.home, 'vault.db'))
    const restoreEnv = env(target.home, { BRIDGEKEEP_RECOVERY_KEY: source.recoveryKey })

    const refused = await cli(['backup', 'restore', backupFile], { env: restoreEnv })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/A vault already exists in .*Nothing was changed\./)
    expect(refused.stderr).toContain('--force')
    expect(contentsBesidesAudit(join(target.home, 'vault.db'))).toEqual(before)

    const replaced = await cli(['backup', 'restore', backupFile, '--force', '--json'], {
      env: restoreEnv,
    })
    expect(replaced.code).toBe(0)
    expect(JSON.parse(replaced.stdout)).toMatchObject({
      vaultId: source.services.vault.vaultId(),
      replacedExisting: true,
    })
    const services = servicesOver(target.home, 'dev.bridgekeep.vault')
    await services.vault.unlock({ method: 'keychain' })
    expect(services.vault.vaultId()).not.toBe(oldId)
    expect(services.connections.list()).toHaveLength(Object.keys(canaries).length)
    services.vault.close()
    expect(readdirSync(target.home).filter((name) => /replaced|\.tmp/.test(name))).toEqual([])
  })

  it('refuses while an agent serves the vault', async () => {
    const target = await cliVault()
    target.services.vault.close()
    const socket = join(target.home, 'agent', 'agent.sock')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(join(target.home, 'agent'), { mode: 0o700 })
    const server: Server = createServer((connection) => connection.end())
    await new Promise<void>((done) => server.listen(socket, done))
    try {
      const refused = await cli(['backup', 'restore', backupFile, '--force'], {
        env: env(target.home, { BRIDGEKEEP_RECOVERY_KEY: source.recoveryKey }),
      })
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/app or bridgekeep agent is serving the vault/)
      expect(refused.stderr).toMatch(/Quit the Bridgekeep app and stop bridgekeep agent/)
    } finally {
      server.close()
    }
  })

  it('leaves no file under the final name when killed (kill -9) at any point', async () => {
    // A biggish vault: the backup takes long enough to be killed in the middle of it.
    const big = await cliVault()
    const padding = 'x'.repeat(4000)
    for (let i = 0; i < 1500; i++) {
      const input = connectionInput('github', `conn-${i}`)
      big.services.connections.create({ ...input, notes: padding })
    }
    const count = big.services.connections.list().length
    big.services.vault.close()
    const out = mkdtempSync(join(tmpdir(), 'bk-killed-'))
    const outcomes: string[] = []
    for (const delayMs of [0, 30, 80, 160, 320, 640]) {
      const target = join(out, `killed-${delayMs}.bkbackup`)
      await killedBackup(big.home, target, delayMs)
      if (!existsSync(target)) {
        outcomes.push(`${delayMs}ms: none`)
        continue
      }
      // A file under the final name is a whole backup: it restores.
      outcomes.push(`${delayMs}ms: complete`)
      const home = mkdtempSync(join(tmpdir(), 'bk-killed-restore-'))
      const services = servicesOver(home)
      await services.backup.restore({
        data: readFileSync(target),
        recoveryKey: big.recoveryKey,
        replaceExisting: false,
      })
      expect(services.connections.list()).toHaveLength(count)
      services.vault.close()
    }
    console.warn(`backup killed at: ${outcomes.join(', ')}`)
    expect(outcomes.some((outcome) => outcome.endsWith('none'))).toBe(true)
    // The vault itself is intact and opens.
    const services = servicesOver(big.home, 'dev.bridgekeep.vault')
    await services.vault.unlock({ method: 'keychain' })
    expect(services.connections.list()).toHaveLength(count)
    services.vault.close()
  })
})

/**
 * Starts `bridgekeep backup create -o target` and kills it (SIGKILL) `delayMs` after it claimed
 * the file (its hidden temporary file appeared beside the target).
 */
function killedBackup(home: string, target: string, delayMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(ROOT, 'src/cli/index.ts'), 'backup', 'create', '-o', target],
      {
        cwd: ROOT,
        env: { ...process.env, BRIDGEKEEP_HOME: home, BRIDGEKEEP_AGENT: 'off' },
        stdio: 'ignore',
      },
    )
    const folder = resolve(target, '..')
    const prefix = `.${target.split('/').pop()}.`
    const poll = setInterval(() => {
      if (!readdirSync(folder).some((name) => name.startsWith(prefix))) return
      clearInterval(poll)
      setTimeout(() => child.kill('SIGKILL'), delayMs)
    }, 2)
    child.on('error', fail)
    child.on('exit', () => {
      clearInterval(poll)
      done()
    })
  })
}
