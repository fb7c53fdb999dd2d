import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canary } from '../../../../test/fixtures/canary'
import { addressOf, teamOfThree, type TeamOfThree } from '../../../../test/team-connections'
import { unlockedServices } from '../../../../test/services'
import { memoryLogger } from '../../log'
import { MemoryKeyStore } from '../../security/keystore'
import { MemoryClipboard } from '../clipboard/secret-clipboard'
import { createServices } from '..'

// The secrets a full member who left could read, on a real PostgreSQL: Ada (admin) removes Carol
// (use-only: nothing to rotate) and Bob (member: everything he could read), then rotates one
// (a push with new secrets), dismisses another, and the rest is still listed after a restart.

let t: TeamOfThree
beforeAll(async () => {
  t = await teamOfThree()
}, 120_000)
afterAll(() => t?.team.server.stop())

const NAMES = ['app-db', 'cache-db', 'other-db']
const listed = (vault: TeamOfThree['ada']) =>
  vault.services.teamRotations.list('platform')[0]!.rotations.map((r) => r.name)

describe('secrets to rotate after a full member left', { timeout: 60_000 }, () => {
  it('a use-only member leaving records nothing; a full member leaving records what they could read', async () => {
    const { ada, bob } = t
    for (const name of NAMES) {
      t.appDb(ada, name)
      await ada.services.teamConnections.push('platform', name, { environments: ['staging'] })
    }
    await bob.services.teamConnections.sync('platform')

    // Carol never held a key: there is nothing she could have read.
    const carolLeft = await ada.services.teams.remove('platform', 'Carol')
    expect(carolLeft).not.toHaveProperty('rotate')
    expect(ada.services.teamRotations.list()).toEqual([{ team: 'platform', rotations: [] }])

    const before = Date.now()
    const bobLeft = await ada.services.teams.remove('platform', 'Bob')
    expect(bobLeft).toMatchObject({ rotate: NAMES, notRekeyed: [] })
    const [platform] = ada.services.teamRotations.list('PLATFORM')
    expect(platform!.team).toBe('platform')
    expect(platform!.rotations.map((r) => r.name)).toEqual(NAMES)
    const appDb = platform!.rotations[0]!
    expect(appDb).toEqual({
      connectionId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      name: 'app-db',
      readers: [{ name: 'Bob', leftAt: appDb.since }],
      since: appDb.since,
      local: {
        id: ada.services.connections.findByRef('app-db').id,
        slug: 'app-db',
        provider: 'postgres',
        authMode: 'inline',
      },
    })
    expect(Date.parse(appDb.since)).toBeGreaterThanOrEqual(before - 1000)
    // Only the admin who removed him keeps the list.
    expect(listed(bob)).toEqual([])
  })

  it('a push of the same secrets leaves it listed; a push with new secrets marks it rotated', async () => {
    const { ada } = t
    const same = await ada.services.teamConnections.push('platform', 'app-db')
    expect(same).toMatchObject({ unchanged: true })
    expect(same).not.toHaveProperty('rotated')
    expect(listed(ada)).toEqual(NAMES)

    const password = `pw-${canary.alnum(28)}`
    t.canaries.push(password)
    const local = ada.services.connections.findByRef('app-db')
    ada.services.connections.rotate({ id: local.id, secrets: { password } })
    // No sync between the removal and this push: the removal's new versions are in the copy.
    const pushed = await ada.services.teamConnections.push('platform', 'app-db')
    expect(pushed).toMatchObject({ unchanged: false, rotated: true, version: 3 })
    expect(listed(ada)).toEqual(['cache-db', 'other-db'])
    // The team's new version holds the new secret.
    const opened = await ada.services.teamConnections.open('platform', 'app-db', 'staging')
    expect(opened.secrets.password).toBe(password)
  })

  it('"I rotated it elsewhere" takes one off the list, audited, and refuses what is not on it', async () => {
    const { ada } = t
    expect(() => ada.services.teamRotations.dismiss('platform', 'app-db')).toThrow(
      expect.objectContaining({
        code: 'NOT_FOUND',
        message: 'Nothing of app-db is left to rotate in team platform.',
      }),
    )
    expect(() => ada.services.teamRotations.dismiss('ops', 'cache-db')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    )
    const cache = ada.services.teamRotations
      .list('platform')[0]!
      .rotations.find((r) => r.name === 'cache-db')!
    expect(ada.services.teamRotations.dismiss('platform', cache.connectionId)).toEqual({
      team: 'platform',
      name: 'cache-db',
    })
    expect(listed(ada)).toEqual(['other-db'])
    // A name on the list twice (removed from the team, pushed again under it: another id) is
    // not guessed: the id says which.
    const twin = '00000000-0000-4000-8000-000000000001'
    const row = { team_id: t.teamId, name: 'platform' } as Parameters<
      typeof ada.services.teamRotations.record
    >[0]
    ada.services.teamRotations.record(row, { signingKey: 'k'.repeat(43), name: 'Bob' }, [
      { id: twin, name: 'other-db' },
    ])
    expect(() => ada.services.teamRotations.dismiss('platform', 'Other-DB')).toThrow(
      expect.objectContaining({ code: 'AMBIGUOUS_CONNECTION' }),
    )
    expect(ada.services.teamRotations.dismiss('platform', twin)).toMatchObject({ name: 'other-db' })
    expect(listed(ada)).toEqual(['other-db'])
    // The page's channels: the list, and a dismissal by id.
    const page = await ada.call('teams:rotations', { team: 'platform' })
    expect(page).toMatchObject({
      ok: true,
      value: { team: 'platform', rotations: [{ name: 'other-db', readers: [{ name: 'Bob' }] }] },
    })
    const entries = ada.services.audit.query({ limit: 200 }).entries
    const dismissals = entries.filter((e) => e.action === 'team.rotated-elsewhere')
    expect(dismissals.map((e) => e.detail)).toEqual([
      'other-db: rotated elsewhere (readable by Bob)',
      'cache-db: rotated elsewhere (readable by Bob)',
    ])
    expect(dismissals[1]).toMatchObject({
      outcome: 'success',
      targetType: 'team',
      targetName: 'platform',
      detail: 'cache-db: rotated elsewhere (readable by Bob)',
    })
    const trail = JSON.stringify(entries)
    for (const secret of t.canaries) expect(trail.includes(secret)).toBe(false)
  })

  it('the list survives a restart: a new services instance over the same vault file', async () => {
    const reopened = createServices({
      dataDir: t.ada.dataDir,
      appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'cli' },
      log: memoryLogger(),
      keyStore: new MemoryKeyStore(),
      clipboard: new MemoryClipboard(),
      env: {},
    })
    try {
      await reopened.vaultLifecycle.unlock({ method: 'recovery', recoveryKey: t.ada.recoveryKey })
      expect(reopened.teamRotations.list()).toEqual([
        {
          team: 'platform',
          rotations: [
            expect.objectContaining({
              name: 'other-db',
              readers: [expect.objectContaining({ name: 'Bob' })],
            }),
          ],
        },
      ])
    } finally {
      reopened.vault.close()
    }
  })

  it('making a full member use-only records what they could read, beside who else could', async () => {
    const dan = await unlockedServices()
    await dan.services.sharing.setName({ name: 'Dan' })
    await t.ada.services.teams.invite('platform', await addressOf(dan), 'member', 'Dan')
    const demoted = await t.ada.services.teams.role('platform', 'Dan', 'use-only')
    expect(demoted).toMatchObject({ rotate: NAMES, notRekeyed: [] })
    const rotations = t.ada.services.teamRotations.list('platform')[0]!.rotations
    expect(rotations.map((r) => [r.name, r.readers.map((p) => p.name)])).toEqual([
      ['app-db', ['Dan']],
      ['cache-db', ['Dan']],
      ['other-db', ['Bob', 'Dan']],
    ])
    // Since when: the first who left.
    const other = rotations[2]!
    expect(other.since).toBe(other.readers[0]!.leftAt)
  })
})
