import { describe, expect, it } from 'vitest'
import { sharedToBob, sharingDaysAgo } from './share-test-support'

describe('revoking a share', () => {
  it('records revocation honestly and lists shares as outstanding, expired or revoked', async () => {
    const { a, share, bInA, conn } = await sharedToBob()
    const past = sharingDaysAgo(a, 30)
    const old = await past.export({
      connectionIds: [conn.id],
      to: { kind: 'contacts', contactIds: [bInA] },
      environments: ['staging'],
    })
    const revoked = a.services.sharing.revoke(share.shareId)
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) as string })
    expect(a.services.sharing.revoke(share.shareId).revokedAt).toBe(revoked.revokedAt)
    expect(a.services.sharing.shares().map((s) => [s.id, s.status])).toEqual([
      [share.shareId, 'revoked'],
      [old.shareId, 'expired'],
    ])
    const entry = a.services.audit.query({ filter: { actions: ['share.revoke'] } }).entries[0]
    expect(entry).toMatchObject({
      targetType: 'share',
      targetId: share.shareId,
      detail: 'Marked revoked; a delivered share cannot be recalled: rotate the secrets it carried',
    })
    expect(() => a.services.sharing.revoke('nope')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    )
  })
})
