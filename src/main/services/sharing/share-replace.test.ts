import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { environmentIds } from '../../../../test/services'
import { attackerShare, rowCounts } from '../../../../test/sharing'
import { errorOf, sharedToBob } from './share-test-support'

type Setup = Awaited<ReturnType<typeof sharedToBob>>

/** A rotates the shared connection to a new random secret and shares it to B again. */
async function rotateAndReshare({ a, conn, bInA }: Setup, environments = ['staging']) {
  const secret = randomBytes(30).toString('base64')
  a.services.connections.rotate({ id: conn.id, secrets: { secret_access_key: secret } })
  const share = await a.services.sharing.export({
    connectionIds: [conn.id],
    to: { kind: 'contacts', contactIds: [bInA] },
    environments,
  })
  return { secret, share }
}

const importAll = (setup: Setup, share: { bytes: Uint8Array; shareId: string }) =>
  setup.b.services.sharing.importApply({
    source: { data: share.bytes },
    shareId: share.shareId,
    confirmProtected: true,
  })

describe('a re-sent share from the same signer', () => {
  it('replaces the imported copy as a new version: same id, name and history, no choice asked', async () => {
    const setup = await sharedToBob({ environments: ['staging'] })
    const { a, b } = setup
    const first = await importAll(setup, setup.share)
    const id = first.created[0]!.id
    const env = environmentIds(b.services)
    // Bob decided this connection is not for staging: a re-send must not undo that.
    b.services.authorizations.setAuthorizations({ connectionId: id, environmentIds: [] })

    const { secret, share } = await rotateAndReshare(setup, ['staging', 'development'])
    const preview = await b.services.sharing.importPreview({ data: share.bytes })
    expect(preview.connections).toMatchObject([
      { slug: 'prod-aws', conflict: null, update: { id, fromVersion: 1, toVersion: 2 } },
    ])
    const result = await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
    })
    expect(result).toMatchObject({
      created: [],
      replaced: [],
      updated: [{ id, name: 'prod-aws', fromVersion: 1, toVersion: 2 }],
    })
    const detail = b.services.connections.get(id)
    expect(detail.versions.map((v) => v.version)).toEqual(expect.arrayContaining([1, 2]))
    expect(b.services.connections.storedSecrets(id).secrets.secret_access_key).toBe(secret)
    expect(detail.share).toMatchObject({
      shareId: share.shareId,
      scope: ['staging', 'development'],
    })
    // Staging stays revoked as Bob left it; development is new in the scope, so it is granted.
    expect(b.services.authorizations.authorizationsFor(id).environmentIds).toEqual([
      env.development,
    ])
    const entries = b.services.audit.query({ filter: { actions: ['share.import'] } }).entries
    expect(entries[0]!.detail).toMatch(/^New version 2 re-sent by Alice/)
    expect(JSON.stringify(entries)).not.toContain(secret)
    expect(a.services.sharing.shares()[0]!.connections[0]!.version).toBe(2)
  })

  it('refuses an older version than the one held, changing nothing', async () => {
    const setup = await sharedToBob({ environments: ['staging'] })
    const { share: second } = await rotateAndReshare(setup)
    await importAll(setup, second)
    const before = rowCounts(setup.b.services)

    const older = await errorOf(() => importAll(setup, setup.share))
    expect(older).toMatchObject({ code: 'SHARE_OUTDATED' })
    expect(older.message).toContain('version 1, older than version 2 you hold')
    const previewed = await errorOf(() =>
      setup.b.services.sharing.importPreview({ data: setup.share.bytes }),
    )
    expect(previewed).toMatchObject({ code: 'SHARE_OUTDATED' })
    expect(rowCounts(setup.b.services)).toEqual(before)
  })

  it('keeps a version an operation already pinned readable while the new one lands', async () => {
    const setup = await sharedToBob({ environments: ['staging'] })
    const id = (await importAll(setup, setup.share)).created[0]!.id
    // exec and the agent read one version once (storedSecrets) and hand the tool a copy; the
    // replaced version stays stored (a new version is written beside it), so an operation holding
    // version 1 keeps working and can read it again by number.
    const pinned = setup.b.services.connections.storedSecrets(id)
    const { share, secret } = await rotateAndReshare(setup)
    await importAll(setup, share)
    expect(setup.b.services.connections.storedSecrets(id, pinned.version)).toEqual(pinned)
    expect(setup.b.services.connections.storedSecrets(id).secrets.secret_access_key).toBe(secret)
  })
})

describe('a share naming the same source from another signer', () => {
  it('is not auto-replaced: it meets the usual slug conflict', async () => {
    const setup = await sharedToBob({ environments: ['staging'] })
    const id = (await importAll(setup, setup.share)).created[0]!.id
    const forged = await attackerShare(setup.b.services, (payload) => {
      payload.connections[0]!.slug = 'prod-aws'
      payload.connections[0]!.source = { id: setup.conn.id, version: 99 }
    })
    const preview = await setup.b.services.sharing.importPreview({ data: forged.bytes })
    expect(preview.connections[0]).toMatchObject({ update: null, conflict: { id } })
    const before = rowCounts(setup.b.services)
    const refused = await errorOf(() =>
      setup.b.services.sharing.importApply({
        source: { data: forged.bytes },
        shareId: forged.shareId,
        trustSender: true,
      }),
    )
    expect(refused).toMatchObject({ code: 'CONFLICT' })
    expect(rowCounts(setup.b.services)).toEqual(before)
    expect(setup.b.services.connections.storedSecrets(id).secrets.secret_access_key).toBe(
      setup.b.services.connections.storedSecrets(id, 1).secrets.secret_access_key,
    )
  })
})

describe('a share file of format 1 (before shares named their source)', () => {
  it('still imports, and is matched by slug as before', async () => {
    const { b } = await sharedToBob()
    const old = await attackerShare(b.services, () => {}, 1)
    const preview = await b.services.sharing.importPreview({ data: old.bytes })
    expect(preview.connections[0]).toMatchObject({ update: null, conflict: null })
    const result = await b.services.sharing.importApply({
      source: { data: old.bytes },
      shareId: old.shareId,
      trustSender: true,
    })
    expect(result.created).toHaveLength(1)
  })
})
