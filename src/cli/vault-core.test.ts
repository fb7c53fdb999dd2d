import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { exampleValues } from '../../test/catalog-values'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { ROOT } from '../../test/run-node'
import { environmentIds } from '../../test/services'
import { getProvider } from '../shared/providers'

/** Source folders only the full services load: none of them belongs in a lean call. */
const NOT_LEAN = [
  'src/main/runner-host/runner-service.ts',
  'src/main/runner-host/supervisor.ts',
  'src/main/services/health/',
  'src/main/services/sharing/',
  'src/main/services/imports/',
  'src/main/services/settings/',
  'src/shared/ipc/contract.ts',
]

describe.skipIf(!privateKeyring)('the CLI opens only the vault core where it can', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>

  beforeAll(async () => {
    vault = await cliVault()
    const aws = vault.services.connections.create({
      name: 'prod-aws',
      provider: 'aws',
      authMode: 'inline',
      values: exampleValues(getProvider('aws')!, 'inline'),
    })
    vault.services.authorizations.applyChanges({
      grants: [{ connectionId: aws.id, environmentId: environmentIds(vault.services).staging! }],
    })
  })

  /** Runs the command without an agent and returns the source files its process loaded. */
  async function loadedBy(args: string[]): Promise<string[]> {
    const list = join(mkdtempSync(join(tmpdir(), 'bk-loaded-')), 'modules.txt')
    const hook = resolve(ROOT, 'test/fixtures/loaded-modules.cjs')
    const result = await vault.cli(args, {
      env: {
        BRIDGEKEEP_AGENT: 'off',
        BRIDGEKEEP_TEST_LOADED_MODULES: list,
        NODE_OPTIONS: `--require ${hook}`,
      },
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    return readFileSync(list, 'utf8')
      .split('\n')
      .map((file) => file.slice(ROOT.length + 1))
  }

  it.each([
    ['exec', ['exec', 'prod-aws', '--env', 'staging', '--', process.execPath, '-e', '0']],
    ['credential-process', ['aws', 'credential-process', 'prod-aws', '--env', 'staging']],
  ])('%s loads no runner host, health, sharing, imports or IPC contract', async (_, args) => {
    const loaded = await loadedBy(args)
    // The list is real: the vault and resolution were loaded and used.
    expect(loaded).toContain('src/main/services/vault-core.ts')
    expect(loaded).toContain('src/main/services/resolution/resolution-service.ts')
    expect(loaded.filter((file) => NOT_LEAN.some((heavy) => file.startsWith(heavy)))).toEqual([])
  })

  it('a command that needs every service still gets them (share identity)', async () => {
    const loaded = await loadedBy(['share', 'identity', '--json'])
    expect(loaded).toContain('src/main/services/sharing/sharing-service.ts')
    expect(loaded).toContain('src/main/runner-host/runner-service.ts')
  })
})
