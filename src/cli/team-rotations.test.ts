import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyring, SLOW } from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { cliTeamWorld, type CliVault } from '../../test/team-world'

/**
 * What a member who left could read, through the real `bridgekeep`: Ada removes Bob (a full
 * member), `team rotations` lists what he could read, a push with a rotated secret takes one
 * off, `--dismiss` another; no secret in any output.
 */
describe.skipIf(!privateKeyring)('bridgekeep team rotations', SLOW, () => {
  let ada: CliVault
  const secrets: string[] = []
  const world = cliTeamWorld({
    seats: [
      { name: 'Ada', login: 'bk_owner' },
      { name: 'Bob', login: 'bob_login', role: 'member' },
    ],
    team: { name: 'platform', by: 'services' },
  })
  const { outputs, run, ok } = world

  beforeAll(async () => {
    ;({
      vaults: [ada],
    } = await world.start())
    for (const name of ['app-db', 'cache-db']) {
      const password = `pw-${canary.alnum(28)}`
      secrets.push(password)
      ada.services.connections.create({
        name,
        provider: 'postgres',
        authMode: 'inline',
        values: {
          host: 'db.internal.example',
          port: '5432',
          database: 'app',
          user: 'app',
          password,
        },
      })
      await ok(ada, ['team', 'push', name, '--env', 'staging'])
    }
  }, 120_000)
  afterAll(() => world.stop())

  it('nothing to rotate before anyone left; an unknown team is named', async () => {
    expect((await ok(ada, ['team', 'rotations'])).stdout).toBe(
      'Nothing to rotate: no member who left could read a secret still current.\n',
    )
    const unknown = await run(ada, ['team', 'rotations', 'ops'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('This vault is in no team space named ops.')
  })

  it('lists what a removed full member could read, until rotated or dismissed', async () => {
    const removed = await ok(ada, ['team', 'remove', 'Bob'])
    expect(removed.stdout).toContain(
      '  app-db\n  cache-db\nThis vault lists them until each is pushed again with new secrets: bridgekeep team rotations\n',
    )
    const listed = await ok(ada, ['team', 'rotations', 'platform'])
    expect(listed.stdout).toMatch(/^TEAM\s+CONNECTION\s+COULD BE READ BY\s+SINCE\n/)
    expect(listed.stdout).toMatch(/platform\s+app-db\s+Bob\s+/)
    expect(listed.stdout).toMatch(/platform\s+cache-db\s+Bob\s+/)
    expect(listed.stdout).toContain('They cannot be made to forget what they read')
    const json = JSON.parse((await ok(ada, ['team', 'rotations', '--json'])).stdout) as {
      team: string
      rotations: { name: string; readers: { name: string }[] }[]
    }[]
    expect(json).toEqual([
      {
        team: 'platform',
        rotations: [
          expect.objectContaining({
            name: 'app-db',
            readers: [expect.objectContaining({ name: 'Bob' })],
          }),
          expect.objectContaining({ name: 'cache-db' }),
        ],
      },
    ])

    // Pushed again as it is: still to rotate. Rotated, then pushed: off the list.
    await ok(ada, ['team', 'push', 'app-db'])
    expect((await ok(ada, ['team', 'rotations'])).stdout).toContain('app-db')
    const rotated = `pw-${canary.alnum(28)}`
    secrets.push(rotated)
    const local = ada.services.connections.findByRef('app-db')
    ada.services.connections.rotate({ id: local.id, secrets: { password: rotated } })
    expect((await ok(ada, ['team', 'push', 'app-db'])).stdout).toBe(
      'Pushed app-db to platform as version 3. Its new secrets replace what a member who left could read: off the list of secrets to rotate.\n',
    )
    const after = (await ok(ada, ['team', 'rotations'])).stdout
    expect(after).not.toContain('app-db')
    expect(after).toContain('cache-db')

    const notListed = await run(ada, ['team', 'rotations', '--dismiss', 'app-db'])
    expect(notListed.code).toBe(1)
    expect(notListed.stderr).toContain('Nothing of app-db is left to rotate in team platform.')
    expect((await ok(ada, ['team', 'rotations', '--dismiss', 'cache-db'])).stdout).toBe(
      'cache-db of platform is off the list of secrets to rotate (recorded in your audit trail).\n',
    )
    expect((await ok(ada, ['team', 'rotations'])).stdout).toContain('Nothing to rotate')
    const audit = ada.services.audit.query({ limit: 100 }).entries
    expect(audit.filter((e) => e.action === 'team.rotated-elsewhere').map((e) => e.detail)).toEqual(
      ['cache-db: rotated elsewhere (readable by Bob)'],
    )

    for (const secret of secrets)
      for (const output of outputs)
        expect(`${output.stdout}${output.stderr}`.includes(secret)).toBe(false)
  })
})
