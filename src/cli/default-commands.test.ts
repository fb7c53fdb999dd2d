import { beforeAll, describe, expect, it } from 'vitest'
import { auditMark, auditSince } from '../../test/audit-parity'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { connectionInput, environmentIds, unlockedServices } from '../../test/services'
import type { Services } from '../main/services'

/** Two AWS connections and a GitHub one, all authorized for staging. */
function setUp(services: Services) {
  const env = environmentIds(services)
  const ids = [
    ['aws', 'Main AWS'],
    ['aws', 'Spare AWS'],
    ['github', 'CI GitHub'],
  ].map(([provider, name]) => services.connections.create(connectionInput(provider!, name!)).id)
  services.authorizations.applyChanges({
    grants: ids.map((connectionId) => ({ connectionId, environmentId: env.staging! })),
  })
  return { ids, env }
}

describe.skipIf(!privateKeyring)('bridgekeep default set and default ls', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>

  beforeAll(async () => {
    vault = await cliVault()
    setUp(vault.services)
  })

  it("sets a connection as its provider's default in an environment, as the app does", async () => {
    const mark = auditMark(vault.services)
    const set = await vault.cli(['default', 'set', 'spare-aws', '--env', 'staging'])
    expect(set).toMatchObject({
      code: 0,
      stderr: '',
      stdout: 'Spare AWS is now the default aws connection in staging.\n',
    })
    const replaced = await vault.cli(['default', 'set', 'Main AWS', '--env', 'staging', '--json'])
    expect(JSON.parse(replaced.stdout)).toMatchObject({
      environment: { name: 'staging' },
      provider: 'aws',
      connection: { slug: 'main-aws' },
      changed: true,
    })

    const app = await unlockedServices()
    const { ids, env } = setUp(app.services)
    const appMark = auditMark(app.services)
    for (const connectionId of [ids[1], ids[0]])
      expect(
        await app.call('environments:setDefault', {
          environmentId: env.staging,
          provider: 'aws',
          connectionId,
        }),
      ).toMatchObject({ ok: true })
    const entries = auditSince(vault.services, mark)
    expect(entries).toEqual(auditSince(app.services, appMark))
    expect(entries.map((e) => e.detail)).toEqual([
      'Default aws connection',
      'Default aws connection (was Spare AWS)',
    ])

    const same = await vault.cli(['default', 'set', 'main-aws', '--env', 'staging'])
    expect(same.stdout).toBe(
      'Main AWS was already the default aws connection in staging; nothing changed.\n',
    )
    expect(auditSince(vault.services, mark)).toHaveLength(2)
  })

  it('lists the defaults per environment and provider, as a table and as JSON', async () => {
    await vault.cli(['default', 'set', 'ci-github', '--env', 'staging'])
    const table = await vault.cli(['default', 'ls'])
    expect(table).toMatchObject({ code: 0, stderr: '' })
    expect(table.stdout).toMatch(
      /^ENVIRONMENT\s+PROVIDER\s+CONNECTION\s+SLUG\nstaging\s+aws\s+Main AWS\s+main-aws\nstaging\s+github\s+CI GitHub\s+ci-github\n$/,
    )
    const json = JSON.parse(
      (await vault.cli(['default', 'ls', '--env', 'staging', '--json'])).stdout,
    )
    expect(json).toEqual([
      expect.objectContaining({
        provider: 'aws',
        connection: expect.objectContaining({ name: 'Main AWS' }),
      }),
      expect.objectContaining({ provider: 'github' }),
    ])
    const none = await vault.cli(['default', 'ls', '--env', 'production'])
    expect(none).toMatchObject({ code: 0, stdout: '' })
    expect(none.stderr).toContain('No defaults set in production.')
  })

  it('refuses a connection not authorized there, a missing or ambiguous reference, changing nothing', async () => {
    const before = vault.services.environments.defaults()
    const notAuthorized = await vault.cli(['default', 'set', 'spare-aws', '--env', 'production'])
    expect(notAuthorized).toMatchObject({ code: 1, stdout: '' })
    expect(notAuthorized.stderr).toBe(
      'bridgekeep: Connection Spare AWS is not authorized for environment production\nAuthorize it for production first.\n',
    )
    const missingConnection = await vault.cli(['default', 'set', 'nope', '--env', 'staging'])
    expect(missingConnection.stderr).toContain('Connection nope does not exist.')
    const missingEnv = await vault.cli(['default', 'set', 'main-aws', '--env', 'nope'])
    expect(missingEnv.stderr).toContain('Environment nope does not exist.')

    vault.services.connections.create(connectionInput('aws', 'Dup Key'))
    vault.services.connections.create(connectionInput('aws', 'Dup Key'))
    const ambiguous = await vault.cli(['default', 'set', 'dup key', '--env', 'staging'])
    expect(ambiguous.code).toBe(1)
    expect(ambiguous.stderr).toContain('Several connections are named dup key')

    const noEnv = await vault.cli(['default', 'set', 'main-aws'])
    expect(noEnv.code).toBe(2)
    expect(noEnv.stderr).toContain('missing option: --env <env>')
    expect(vault.services.environments.defaults()).toEqual(before)
  })

  it('explains each command in --help with an example', async () => {
    for (const command of ['set', 'ls']) {
      const help = await vault.cli(['default', command, '--help'])
      expect(help).toMatchObject({ code: 0, stderr: '' })
      expect(help.stdout).toMatch(
        new RegExp(`\\nExamples:\\n  bridgekeep default ${command}[ \\n]`),
      )
    }
  })
})
