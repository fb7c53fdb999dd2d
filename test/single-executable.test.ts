import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring } from './cli'
import { processAlive, waitFor } from './runner'
import { environmentIds } from './services'
import { ROOT } from './run-node'

const runtime = createRequire(import.meta.url)('../scripts/runtime.cjs') as {
  pinnedNode(root?: string): { binary: string; version: string } | null
}
const pinned = runtime.pinnedNode(ROOT)
const { version } = createRequire(import.meta.url)('../package.json') as { version: string }
const folder = join(ROOT, 'dist-cli', `${process.platform}-${process.arch}`)
const executable = join(folder, process.platform === 'win32' ? 'bridgekeep.exe' : 'bridgekeep')

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
// A canary (40 characters, as AWS secret keys are): random, so finding it in a child's environment proves it came from the vault.
const SECRET = randomBytes(30).toString('base64')

/**
 * A PATH with nothing but the few tools the commands run (no node anywhere on it), so the
 * executable can only be running on the Node inside itself.
 */
function toolsOnlyPath(): string {
  const tools = mkdtempSync(join(tmpdir(), 'bk-sea-path-'))
  for (const tool of ['sh', 'printenv']) {
    const found = ['/usr/bin', '/bin']
      .map((dir) => join(dir, tool))
      .find((path) => existsSync(path))
    if (!found) throw new Error(`${tool} is not in /usr/bin or /bin`)
    symlinkSync(found, join(tools, tool))
  }
  return tools
}

// The executable is built with the pinned Node (the one npm installs for this platform) and the
// keychain comes from the private Secret Service (scripts/with-secret-service.sh).
const skipped = !pinned
  ? 'npm installed no Node for this platform to embed'
  : !privateKeyring
    ? 'needs the private Secret Service: run it through scripts/with-secret-service.sh'
    : process.platform === 'win32'
      ? 'the PATH without Node is built from Unix tools'
      : null

