import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { errorOf, sharedToBob } from './share-test-support'

describe('re-sending a connection after a rotation', () => {
  it('shares the new version with everyone holding it, same terms; their import replaces', async () => {
    const setup = await sharedToBob({ environments: ['staging'] })
    const { a, b, conn } = setup
    const first = await b.services.sharing.importApply({
      source: { data: setup.share.bytes },
      shareId: setup.share.shareId,
    })
    await a.services.sharing.export({
      connectionIds: [conn.id],
      to: { kind: 'passphrase', passphrase: 'correct horse battery staple' },
      environments: ['staging'],
    })
    const secret = randomBytes(30).toString('base64')
    a.services.connections.rotate({ id: conn.id, secrets: { secret_access_key: secret } })
    expect(a.services.sharing.holdings()).toMatchObject([
      { recipient: 'Bob', connectionId: conn.id, version: 1, currentVersion: 2 },
    ])

    expect(a.services.sharing.resendTargets(conn.id)).toEqual({
      connectionId: conn.id,
      recipients: [{ contactId: setup.bInA, name: 'Bob' }],
      passphraseShares: 1,
      missingContacts: [],
    })
    const resent = await a.services.sharing.resend(conn.id)
    expect(resent.shares).toHaveLength(1)
    const [share] = resent.shares
    const record = a.services.sharing.shares().find((s) => s.id === share!.shareId)!
    expect(record).toMatchObject({
      useOnly: true,
      scope: ['staging'],
      recipients: [{ name: 'Bob' }],
      connections: [{ id: conn.id, version: 2 }],
    })
    expect(Date.parse(record.expiresAt) - Date.parse(record.createdAt)).toBe(7 * 86_400_000)
    expect(a.services.sharing.holdings()).toMatchObject([{ version: 2, currentVersion: 2 }])

    const imported = await b.services.sharing.importApply({
      source: { data: share!.bytes },
      shareId: share!.shareId,
    })
    expect(imported.updated).toMatchObject([{ id: first.created[0]!.id, toVersion: 2 }])
    expect(
      b.services.connections.storedSecrets(first.created[0]!.id).secrets.secret_access_key,
    ).toBe(secret)
  })

  it('does not re-send revoked shares, and says passphrase shares cannot be re-sent', async () => {
    const { a, conn, share } = await sharedToBob({ environments: ['staging'] })
    a.services.sharing.revoke(share.shareId)
    await a.services.sharing.export({
      connectionIds: [conn.id],
      to: { kind: 'passphrase', passphrase: 'correct horse battery staple' },
      environments: ['staging'],
    })
    const refused = await errorOf(() => a.services.sharing.resend(conn.id))
    expect(refused).toMatchObject({ code: 'NOT_FOUND' })
    expect(refused.message).toMatch(/only shared with a passphrase .*cannot be re-sent/)
    expect(a.services.sharing.shares()).toHaveLength(2)
  })
})
