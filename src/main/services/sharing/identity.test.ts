import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { unlockedServices } from '../../../../test/services'
import { exchangeAddresses, twoVaults } from '../../../../test/sharing'
import { parseAddress } from './share-address'

const errorOf = async (work: () => unknown): Promise<{ code?: string; message: string }> => {
  try {
    await work()
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected a failure')
}

describe('sharing identity', () => {
  it('is created on first use, with an address that parses back and a fingerprint to read out', async () => {
    const { services, dataDir } = await unlockedServices()
    const db = services.vault.database()
    expect(db.prepare('SELECT count(*) AS n FROM sharing_identity').get()).toEqual({ n: 0 })
    const [first, second] = await Promise.all([
      services.sharing.identity(),
      services.sharing.identity(),
    ])
    expect(second).toEqual(first)
    expect(first.address).toMatch(/^bkshare1:age1[0-9a-z]{58}:[A-Za-z0-9_-]{43}:[0-9a-f]{8}$/)
    expect(first.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/)
    const parsed = parseAddress(first.address)
    expect(parsed.fingerprint).toBe(first.fingerprint)
    expect(parsed.ageRecipient).toBe(first.ageRecipient)
    expect(db.prepare('SELECT count(*) AS n FROM sharing_identity').get()).toEqual({ n: 1 })
    expect(
      services.audit.query({ filter: { actions: ['sharing.identity'] } }).entries,
    ).toHaveLength(1)

    // The private halves are only stored wrapped: the database file holds neither in clear.
    const ageSecret = await services.sharing.ageIdentityForTests()
    expect(ageSecret).toMatch(/^AGE-SECRET-KEY-1/)
    services.vault.close()
    const raw = new BetterSqlite3(`${dataDir}/vault.db`, { readonly: true })
    const row = raw.prepare('SELECT * FROM sharing_identity').get() as Record<string, unknown>
    raw.close()
    expect(JSON.stringify(row)).not.toContain('AGE-SECRET-KEY')
    expect(Buffer.from(row.age_identity as Buffer).toString('latin1')).not.toContain(
      ageSecret.slice(16, 40),
    )
  })

  it('survives lock and unlock, and a re-encryption under a new data key', async () => {
    const { services, recoveryKey, call } = await unlockedServices()
    const before = await services.sharing.identity()
    const secret = await services.sharing.ageIdentityForTests()
    services.vault.lock()
    await expect(services.sharing.identity()).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
    await services.vault.unlock({ method: 'recovery', recoveryKey })
    expect(await services.sharing.identity()).toEqual(before)
    const result = (await call('vault:reencrypt', {})) as { ok: boolean }
    expect(result.ok).toBe(true)
    expect(await services.sharing.identity()).toEqual(before)
    expect(await services.sharing.ageIdentityForTests()).toBe(secret)
  })

  it('takes a new name for the shares it sends', async () => {
    const { services } = await unlockedServices()
    // Until the user picks one, the name is the OS user's, and the identity says so.
    expect((await services.sharing.identity()).nameChosen).toBe(false)
    const renamed = await services.sharing.setName({ name: 'Alice (platform)' })
    expect(renamed.name).toBe('Alice (platform)')
    expect(renamed.nameChosen).toBe(true)
    await expect(services.sharing.setName({ name: ' ' })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
  })
})

describe('contacts', () => {
  it('adds a teammate by share address, with the fingerprint both sides see', async () => {
    const { a, b } = await twoVaults()
    const bIdentity = await b.services.sharing.identity()
    const check = await a.services.sharing.checkAddress({ address: `  ${bIdentity.address}\n` })
    expect(check).toEqual({ fingerprint: bIdentity.fingerprint, existingContact: null, own: false })
    const contact = await a.services.sharing.addContact({ name: 'Bob', address: bIdentity.address })
    expect(contact).toMatchObject({
      name: 'Bob',
      address: bIdentity.address,
      fingerprint: bIdentity.fingerprint,
      verifiedAt: null,
    })
    expect(a.services.sharing.contacts()).toEqual([contact])

    const verified = a.services.sharing.verifyContact({ id: contact.id, verified: true })
    expect(verified.verifiedAt).not.toBeNull()
    expect(a.services.sharing.verifyContact({ id: contact.id, verified: false }).verifiedAt).toBe(
      null,
    )
    a.services.sharing.deleteContact(contact.id)
    expect(a.services.sharing.contacts()).toEqual([])
    const actions = a.services.audit
      .query({
        filter: { actions: ['contact.add', 'contact.verify', 'contact.update', 'contact.delete'] },
      })
      .entries.map((e) => e.action)
    expect(actions).toEqual(['contact.delete', 'contact.verify', 'contact.verify', 'contact.add'])
  })

  it('refuses invalid, own and duplicate addresses with messages that say what is wrong', async () => {
    const { a, b } = await twoVaults()
    const own = (await a.services.sharing.identity()).address
    const bob = (await b.services.sharing.identity()).address
    const [, recipient, key, sum] = bob.split(':')
    const flipped = key!.startsWith('A') ? `B${key!.slice(1)}` : `A${key!.slice(1)}`
    const cases: [string, RegExp][] = [
      [recipient!, /age recipient on its own/],
      ['hello', /starts with "bkshare1:"/],
      [`bkshare1:${recipient}:${key}`, /four parts .* this one has 3/],
      [`bkshare1:${recipient}:${flipped}:${sum}`, /checksum does not match/],
      [`bkshare1:${recipient!.slice(0, -1)}b:${key}:${sum}`, /age recipient .* is not valid/],
      [
        `bkshare1:${recipient}:${key!.slice(1)}:${sum}`,
        /signing key .* is not a valid Ed25519 key/,
      ],
    ]
    for (const [address, message] of cases) {
      const error = await errorOf(() => a.services.sharing.addContact({ name: 'X', address }))
      expect(error, address).toMatchObject({ code: 'VALIDATION' })
      expect(error.message, address).toMatch(message)
    }
    expect(
      await errorOf(() => a.services.sharing.addContact({ name: 'Me', address: own })),
    ).toMatchObject({ code: 'VALIDATION', message: 'That is this vault’s own share address.' })
    await a.services.sharing.addContact({ name: 'Bob', address: bob })
    expect(
      await errorOf(() => a.services.sharing.addContact({ name: 'Bobby', address: bob })),
    ).toMatchObject({ code: 'CONFLICT', message: 'That address is already your contact "Bob".' })
    const third = await unlockedServices()
    const carol = (await third.services.sharing.identity()).address
    expect(
      await errorOf(() => a.services.sharing.addContact({ name: 'BOB', address: carol })),
    ).toMatchObject({ code: 'CONFLICT', message: 'You already have a contact named "Bob".' })
    expect(a.services.sharing.contacts()).toHaveLength(1)
  })

  it('are exchanged both ways by the test helper', async () => {
    const { a, b } = await twoVaults()
    await exchangeAddresses(a, b)
    expect(a.services.sharing.contacts().map((c) => c.name)).toEqual(['Bob'])
    expect(b.services.sharing.contacts().map((c) => c.name)).toEqual(['Alice'])
  })
})
