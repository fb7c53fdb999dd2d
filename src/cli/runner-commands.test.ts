import type { ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW, type CliResult } from '../../test/cli'
import { processAlive, waitFor } from '../../test/runner'

type CliVault = Awaited<ReturnType<typeof cliVault>>

describe.skipIf(!privateKeyring)(
  'bridgekeep runner (a real app listener, runner processes)',
  SLOW,
  () => {
    let vault: CliVault
    const outputs: CliResult[] = []
    const secrets: string[] = []
    const run = async (args: string[]) => {
      const result = await vault.cli(args, { env: { BRIDGEKEEP_LOG: 'debug' } })
      outputs.push(result)
      return result
    }
    const credentialsIn = (path: string) => {
      const file = JSON.parse(readFileSync(path, 'utf8'))
      // One full line of the key's base64 body: outputs would carry the key as lines.
      const keyLine = file.privateKey.split('\n')[1]
      expect(keyLine).toMatch(/^[A-Za-z0-9+/=]{40,}$/)
      secrets.push(file.apiKey, keyLine)
      return file as { runner: { id: string }; control: { host: string; port: number } }
    }

    beforeAll(async () => {
      vault = await cliVault()
    })
    afterAll(async () => {
      await vault.cli(['runner', 'stop', '--all'])
      await vault.services.runner.shutdown()
    })

    it('issues credentials for the port the app will listen on, without listening itself', async () => {
      const path = join(vault.home, 'build.json')
      const issued = await run(['runner', 'credentials', '--name', 'build-server', '-o', path])
      expect(issued.code).toBe(0)
      expect(issued.stdout).toContain('Start it with: bridgekeep runner start --credentials')
      expect(statSync(path).mode & 0o777).toBe(0o600)
      const file = credentialsIn(path)
      expect(file.control.host).toBe('127.0.0.1')
      // The app (these services) listens on exactly the port the CLI wrote into the file.
      const endpoint = await vault.services.runner.ensureListener()
      expect(endpoint.port).toBe(file.control.port)

      // Live credentials are not replaced by accident; the file named is left alone.
      const again = await run(['runner', 'credentials', '-o', path])
      expect(again.code).toBe(1)
      expect(again.stderr).toContain('already exists. No credentials were issued.')
      const second = join(vault.home, 'second.json')
      const refused = await run(['runner', 'credentials', '--name', 'build-server', '-o', second])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('A runner named build-server already exists.')
      expect(refused.stderr).toContain('bridgekeep runner credentials --regenerate build-server')
      const badName = await run(['runner', 'credentials', '--name', 'Build Server', '-o', second])
      expect(badName.code).toBe(1)
      expect(badName.stderr).toContain('1 to 40 lowercase letters, digits and dashes')
      expect(() => statSync(second)).toThrow()
    })

    it('starts a detached runner that serves the app, shows it, and stops it', async () => {
      const path = join(vault.home, 'build.json')
      const { runner } = credentialsIn(path)
      const started = await run(['runner', 'start', '--credentials', path, '--detach', '--json'])
      expect(started.code).toBe(0)
      const record = JSON.parse(started.stdout) as { pid: number; log: string }
      expect(processAlive(record.pid)).toBe(true)

      // It dialled the app over mutual TLS and performs operations for it.
      await waitFor(
        () => vault.services.runner.runners().find((r) => r.id === runner.id)?.connected,
        'the detached runner to connect',
        30_000,
      )
      const pong = await vault.services.runner.request(
        { type: 'ping', payload: 'from the app' },
        { runnerId: runner.id },
      )
      expect(pong).toMatchObject({ payload: 'from the app' })

      const twice = await run(['runner', 'start', '--credentials', path, '--detach'])
      expect(twice.code).toBe(1)
      expect(twice.stderr).toContain('is already running')

      const status = await run(['runner', 'status', '--json'])
      expect(status.code).toBe(0)
      const parsed = JSON.parse(status.stdout)
      expect(parsed.control).toMatchObject({ host: '127.0.0.1', listening: true })
      expect(parsed.runners).toEqual([
        expect.objectContaining({
          id: runner.id,
          label: 'build-server',
          kind: 'remote',
          active: true,
        }),
      ])
      expect(parsed.detached).toEqual([
        expect.objectContaining({ pid: record.pid, label: 'build-server' }),
      ])
      const human = await run(['runner', 'status'])
      expect(human.stdout).toMatch(
        /^Control listener\s+127\.0\.0\.1:\d+, listening \(the app is open\)$/m,
      )
      expect(human.stdout).toMatch(/build-server\s+remote\s+\w{8}\s+live/)

      const stopped = await run(['runner', 'stop'])
      expect(stopped.code).toBe(0)
      expect(stopped.stdout).toContain(`Stopped build-server (pid ${record.pid}).`)
      expect(processAlive(record.pid)).toBe(false)
      expect(readFileSync(record.log, 'utf8')).toContain('runner.stopped')
      const after = JSON.parse((await run(['runner', 'status', '--json'])).stdout)
      expect(after.detached).toEqual([])
      expect((await run(['runner', 'stop'])).stdout).toBe('No detached runner is running.\n')
    })

    it('runs a runner in the foreground until it is told to stop', async () => {
      const path = join(vault.home, 'build.json')
      const { runner } = credentialsIn(path)
      let child: ChildProcess | undefined
      const foreground = vault.cli(['runner', 'start', '--credentials', path], {
        started: (process) => (child = process),
        timeoutMs: 60_000,
      })
      await waitFor(
        () => vault.services.runner.runners().find((r) => r.id === runner.id)?.connected,
        'the foreground runner to connect',
        30_000,
      )
      child!.kill('SIGTERM')
      const ended = await foreground
      outputs.push(ended)
      expect(ended.code).toBe(0)
      expect(ended.stderr).toContain('runner.stopped')
      await waitFor(
        () => !vault.services.runner.runners().find((r) => r.id === runner.id)?.connected,
        'the app to see the runner go',
      )
    })

    it('regenerates: the old credentials are refused, the new ones work', async () => {
      const old = join(vault.home, 'build.json')
      const fresh = join(vault.home, 'fresh.json')
      // A runner connected to the open app with the old credentials is dropped within a heartbeat
      // of the CLI revoking them (the CLI writes the revocation; the app's listener reads it).
      const before = await run(['runner', 'start', '--credentials', old, '--detach', '--json'])
      expect(before.code).toBe(0)
      const oldPid = (JSON.parse(before.stdout) as { pid: number }).pid
      const oldId = credentialsIn(old).runner.id
      await waitFor(
        () => vault.services.runner.runners().find((r) => r.id === oldId)?.connected,
        'the old runner to connect',
        30_000,
      )
      const regenerated = await run([
        'runner',
        'credentials',
        '--regenerate',
        'build-server',
        '-o',
        fresh,
        '--json',
      ])
      expect(regenerated.code).toBe(0)
      // Same runner, same identity: only its certificate and API key changed.
      expect(JSON.parse(regenerated.stdout)).toMatchObject({
        revoked: 1,
        runnerId: oldId,
        name: 'build-server',
      })
      credentialsIn(fresh)
      await waitFor(
        () => !vault.services.runner.runners().find((r) => r.id === oldId)?.connected,
        'the app to drop the revoked runner',
        30_000,
      )
      await waitFor(() => !processAlive(oldPid), 'the revoked runner to exit', 30_000)

      const stale = await run(['runner', 'start', '--credentials', old, '--detach'])
      // The old runner reaches the app, which refuses its revoked certificate; it exits at once.
      expect(stale.code).toBe(1)
      expect(stale.stderr).toContain('The runner exited at once')
      expect(stale.stderr).toMatch(/revoked/i)

      const ok = await run(['runner', 'start', '--credentials', fresh, '--detach'])
      expect(ok.code).toBe(0)
      const { runner } = credentialsIn(fresh)
      await waitFor(
        () => vault.services.runner.runners().find((r) => r.id === runner.id)?.connected,
        'the new runner to connect',
        30_000,
      )
      const listed = await run(['runner', 'list'])
      expect(listed.code).toBe(0)
      expect(listed.stdout).toMatch(/^build-server\s+remote\s+connected\s+127\.0\.0\.1:\d+/m)
      expect((await run(['runner', 'stop', 'build-server'])).code).toBe(0)
      await waitFor(
        () => !vault.services.runner.runners().find((r) => r.id === runner.id)?.connected,
        'the app to see the runner go',
      )
      const after = JSON.parse((await run(['runner', 'list', '--json'])).stdout)
      expect(after).toContainEqual(
        expect.objectContaining({ name: 'build-server', connected: false, active: true }),
      )
    })

    it('deletes a runner by name, and refuses the local one and unknown names', async () => {
      const path = join(vault.home, 'spare.json')
      expect((await run(['runner', 'credentials', '--name', 'spare', '-o', path])).code).toBe(0)
      credentialsIn(path)
      const deleted = await run(['runner', 'delete', 'spare'])
      expect(deleted.code).toBe(0)
      expect(deleted.stdout).toMatch(/^Revoked\s+1 certificate\(s\) and API key\(s\)$/m)
      const unknown = await run(['runner', 'delete', 'spare'])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toContain('There is no runner named spare.')
      const both = await run(['runner', 'credentials', '--name', 'a', '--regenerate', 'b'])
      expect(both.code).toBe(2)
      const stale = await run(['runner', 'start', '--credentials', path, '--detach'])
      expect(stale.code).toBe(1)
    })

    it('refuses bad arguments and files clearly', async () => {
      const none = await run(['runner', 'start'])
      expect(none.code).toBe(2)
      expect(none.stderr).toContain(
        '--credentials <file> (or BRIDGEKEEP_RUNNER_CREDENTIALS) is required',
      )
      const canary = `C4NARY${Date.now()}`
      const fromVariable = await vault.cli(['runner', 'start'], {
        env: { BRIDGEKEEP_RUNNER_CREDENTIALS: `{"apiKey": "${canary}"}` },
      })
      outputs.push(fromVariable)
      expect(fromVariable.code).toBe(1)
      expect(fromVariable.stderr).toContain(
        'BRIDGEKEEP_RUNNER_CREDENTIALS is not a Bridgekeep runner credentials file',
      )
      expect(fromVariable.stderr).not.toContain(canary)
      const junk = join(vault.home, 'junk.json')
      writeFileSync(junk, '{"format": 1}')
      const bad = await run(['runner', 'start', '--credentials', junk])
      expect(bad.code).toBe(1)
      expect(bad.stderr).toContain('is not a Bridgekeep runner credentials file')
      const missing = await run(['runner', 'start', '--credentials', join(vault.home, 'nope.json')])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toContain('Cannot read the credentials file')
    })

    it('never prints the credentials’ secrets, and audits their issue', () => {
      expect(secrets.length).toBeGreaterThan(3)
      const all = outputs.map((o) => o.stdout + o.stderr).join('\n')
      const trail = vault.services.audit.export({ format: 'jsonl' }).content
      // The detached runners' own logs too (in the data folder, kept after they stop).
      const logDir = join(vault.home, 'logs')
      const runnerLogs = readdirSync(logDir)
        .filter((name) => name.startsWith('runner-'))
        .map((name) => readFileSync(join(logDir, name), 'utf8'))
        .join('\n')
      expect(runnerLogs).toContain('runner.starting')
      for (const secret of secrets) {
        expect(all).not.toContain(secret)
        expect(trail).not.toContain(secret)
        expect(runnerLogs).not.toContain(secret)
      }
      expect(trail).toContain('"runner.credentials"')
    })
  },
)
