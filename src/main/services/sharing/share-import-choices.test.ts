import { armor } from 'age-encryption'
import { describe, expect, it } from 'vitest'
import { unlockedServices } from '../../../../test/services'
import { canaryConnection, exchangeAddresses, rowCounts, twoVaults } from '../../../../test/sharing'
import { decryptAsB, encryptToB, errorOf, sharedToBob } from './share-test-support'

describe('importing a share: conflicts, trust, passphrase', () => {
  it('resolves conflicts by slug: rename, replace (old secret kept as a version), skip', async () => {
    const { a, b } = await twoVaults()
    const { bInA } = await exchangeAddresses(a, b)
    const one = canaryConnection(a.services, 'aws', 'alpha')
    const two = canaryConnection(a.services, 'github', 'beta')
    const three = canaryConnection(a.services, 'aws', 'gamma')
    const mineAlpha = canaryConnection(b.services, 'aws', 'alpha')
    const mineBeta = canaryConnection(b.services, 'aws', 'beta')
    const mineGamma = canaryConnection(b.services, 'aws', 'gamma')
    const share = await a.services.sharing.export({
      connectionIds: [one.id, two.id, three.id],
      to: { kind: 'contacts', contactIds: [bInA] },
      environments: ['development', 'staging'],
    })
    expect(share.filename).toMatch(/^bridgekeep-3-connections-\d{8}\.bkshare$/)
    const preview = await b.services.sharing.importPreview({ data: share.bytes })
    expect(preview.connections.map((c) => [c.slug, c.conflict?.canReplace])).toEqual([
      ['alpha', true],
      ['beta', false],
      ['gamma', true],
    ])
    expect(preview.connections[1]!.conflict?.whyNotReplace).toBe(
      '"beta" is a Amazon Web Services connection, not GitHub.'.replace('a Amazon', 'a Amazon'),
    )

    // A conflict without a choice is refused, and nothing changes.
    const before = rowCounts(b.services)
    expect(
      await errorOf(() =>
        b.services.sharing.importApply({
          source: { data: share.bytes },
          shareId: share.shareId,
          confirmProtected: true,
          choices: [{ slug: 'alpha', action: 'replace' }],
        }),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^"beta": this vault already has/) as string,
    })
    // Replacing across providers is refused, atomically too (alpha was replaced first).
    expect(
      await errorOf(() =>
        b.services.sharing.importApply({
          source: { data: share.bytes },
          shareId: share.shareId,
          confirmProtected: true,
          choices: [
            { slug: 'alpha', action: 'replace' },
            { slug: 'beta', action: 'replace' },
            { slug: 'gamma', action: 'skip' },
          ],
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT' })
    expect(rowCounts(b.services)).toEqual(before)
    expect(b.services.connections.get(mineAlpha.id).secretVersion).toBe(1)

    const result = await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
      confirmProtected: true,
      choices: [
        { slug: 'alpha', action: 'replace' },
        { slug: 'beta', action: 'rename', name: 'beta from Alice' },
        { slug: 'gamma', action: 'skip' },
      ],
    })
    expect(result.replaced).toEqual([{ id: mineAlpha.id, name: 'alpha', slug: 'alpha' }])
    expect(result.created).toEqual([
      { id: expect.any(String) as string, name: 'beta from Alice', slug: 'beta-from-alice' },
    ])
    expect(result.skipped).toEqual(['gamma'])
    const replaced = b.services.connections.get(mineAlpha.id)
    expect(replaced).toMatchObject({ secretVersion: 2, useOnly: true })
    expect(replaced.versions.map((v) => v.version)).toEqual([2, 1])
    // The old secret is kept as version 1; the new one is Alice's.
    const holds = (secrets: Record<string, string>, canaries: string[]) =>
      canaries.every((canary) => Object.values(secrets).some((value) => value.includes(canary)))
    expect(
      holds(b.services.connections.storedSecrets(mineAlpha.id, 1).secrets, mineAlpha.canaries),
    ).toBe(true)
    expect(holds(b.services.connections.storedSecrets(mineAlpha.id).secrets, one.canaries)).toBe(
      true,
    )
    expect(b.services.connections.storedSecrets(mineAlpha.id).secrets).toEqual(
      a.services.connections.storedSecrets(one.id).secrets,
    )
    expect(b.services.connections.get(mineBeta.id).useOnly).toBeUndefined()
    expect(b.services.connections.get(mineGamma.id).secretVersion).toBe(1)
  })

  it('asks to trust an unknown sender (TOFU), and warns loudly when a known one changed keys', async () => {
    const { a, b } = await twoVaults()
    const bob = (await b.services.sharing.identity()).address
    const bInA = (await a.services.sharing.addContact({ name: 'Bob', address: bob })).id
    const conn = canaryConnection(a.services, 'github', 'gh')
    const share = await a.services.sharing.export({
      connectionIds: [conn.id],
      to: { kind: 'contacts', contactIds: [bInA] },
      environments: ['development'],
    })
    const alice = await a.services.sharing.identity()
    const preview = await b.services.sharing.importPreview({ data: share.bytes })
    expect(preview.sender).toEqual({
      name: 'Alice',
      address: alice.address,
      fingerprint: alice.fingerprint,
      trust: 'unknown',
      contact: null,
    })
    const before = rowCounts(b.services)
    expect(
      await errorOf(() =>
        b.services.sharing.importApply({
          source: { data: share.bytes },
          shareId: share.shareId,
          confirmProtected: true,
        }),
      ),
    ).toMatchObject({
      code: 'SHARE_UNTRUSTED',
      message: `Alice is not one of your contacts (fingerprint ${alice.fingerprint}). Nothing was imported.`,
    })
    expect(rowCounts(b.services)).toEqual(before)
    const trusted = await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
      confirmProtected: true,
      trustSender: true,
    })
    expect(trusted.contact).toMatchObject({ name: 'Alice', added: true })
    expect(b.services.sharing.contacts()).toMatchObject([
      { name: 'Alice', fingerprint: alice.fingerprint, verifiedAt: null },
    ])

    // "Alice" on a new vault (new keys) sends again: the known contact changed.
    const impostor = await unlockedServices()
    await impostor.services.sharing.setName({ name: 'Alice' })
    const bInImpostor = (await impostor.services.sharing.addContact({ name: 'Bob', address: bob }))
      .id
    const other = canaryConnection(impostor.services, 'github', 'gh-2')
    const second = await impostor.services.sharing.export({
      connectionIds: [other.id],
      to: { kind: 'contacts', contactIds: [bInImpostor] },
      environments: ['development'],
    })
    const changed = await b.services.sharing.importPreview({ data: second.bytes })
    expect(changed.sender).toMatchObject({
      trust: 'changed',
      contact: { name: 'Alice', fingerprint: alice.fingerprint },
    })
    expect(
      await errorOf(() =>
        b.services.sharing.importApply({
          source: { data: second.bytes },
          shareId: second.shareId,
          confirmProtected: true,
        }),
      ),
    ).toMatchObject({
      code: 'SHARE_UNTRUSTED',
      message: expect.stringMatching(
        /^Alice's keys are not the ones you have for contact "Alice"/,
      ) as string,
    })
    const accepted = await b.services.sharing.importApply({
      source: { data: second.bytes },
      shareId: second.shareId,
      confirmProtected: true,
      trustSender: true,
    })
    expect(accepted.contact).toMatchObject({ name: 'Alice', added: false })
    const newFingerprint = (await impostor.services.sharing.identity()).fingerprint
    expect(b.services.sharing.contacts()).toMatchObject([
      { name: 'Alice', fingerprint: newFingerprint, verifiedAt: null },
    ])
  })

  it('shares with a passphrase: refused without it or with a wrong one, imported with it', async () => {
    const { a, b } = await twoVaults()
    const conn = canaryConnection(a.services, 'digitalocean', 'do')
    const share = await a.services.sharing.export({
      connectionIds: [conn.id],
      to: { kind: 'passphrase', passphrase: 'correct horse battery staple' },
      environments: ['production'],
    })
    expect(a.services.sharing.shares()[0]).toMatchObject({ passphrase: true, recipients: [] })
    const before = rowCounts(b.services)
    expect(
      await errorOf(() => b.services.sharing.importPreview({ data: share.bytes })),
    ).toMatchObject({ code: 'SHARE_PASSPHRASE_REQUIRED' })
    expect(
      await errorOf(() =>
        b.services.sharing.importPreview({ data: share.bytes, passphrase: 'wrong horse battery' }),
      ),
    ).toMatchObject({
      code: 'SHARE_NOT_FOR_YOU',
      message: 'That passphrase does not open this share.',
    })
    expect(rowCounts(b.services)).toEqual(before)
    const source = { data: share.armored, passphrase: 'correct horse battery staple' }
    const preview = await b.services.sharing.importPreview(source)
    expect(preview).toMatchObject({ protectedBy: 'passphrase', sender: { trust: 'unknown' } })
    const result = await b.services.sharing.importApply({
      source,
      shareId: preview.shareId,
      confirmProtected: true,
      trustSender: true,
    })
    expect(result.authorized).toEqual(['production'])
    expect(
      await errorOf(() =>
        a.services.sharing.export({
          connectionIds: [conn.id],
          to: { kind: 'passphrase', passphrase: 'short' },
          environments: ['production'],
        }),
      ),
    ).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/Passphrase: at least 12/) as string,
    })
  })

  it('refuses to apply a different share than the one previewed', async () => {
    const { a, b, share, bInA, conn } = await sharedToBob()
    const other = await a.services.sharing.export({
      connectionIds: [conn.id],
      to: { kind: 'contacts', contactIds: [bInA] },
      environments: ['staging'],
    })
    expect(
      await errorOf(() =>
        b.services.sharing.importApply({
          source: { data: other.bytes },
          shareId: share.shareId,
          confirmProtected: true,
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT', message: 'This is not the share that was previewed.' })
  })

  it('accepts a share re-encrypted by any age implementation, armored or not', async () => {
    const { b, share } = await sharedToBob()
    const plaintext = await decryptAsB(b, share.bytes)
    const again = await encryptToB(b, plaintext)
    const preview = await b.services.sharing.importPreview({ data: armor.encode(again) })
    expect(preview.shareId).toBe(share.shareId)
  })
})
