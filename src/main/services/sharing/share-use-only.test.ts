import { describe, expect, it } from 'vitest'
import { environmentIds, unlockedServices } from '../../../../test/services'
import { rowCounts } from '../../../../test/sharing'
import { errorOf, sharedToBob } from './share-test-support'

describe('a use-only share between two vaults', () => {
  it('shares a connection use-only: previewed, imported, authorized for its scope', async () => {
    const { a, b, conn, share } = await sharedToBob()
    expect(share.filename).toMatch(/^bridgekeep-prod-aws-\d{8}\.bkshare$/)
    expect(share.armored).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/)
    expect(Date.parse(share.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000)
    for (const canary of conn.canaries) {
      expect(Buffer.from(share.bytes).toString('latin1')).not.toContain(canary)
      expect(share.armored).not.toContain(canary)
    }

    const preview = await b.services.sharing.importPreview({ data: share.bytes })
    const alice = await a.services.sharing.identity()
    expect(preview).toMatchObject({
      shareId: share.shareId,
      useOnly: true,
      protectedBy: 'identity',
      sender: { name: 'Alice', fingerprint: alice.fingerprint, trust: 'known' },
      environments: [
        { name: 'staging', exists: true, protected: false },
        { name: 'production', exists: true, protected: true },
      ],
      connections: [{ slug: 'prod-aws', name: 'prod-aws', provider: 'aws', conflict: null }],
      alreadyImported: 0,
    })
    // The armored text previews the same.
    expect((await b.services.sharing.importPreview({ data: share.armored })).shareId).toBe(
      share.shareId,
    )

    // Production is protected: a share's scope grants it only when the user confirms, as the
    // matrix and `authorize` ask. Unconfirmed, nothing at all is imported.
    const unconfirmed = b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
    })
    await expect(unconfirmed).rejects.toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      message: 'These changes touch protected environments. production: grant prod-aws.',
      issues: [{ message: 'production: grant prod-aws' }],
    })
    expect(b.services.connections.list().filter((c) => c.slug === 'prod-aws')).toEqual([])

    const result = await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
      confirmProtected: true,
    })
    expect(result.created).toHaveLength(1)
    expect(result.authorized).toEqual(['staging', 'production'])
    const id = result.created[0]!.id
    const detail = b.services.connections.get(id)
    expect(detail).toMatchObject({
      name: 'prod-aws',
      slug: 'prod-aws',
      useOnly: true,
      share: { sharedBy: 'Alice', scope: ['staging', 'production'], expired: false },
    })
    expect(detail.secrets.every((s) => s.masked === '••••••••')).toBe(true)
    const env = environmentIds(b.services)
    expect(b.services.authorizations.authorizationsFor(id)).toMatchObject({
      environmentIds: expect.arrayContaining([env.staging, env.production]) as string[],
    })
    // Tools can use it within the scope, with the sender's secrets.
    expect(b.services.resolution.resolve('aws', 'staging').connection.id).toBe(id)
    expect(b.services.connections.storedSecrets(id).secrets).toEqual(
      a.services.connections.storedSecrets(conn.id).secrets,
    )
    // A second preview says it was imported already.
    expect((await b.services.sharing.importPreview({ data: share.bytes })).alreadyImported).toBe(1)

    // Recorded on A's side: what, to whom, scope, expiry; and audited on both.
    expect(a.services.sharing.shares()).toMatchObject([
      {
        id: share.shareId,
        useOnly: true,
        scope: ['staging', 'production'],
        connections: [{ id: conn.id, name: 'prod-aws', provider: 'aws' }],
        recipients: [{ name: 'Bob' }],
        passphrase: false,
        status: 'outstanding',
      },
    ])
    expect(a.services.audit.query({ filter: { actions: ['share.export'] } }).entries).toHaveLength(
      1,
    )
    expect(b.services.audit.query({ filter: { actions: ['share.import'] } }).entries).toHaveLength(
      1,
    )
  })

  it('keeps a use-only connection from being revealed, copied, edited or shared again', async () => {
    const { b, share } = await sharedToBob()
    const { created } = await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
      confirmProtected: true,
    })
    const id = created[0]!.id
    const field = b.services.connections.get(id).secrets[0]!.field
    expect(() => b.services.connections.reveal(id, field)).toThrow(
      expect.objectContaining({ code: 'USE_ONLY' }),
    )
    const copy = (await b.call('connections:copy', { id, field })) as {
      ok: boolean
      error: unknown
    }
    expect(copy).toMatchObject({ ok: false, error: { code: 'USE_ONLY' } })
    expect(() =>
      b.services.connections.update({ id, values: { account_id: '999999999999' } }),
    ).toThrow(expect.objectContaining({ code: 'USE_ONLY' }))
    expect(() =>
      b.services.connections.rotate({ id, secrets: { secret_access_key: 'x'.repeat(40) } }),
    ).toThrow(expect.objectContaining({ code: 'USE_ONLY' }))
    // Name, labels and notes stay the recipient's to change.
    expect(
      b.services.connections.update({ id, name: 'alice-prod', labels: ['from-alice'] }).name,
    ).toBe('alice-prod')

    const carol = await unlockedServices()
    const carolInB = await b.services.sharing.addContact({
      name: 'Carol',
      address: (await carol.services.sharing.identity()).address,
    })
    const before = rowCounts(b.services)
    for (const to of [
      { kind: 'contacts' as const, contactIds: [carolInB.id] },
      { kind: 'passphrase' as const, passphrase: 'correct horse battery staple' },
    ]) {
      const refused = await errorOf(() =>
        b.services.sharing.export({ connectionIds: [id], to, environments: ['staging'] }),
      )
      expect(refused).toMatchObject({
        code: 'USE_ONLY',
        message: '"alice-prod" was shared with you use-only and cannot be shared again.',
      })
    }
    expect(rowCounts(b.services)).toEqual(before)
    const failures = b.services.audit.query({
      filter: { actions: ['share.export'], outcome: 'failure' },
    }).entries
    expect(failures.map((e) => e.detail)).toEqual([
      '1 connection(s); USE_ONLY',
      '1 connection(s); USE_ONLY',
    ])
  })

  it('enforces the scope and the expiry at resolution: an expired share is disabled', async () => {
    const { b, share } = await sharedToBob({ environments: ['staging'] })
    const { created } = await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
      confirmProtected: true,
    })
    const id = created[0]!.id
    // Not in the matrix for development: the share's scope is the reason Bob is told.
    expect(() => b.services.resolution.resolve('aws', 'development', 'prod-aws')).toThrow(
      expect.objectContaining({
        code: 'NOT_AUTHORIZED',
        message: expect.stringContaining('Alice shared it for staging only') as string,
        hint: expect.stringContaining('ask Alice for a share that includes development') as string,
      }),
    )
    // Authorized for production in the matrix anyway: the share's scope still says no.
    const env = environmentIds(b.services)
    b.services.authorizations.applyChanges({
      grants: [{ connectionId: id, environmentId: env.production! }],
      confirmProtected: true,
    })
    expect(() => b.services.resolution.resolve('aws', 'production', 'prod-aws')).toThrow(
      expect.objectContaining({
        code: 'NOT_AUTHORIZED',
        message:
          'Connection prod-aws is not authorized for environment production: Alice shared it for staging only.',
      }),
    )
    expect(b.services.resolution.use('aws', 'staging', undefined, 'exec').connection.id).toBe(id)

    b.services.vault
      .database()
      .prepare('UPDATE received_shares SET expires_at = ? WHERE connection_id = ?')
      .run(new Date(Date.now() - 1000).toISOString(), id)
    expect(() => b.services.resolution.resolve('aws', 'staging')).toThrow(
      expect.objectContaining({
        code: 'SHARE_EXPIRED',
        message: expect.stringMatching(
          /^Connection prod-aws \(shared by Alice\) expired on .* and is disabled\.$/,
        ) as string,
      }),
    )
    expect(b.services.connections.get(id).share?.expired).toBe(true)
  })

  it('shares a full copy when use-only is off: the recipient may reveal it', async () => {
    const { b, share, conn } = await sharedToBob({ useOnly: false })
    const { created } = await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
      confirmProtected: true,
    })
    const id = created[0]!.id
    expect(b.services.connections.get(id).useOnly).toBeUndefined()
    const revealed = b.services.connections.reveal(id, conn.field)
    expect(conn.canaries.some((canary) => revealed.includes(canary))).toBe(true)
  })
})
