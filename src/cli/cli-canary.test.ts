import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { providers } from '../shared/providers'
import { canaryValues } from '../../test/catalog-values'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'

import { environmentIds } from '../../test/services'
import type { CliIO } from './framework/io'
import { runCli } from './index'
import { closedPort } from '../../test/fixtures/loopback'

/** The CLI in this process with collected output (the same code path as the command). */
async function inProcess(argv: string[], env: Record<string, string>) {
  let stdout = ''
  let stderr = ''
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]) as unknown as CliIO['stdin'],
    env,
    cwd: process.cwd(),
  }
  const code = await runCli(argv, io)
  return { code, stdout, stderr }
}

describe.skipIf(!privateKeyring)(
  'no secret ever leaves through the CLI’s output, logs or audit',
  SLOW,
  () => {
    it('plants canaries in every provider and auth mode, and finds none in any output', async () => {
      const vault = await cliVault()
      const canaries: string[] = []
      const ids = environmentIds(vault.services)
      for (const provider of providers) {
        for (const authMode of provider.authModes) {
          const planted = canaryValues(provider, authMode)
          canaries.push(...planted.canaries)
          // Cross-account AWS assumes its role through STS: a closed local port, never AWS itself.
          if (provider.id === 'aws' && authMode === 'cross-account')
            planted.values.sts_endpoint = `http://127.0.0.1:${await closedPort()}`
          const created = vault.services.connections.create({
            name: `${provider.id}-${authMode}`,
            provider: provider.id,
            authMode,
            values: planted.values,
          })
          vault.services.authorizations.applyChanges({
            grants: [{ connectionId: created.id, environmentId: ids.development! }],
          })
        }
      }
      expect(canaries.length).toBeGreaterThan(15)
      const outputs: string[] = []
      const env = { BRIDGEKEEP_HOME: vault.home, BRIDGEKEEP_LOG: 'debug' }

      // Real processes for the listing, the audit trail and one show of each kind of output.
      for (const args of [
        ['ls'],
        ['ls', '--json'],
        ['show', 'aws-inline'],
        ['show', 'kubernetes-inline', '--json'],
      ]) {
        const result = await vault.cli(args, { env: { BRIDGEKEEP_LOG: 'debug' } })
        expect(result.code, args.join(' ')).toBe(0)
        outputs.push(result.stdout, result.stderr)
      }
      // Every connection shown and used, in-process (one process each would take minutes).
      const slugs = vault.services.connections.list().map((c) => c.slug)
      for (const slug of slugs) {
        for (const argv of [
          ['show', slug],
          ['show', slug, '--json'],
          ['exec', slug, '--env', 'development', '--', 'true'],
        ]) {
          const result = await inProcess(argv, env)
          outputs.push(result.stdout, result.stderr)
        }
        // credential-process prints AWS keys by design: only its refusals are checked here.
        if (!slug.startsWith('aws-')) {
          const refused = await inProcess(
            ['aws', 'credential-process', slug, '--env', 'development'],
            env,
          )
          expect(refused.code).toBe(1)
          outputs.push(refused.stdout, refused.stderr)
        }
      }
      // The uses were real: every inline connection ran `true` (borrowers name connections that do not exist).
      const execs = vault.services.audit.query({
        filter: { actions: ['exec'] },
        limit: 1000,
      }).entries
      expect(execs.filter((e) => e.outcome === 'success').length).toBeGreaterThan(12)
      // ...and the cross-account one really asked STS, which was not there.
      expect(
        execs.some((e) => e.outcome === 'failure' && e.detail.includes('CREDENTIALS_NOT_ISSUED')),
      ).toBe(true)

      for (const format of ['jsonl', 'csv']) {
        const exported = await vault.cli(['audit', 'export', '--format', format], {
          env: { BRIDGEKEEP_LOG: 'debug' },
        })
        expect(exported.code).toBe(0)
        outputs.push(exported.stdout, exported.stderr)
      }
      const verified = await vault.cli(['audit', 'verify'])
      expect(verified.code).toBe(0)

      // Nothing the CLI left in the data folder but the vault itself holds one either.
      const files = readdirSync(vault.home)
        .filter((name) => !name.startsWith('vault.db'))
        .map((name) => readFileSync(join(vault.home, name), 'utf8'))
      const all = [...outputs, ...files].join('\n')
      expect(all).toContain('••••••••') // masked values were printed
      for (const canary of canaries) expect(all.includes(canary), canary).toBe(false)
    }, 240_000)
  },
)
