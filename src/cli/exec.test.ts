import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, type CliRun, SLOW } from '../../test/cli'

import { exampleValues } from '../../test/catalog-values'
import { environmentIds } from '../../test/services'
import { getProvider } from '../shared/providers'
import { SECRET_VARIABLES } from '../shared/secret-variables'

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

/** A node one-liner run by exec. */
const node = (script: string) => ['--', process.execPath, '-e', script]

/** Prints the named variables as JSON. */
const printEnv = (...names: string[]) =>
  node(
    `const e = {}; for (const n of ${JSON.stringify(names)}) e[n] = process.env[n] ?? null; console.log(JSON.stringify(e))`,
  )

describe.skipIf(!privateKeyring)('bridgekeep exec (real child processes)', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  let runtime: string
  let gcpKey: string

  /** exec with a private XDG_RUNTIME_DIR whose bridgekeep/ folder the test inspects. */
  const exec = (args: string[], run: CliRun = {}) =>
    vault.cli(['exec', ...args], { ...run, env: { XDG_RUNTIME_DIR: runtime, ...run.env } })
  const leftovers = () => {
    const dir = join(runtime, 'bridgekeep')
    return existsSync(dir) ? readdirSync(dir) : []
  }

  beforeAll(async () => {
    vault = await cliVault()
    runtime = mkdtempSync(join(tmpdir(), 'bk-exec-runtime-'))
    chmodSync(runtime, 0o700)
    const ids = environmentIds(vault.services)
    const aws = vault.services.connections.create({
      name: 'prod-aws',
      provider: 'aws',
      authMode: 'inline',
      values: { access_key_id: KEY_ID, secret_access_key: SECRET, default_region: 'eu-west-1' },
    })
    gcpKey = exampleValues(getProvider('gcp')!, 'inline').service_account_key!
    const gcp = vault.services.connections.create({
      name: 'prod-gcp',
      provider: 'gcp',
      authMode: 'inline',
      values: { service_account_key: gcpKey },
    })
    vault.services.authorizations.applyChanges({
      grants: [
        { connectionId: aws.id, environmentId: ids.staging! },
        { connectionId: gcp.id, environmentId: ids.staging! },
      ],
    })
  })

  it('refuses an environment the connection is not authorized for, with resolution’s message', async () => {
    const marker = join(runtime, 'ran')
    const result = await exec([
      'prod-aws',
      '--env',
      'production',
      ...node(`require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`),
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'Connection prod-aws is not authorized for environment production',
    )
    expect(existsSync(marker)).toBe(false)
    const refused = vault.services.audit.query({
      filter: { actions: ['exec'], outcome: 'failure' },
    })
    expect(refused.entries[0]).toMatchObject({
      targetName: 'prod-aws',
      environmentName: 'production',
      detail: 'Refused to run node; NOT_AUTHORIZED',
    })
    const missing = await exec(['nope', '--env', 'staging', ...node('1')])
    expect(missing.stderr).toContain('Connection nope does not exist.')
  })

  it('hands the command none of Bridgekeep’s own secret variables (each one planted)', async () => {
    const planted = Object.fromEntries(
      Object.values(SECRET_VARIABLES).map((name) => [
        name,
        `canary-${randomBytes(12).toString('hex')}`,
      ]),
    )
    const result = await exec(
      ['prod-aws', '--env', 'staging', ...node('console.log(JSON.stringify(process.env))')],
      { env: planted },
    )
    expect(result.code, result.stderr).toBe(0)
    const childEnv = JSON.parse(result.stdout) as Record<string, string>
    expect(childEnv.AWS_ACCESS_KEY_ID).toBe(KEY_ID)
    for (const [name, canary] of Object.entries(planted)) {
      expect(childEnv[name], name).toBeUndefined()
      expect(result.stdout + result.stderr).not.toContain(canary)
    }
  })

  it('runs the command with the AWS variables, without the vault’s own or stale ones', async () => {
    const result = await exec(
      [
        'prod-aws',
        '--env',
        'staging',
        ...printEnv(
          'AWS_ACCESS_KEY_ID',
          'AWS_SECRET_ACCESS_KEY',
          'AWS_SESSION_TOKEN',
          'AWS_REGION',
          'AWS_DEFAULT_REGION',
          'AWS_PROFILE',
          'BRIDGEKEEP_PASSPHRASE',
          'BRIDGEKEEP_CONNECTION',
          'BRIDGEKEEP_ENVIRONMENT',
          'UNRELATED',
        ),
      ],
      {
        env: {
          AWS_PROFILE: 'someone-else',
          AWS_SESSION_TOKEN: 'stale',
          BRIDGEKEEP_PASSPHRASE: 'vault passphrase',
          UNRELATED: 'kept',
        },
      },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: null,
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_PROFILE: null,
      BRIDGEKEEP_PASSPHRASE: null,
      BRIDGEKEEP_CONNECTION: 'prod-aws',
      BRIDGEKEEP_ENVIRONMENT: 'staging',
      UNRELATED: 'kept',
    })
    // Usage and audit: the operation and the command's name, never its arguments.
    const usage = vault.services.usage.usageFor(findId('prod-aws'))
    expect(usage.byOperation.find((op) => op.operation === 'exec')?.count).toBeGreaterThanOrEqual(1)
    const [entry] = vault.services.audit.query({
      filter: { actions: ['exec'], outcome: 'success' },
    }).entries
    expect(entry).toMatchObject({
      targetName: 'prod-aws',
      environmentName: 'staging',
      detail: 'Ran node (inline)',
    })
  })

  it('accepts connection://<env>/<name> and a provider id for the environment’s only connection', async () => {
    const uri = await exec(['connection://staging/prod-aws', ...printEnv('AWS_ACCESS_KEY_ID')])
    expect(JSON.parse(uri.stdout)).toEqual({ AWS_ACCESS_KEY_ID: KEY_ID })
    const byProvider = await exec(['aws', '-e', 'staging', ...printEnv('BRIDGEKEEP_CONNECTION')])
    expect(JSON.parse(byProvider.stdout)).toEqual({ BRIDGEKEEP_CONNECTION: 'prod-aws' })
    const contradiction = await exec([
      'connection://staging/prod-aws',
      '--env',
      'production',
      ...node('1'),
    ])
    expect(contradiction.code).toBe(2)
    const noCommand = await exec(['prod-aws', '--env', 'staging'])
    expect(noCommand.code).toBe(2)
    expect(noCommand.stderr).toContain('give the command to run after "--"')
  })

  it('writes the GCP key to a 0600 file for the command, and removes it afterwards', async () => {
    const result = await exec([
      'prod-gcp',
      '--env',
      'staging',
      ...node(
        `const fs = require('fs'); const p = process.env.GOOGLE_APPLICATION_CREDENTIALS; console.log(JSON.stringify({ p, o: process.env.CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE, project: process.env.CLOUDSDK_CORE_PROJECT, mode: (fs.statSync(p).mode & 0o777).toString(8), dir: (fs.statSync(require('path').dirname(p)).mode & 0o777).toString(8), key: fs.readFileSync(p, 'utf8') }))`,
      ),
    ])
    expect(result.code).toBe(0)
    const seen = JSON.parse(result.stdout)
    expect(seen.p).toBe(seen.o)
    expect(seen.p.startsWith(join(runtime, 'bridgekeep'))).toBe(true)
    expect(seen).toMatchObject({ project: 'acme-platform-prod', mode: '600', dir: '700' })
    expect(JSON.parse(seen.key)).toEqual(JSON.parse(gcpKey))
    expect(existsSync(seen.p)).toBe(false)
    expect(leftovers()).toEqual([])
  })

  it('exits with the command’s exit code, 127 when it is not found', async () => {
    expect((await exec(['prod-aws', '--env', 'staging', ...node('process.exit(7)')])).code).toBe(7)
    const missing = await exec(['prod-aws', '--env', 'staging', '--', 'no-such-command-bk'])
    expect(missing.code).toBe(127)
    expect(missing.stderr).toContain('no-such-command-bk: command not found.')
  })

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'forwards %s to the command and removes the temp files',
    async (signal) => {
      const script = `process.on('${signal}', () => { console.log('got ${signal}'); process.exit(42) }); console.log('ready ' + process.env.GOOGLE_APPLICATION_CREDENTIALS); setInterval(() => {}, 1000)`
      const result = await exec(['prod-gcp', '--env', 'staging', ...node(script)], {
        started: whenReady((child) => child.kill(signal)),
      })
      expect(result.stdout).toContain(`got ${signal}`)
      expect(result.code).toBe(42)
      const keyFile = /ready (\S+)/.exec(result.stdout)![1]!
      expect(existsSync(keyFile)).toBe(false)
      expect(leftovers()).toEqual([])
    },
  )

  it('exits 128 + the signal when a signal kills the command, also when killed outright', async () => {
    const waiting = `console.log('ready ' + process.pid); setInterval(() => {}, 1000)`
    const terminated = await exec(['prod-gcp', '--env', 'staging', ...node(waiting)], {
      started: whenReady((child) => child.kill('SIGTERM')),
    })
    expect(terminated.code).toBe(143)
    // SIGKILL to the command itself (not to bridgekeep): its files go all the same.
    const killed = await exec(['prod-gcp', '--env', 'staging', ...node(waiting)], {
      started: whenReady((_child, line) => process.kill(Number(line.split(' ')[1]), 'SIGKILL')),
    })
    expect(killed.code).toBe(137)
    expect(leftovers()).toEqual([])
  })

  it('sweeps the files of an exec that was itself killed with SIGKILL on the next run', async () => {
    const waiting = `console.log('ready ' + process.pid + ' ' + process.env.GOOGLE_APPLICATION_CREDENTIALS); setInterval(() => {}, 1000)`
    let keyFile = ''
    const killed = await exec(['prod-gcp', '--env', 'staging', ...node(waiting)], {
      started: whenReady((child, line) => {
        const [, commandPid, file] = line.split(' ')
        keyFile = file!
        child.kill('SIGKILL')
        // The orphaned command keeps our pipes open; end it too.
        setTimeout(() => process.kill(Number(commandPid), 'SIGKILL'), 300)
      }),
    })
    expect(killed.signal).toBe('SIGKILL')
    expect(existsSync(keyFile)).toBe(true) // nothing can clean up after SIGKILL...
    await exec(['prod-gcp', '--env', 'staging', ...node('1')])
    expect(existsSync(keyFile)).toBe(false) // ...so the next run does
    expect(leftovers()).toEqual([])
  })

  function findId(slug: string): string {
    return vault.services.connections.list().find((c) => c.slug === slug)!.id
  }
})

/** Calls `act` once the command printed its "ready" line. */
function whenReady(act: (child: ChildProcess, line: string) => void) {
  return (child: ChildProcess) => {
    let seen = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      if (seen.includes('\n')) return
      seen += chunk.toString()
      const line = seen.split('\n')[0]!
      if (seen.includes('\n') && line.startsWith('ready')) act(child, line)
    })
  }
}
