import { randomBytes, randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TeamMember, TeamRole } from './change-chain'
import { keyHolders, openSecrets, sealSecrets, unwrapForMe, wrapToMembers } from './key-wrap'
import { testIdentities, type TestIdentity } from './team-test-support'

let ada: TestIdentity
let bob: TestIdentity
let carol: TestIdentity

beforeAll(async () => {
  ;[ada, bob, carol] = await testIdentities('Ada', 'Bob', 'Carol')
})

const member = (identity: TestIdentity, role: TeamRole): TeamMember => ({
  signingKey: identity.signingKey,
  ageRecipient: identity.ageRecipient,
  name: identity.name,
  role,
  sinceSeq: 1,
})

const binding = (version = 1) => ({ teamId: TEAM, connectionId: CONNECTION, version })
const TEAM = randomUUID()
const CONNECTION = randomUUID()

describe('sealing a team connection and wrapping its key', () => {
  it('seals secrets with a per-connection key bound to team, connection and version', () => {
    const canary = `canary-${randomBytes(12).toString('hex')}`
    const { key, sealed } = sealSecrets({ password: canary }, binding())
    expect(sealed.includes(Buffer.from(canary))).toBe(false)
    expect(openSecrets(key, sealed, binding())).toEqual({ password: canary })
    // Moved to another version, connection or team: refused, naming it.
    for (const other of [
      binding(2),
      { ...binding(), connectionId: randomUUID() },
      { ...binding(), teamId: randomUUID() },
    ])
      expect(() => openSecrets(key, sealed, other)).toThrow(/was changed in the database/)
    expect(() => openSecrets(randomBytes(32), sealed, binding())).toThrow(/do not open/)
  })

  it('wraps the key to full members only, each opening it with their own identity', async () => {
    const members = [member(ada, 'admin'), member(bob, 'member'), member(carol, 'use-only')]
    expect(keyHolders(members).map((m) => m.name)).toEqual(['Ada', 'Bob'])
    const { key } = sealSecrets({ password: 'x' }, binding())
    const wrapped = await wrapToMembers(key, binding(), members)
    expect([...wrapped.keys()]).toEqual([ada.signingKey, bob.signingKey])
    for (const identity of [ada, bob])
      expect(
        await unwrapForMe(wrapped.get(identity.signingKey)!, identity.ageIdentity, binding()),
      ).toEqual(key)
    // The use-only member gets nothing, and cannot open what the others got.
    await expect(
      unwrapForMe(wrapped.get(ada.signingKey)!, carol.ageIdentity, binding()),
    ).rejects.toMatchObject({ code: 'TEAM_KEY_NOT_FOR_YOU' })
  })

  it('a removed member cannot unwrap the key of the re-wrapped new version', async () => {
    const before = [member(ada, 'admin'), member(bob, 'member')]
    const first = sealSecrets({ password: 'old' }, binding(1))
    const old = await wrapToMembers(first.key, binding(1), before)
    expect(await unwrapForMe(old.get(bob.signingKey)!, bob.ageIdentity, binding(1))).toEqual(
      first.key,
    )
    // Bob is removed: a new key, a new version, wrapped to those who remain.
    const second = sealSecrets({ password: 'new' }, binding(2))
    const rewrapped = await wrapToMembers(second.key, binding(2), [member(ada, 'admin')])
    expect(rewrapped.has(bob.signingKey)).toBe(false)
    for (const wrapped of rewrapped.values())
      await expect(unwrapForMe(wrapped, bob.ageIdentity, binding(2))).rejects.toMatchObject({
        code: 'TEAM_KEY_NOT_FOR_YOU',
      })
    // Nor does his old key open the new version's secrets.
    expect(() => openSecrets(first.key, second.sealed, binding(2))).toThrow()
    expect(
      openSecrets(
        await unwrapForMe(rewrapped.get(ada.signingKey)!, ada.ageIdentity, binding(2)),
        second.sealed,
        binding(2),
      ),
    ).toEqual({ password: 'new' })
  })

  it('refuses a wrapped key copied to another connection or version', async () => {
    const { key } = sealSecrets({ password: 'x' }, binding(1))
    const wrapped = await wrapToMembers(key, binding(1), [member(ada, 'admin')])
    const file = wrapped.get(ada.signingKey)!
    await expect(unwrapForMe(file, ada.ageIdentity, binding(2))).rejects.toMatchObject({
      code: 'TEAM_TAMPERED',
    })
    await expect(
      unwrapForMe(file, ada.ageIdentity, { ...binding(1), connectionId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'TEAM_TAMPERED' })
  })
})