describe.skipIf(skipped !== null)(
  `the bridgekeep single executable, with no Node on PATH${skipped ? ` (skipped: ${skipped})` : ''}`,
  { timeout: 300_000 },
  () => {
    let vault: Awaited<ReturnType<typeof cliVault>>
    let path: string
    let cwd: string

    const run = (
      args: string[],
      options: { home?: string; input?: string; env?: Record<string, string> } = {},
    ) => {
      const env: Record<string, string | undefined> = {
        ...process.env,
        PATH: path,
        BRIDGEKEEP_HOME: options.home ?? vault.home,
        BRIDGEKEEP_AGENT: 'off',
        ...options.env,
      }
      for (const name of Object.keys(env)) if (name.startsWith('NODE_')) delete env[name]
      const result = spawnSync(executable, args, {
        cwd,
        env,
        encoding: 'utf8',
        timeout: 60_000,
        input: options.input ?? '',
      })
      return { code: result.status, stdout: result.stdout, stderr: result.stderr }
    }

    beforeAll(async () => {
      const build = spawnSync(pinned!.binary, ['scripts/build-cli.mjs'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 280_000,
      })
      expect(build.status, build.stderr).toBe(0)
      vault = await cliVault()
      const ids = environmentIds(vault.services)
      const aws = vault.services.connections.create({
        name: 'prod-aws',
        provider: 'aws',
        authMode: 'inline',
        values: { access_key_id: KEY_ID, secret_access_key: SECRET, default_region: 'eu-west-1' },
      })
      vault.services.authorizations.applyChanges({
        grants: [{ connectionId: aws.id, environmentId: ids.staging! }],
      })
      path = toolsOnlyPath()
      cwd = mkdtempSync(join(tmpdir(), 'bk-sea-cwd-'))
    }, 300_000)
    afterAll(async () => {
      if (!vault) return
      run(['runner', 'stop', '--all'])
      await vault.services.runner.shutdown()
    })

    it('is one executable with the two native addons beside it', () => {
      expect(readdirSync(folder).sort()).toEqual(
        ['better_sqlite3.node', 'keyring.node', 'bridgekeep'].sort(),
      )
      expect(statSync(executable).mode & 0o111).not.toBe(0)
      const node = spawnSync('sh', ['-c', 'command -v node'], { env: { PATH: path } })
      expect(node.status, 'node must not be on the test PATH').not.toBe(0)
    })

    it('reports its version and the pinned Node it carries', () => {
      expect(run(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` })
      const info = run(['info', '--json'])
      expect(info.stderr).toBe('')
      expect(JSON.parse(info.stdout)).toMatchObject({ version, node: pinned!.version })
    })

    it('lists the vault’s connections', () => {
      const listed = run(['ls'])
      expect(listed.stderr).toBe('')
      expect(listed.code).toBe(0)
      expect(listed.stdout).toContain('prod-aws')
      expect(listed.stdout).not.toContain(SECRET)
    })

    it('runs a command with the connection’s secret in its environment', () => {
      const result = run([
        'exec',
        'prod-aws',
        '--env',
        'staging',
        '--',
        'printenv',
        'AWS_SECRET_ACCESS_KEY',
      ])
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(`${SECRET}\n`)
    })

    it('answers the AWS credential_process', () => {
      const result = run(['aws', 'credential-process', 'prod-aws', '--env', 'staging'])
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({
        Version: 1,
        AccessKeyId: KEY_ID,
        SecretAccessKey: SECRET,
      })
    })

    it('refuses an environment the connection is not authorized for, without the secret', () => {
      const result = run(['aws', 'credential-process', 'prod-aws', '--env', 'production'])
      expect(result.code).not.toBe(0)
      expect(result.stderr).toContain(
        'Connection prod-aws is not authorized for environment production',
      )
      expect(result.stdout + result.stderr).not.toContain(SECRET)
    })

    it('creates a vault, fills, rotates, organises and cleans it up with no app and no Node', () => {
      // A jump host: a passphrase vault (no keychain), everything through the executable alone.
      const home = join(mkdtempSync(join(tmpdir(), 'bk-sea-jump-')), 'data')
      const passphraseFile = join(cwd, 'jump-passphrase')
      writeFileSync(passphraseFile, `${randomBytes(18).toString('base64')}\n`, { mode: 0o600 })
      const recoveryKey = join(cwd, 'jump-recovery.txt')
      const jump = (args: string[], input?: string) => {
        const result = run(args, {
          home,
          input,
          env: { BRIDGEKEEP_PASSPHRASE_FILE: passphraseFile },
        })
        expect(result.stdout + result.stderr).not.toContain(SECRET)
        expect(result.stdout + result.stderr).not.toContain(rotated)
        return result
      }
      const ok = (args: string[], input?: string) => {
        const result = jump(args, input)
        expect(result.code, `bridgekeep ${args.join(' ')}: ${result.stderr}`).toBe(0)
        return result.stdout
      }
      const rotated = randomBytes(30).toString('base64')
      const keyIdFile = join(cwd, 'jump-key-id')
      writeFileSync(keyIdFile, KEY_ID)

      const created = JSON.parse(
        ok(['init', '--passphrase', '--recovery-key-out', recoveryKey, '--json']),
      ) as { mode: string; recoveryKeyFile: string }
      expect(created).toMatchObject({ mode: 'passphrase', recoveryKeyFile: recoveryKey })
      expect(statSync(recoveryKey).mode & 0o777).toBe(0o600)
      expect(jump(['init', '--passphrase']).code).not.toBe(0)

      // Filled: a connection with its secret from stdin, authorized in staging, used there.
      ok(
        [
          'add',
          'aws',
          '--name',
          'jump-aws',
          '--field',
          `access_key_id=@${keyIdFile}`,
          '--field',
          'secret_access_key=@-',
          '--field',
          'default_region=eu-west-1',
        ],
        SECRET,
      )
      ok(['authorize', 'jump-aws', 'staging'])
      const printSecret = ['exec', 'jump-aws', '--env', 'staging', '--', 'printenv']
      expect(
        run([...printSecret, 'AWS_SECRET_ACCESS_KEY'], {
          home,
          env: { BRIDGEKEEP_PASSPHRASE_FILE: passphraseFile },
        }).stdout,
      ).toBe(`${SECRET}\n`)

      // Rotated: a new version that exec hands out from then on.
      const rotation = JSON.parse(
        ok(['rotate', 'jump-aws', '--field', 'secret_access_key=@-', '--json'], rotated),
      ) as { secretVersion: number; previousVersion: number }
      expect(rotation.secretVersion).toBe(rotation.previousVersion + 1)
      expect(
        run([...printSecret, 'AWS_SECRET_ACCESS_KEY'], {
          home,
          env: { BRIDGEKEEP_PASSPHRASE_FILE: passphraseFile },
        }).stdout,
      ).toBe(`${rotated}\n`)

      // Organised: settings and labels edited, an environment added and made the default's.
      ok(['edit', 'jump-aws', '--set', 'default_region=eu-central-1', '--label', 'payments'])
      expect(
        run([...printSecret, 'AWS_REGION'], {
          home,
          env: { BRIDGEKEEP_PASSPHRASE_FILE: passphraseFile },
        }).stdout,
      ).toBe('eu-central-1\n')
      ok(['env', 'add', 'qa', '--description', 'Shared QA'])
      ok(['authorize', 'jump-aws', 'qa'])
      ok(['default', 'set', 'jump-aws', '--env', 'qa'])
      expect(JSON.parse(ok(['default', 'ls', '--json']))).toEqual([
        expect.objectContaining({
          provider: 'aws',
          environment: expect.objectContaining({ slug: 'qa' }),
          connection: expect.objectContaining({ name: 'jump-aws' }),
        }),
      ])
      expect(ok(['ls', '--label', 'payments'])).toContain('jump-aws')

      // Cleaned up: the environment with its authorization and default, then the connection.
      expect(jump(['env', 'rm', 'qa']).code).not.toBe(0)
      ok(['env', 'rm', 'qa', '--yes'])
      expect(JSON.parse(ok(['default', 'ls', '--json']))).toEqual([])
      ok(['rm', 'jump-aws'])
      expect(ok(['trash', 'ls'])).toContain('jump-aws')
      ok(['restore', 'jump-aws'])
      ok(['rm', 'jump-aws'])
      ok(['purge', 'jump-aws', '--yes'])
      expect(JSON.parse(ok(['trash', 'ls', '--json']))).toEqual([])
      expect(JSON.parse(ok(['ls', '--json']))).toEqual([])
    })

    it('starts a detached runner (itself, as the runner program) that serves the app, and stops it', async () => {
      const credentials = join(cwd, 'runner.json')
      expect(run(['runner', 'credentials', '--label', 'sea', '-o', credentials]).code).toBe(0)
      // The open app (these services) listens on the port the command wrote into the file.
      await vault.services.runner.ensureListener()
      const started = run(['runner', 'start', '--credentials', credentials, '--detach', '--json'])
      expect(started.stderr).toBe('')
      expect(started.code).toBe(0)
      const { pid, log } = JSON.parse(started.stdout) as { pid: number; log: string }
      await waitFor(
        () => vault.services.runner.runners().find((r) => r.label === 'sea')?.connected,
        'the runner the executable started to connect',
        30_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; its log: ${readFileSync(log, 'utf8')}`)
      })
      expect(JSON.parse(run(['runner', 'status', '--json']).stdout).detached).toEqual([
        expect.objectContaining({ pid, label: 'sea' }),
      ])
      const stopped = run(['runner', 'stop'])
      expect(stopped.stdout).toContain(`Stopped sea (pid ${pid}).`)
      expect(processAlive(pid)).toBe(false)
    })
  },
)
