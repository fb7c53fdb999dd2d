import { Decrypter, Encrypter, armor } from 'age-encryption'
import { describe, expect, it } from 'vitest'
import { environmentIds, unlockedServices } from '../../../../test/services'
import {
  canaryConnection,
  exchangeAddresses,
  rowCounts,
  twoVaults,
  type Vault,
} from '../../../../test/sharing'
import { SharingService } from './sharing-service'

const errorOf = async (work: () => unknown): Promise<{ code?: string; message: string }> => {
  try {
    await work()
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected a failure')
}

/** A to B: contacts exchanged, one AWS connection with canary secrets shared use-only. */
async function sharedToBob(options: { useOnly?: boolean; environments?: string[] } = {}) {
  const { a, b } = await twoVaults()
  const { bInA } = await exchangeAddresses(a, b)
  const conn = canaryConnection(a.services, 'aws', 'prod-aws')
  const share = await a.services.sharing.export({
    connectionIds: [conn.id],
    to: { kind: 'contacts', contactIds: [bInA] },
    environments: options.environments ?? ['staging', 'production'],
    useOnly: options.useOnly ?? true,
  })
  return { a, b, conn, share, bInA }
}

describe('export and import between two vaults', () => {
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
    expect(b.services.connections.secretsFor(id).secrets).toEqual(
      a.services.connections.secretsFor(conn.id).secrets,
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
      holds(b.services.connections.secretsFor(mineAlpha.id, 1).secrets, mineAlpha.canaries),
    ).toBe(true)
    expect(holds(b.services.connections.secretsFor(mineAlpha.id).secrets, one.canaries)).toBe(true)
    expect(b.services.connections.secretsFor(mineAlpha.id).secrets).toEqual(
      a.services.connections.secretsFor(one.id).secrets,
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

  it('records revocation honestly and lists shares as outstanding, expired or revoked', async () => {
    const { a, share, bInA, conn } = await sharedToBob()
    const past = new SharingService({
      vault: a.services.vault,
      connections: a.services.connections,
      audit: a.services.audit,
      log: a.log,
      now: () => new Date(Date.now() - 30 * 86_400_000),
    })
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

describe('refused imports change nothing', () => {
  /** Encrypts `plaintext` to B as a sender with age would (no Bridgekeep involved). */
  const encryptToB = async (b: Vault, plaintext: string | Uint8Array) => {
    const encrypter = new Encrypter()
    encrypter.addRecipient((await b.services.sharing.identity()).ageRecipient)
    return encrypter.encrypt(plaintext)
  }
  const decryptAsB = async (b: Vault, bytes: Uint8Array) => {
    const decrypter = new Decrypter()
    decrypter.addIdentity(await b.services.sharing.ageIdentityForTests())
    return decrypter.decrypt(bytes, 'text')
  }

  it('refuses tampered, expired, wrong-recipient, malformed and future-version shares', async () => {
    const { a, b, share, bInA, conn } = await sharedToBob()
    const plaintext = JSON.parse(await decryptAsB(b, share.bytes)) as {
      payload: { scope: string[]; useOnly: boolean }
      version: number
    }
    const flipped = Uint8Array.from(share.bytes)
    flipped[flipped.length - 20]! ^= 0x01
    // A changed header MAC (a changed stanza would just not match B's key: "not for you").
    const headerFlipped = Uint8Array.from(share.bytes)
    const mac = Buffer.from(share.bytes).indexOf('\n--- ') + 6
    headerFlipped[mac] = headerFlipped[mac] === 0x41 ? 0x42 : 0x41
    const widened = structuredClone(plaintext)
    widened.payload.scope = ['development', 'staging', 'production']
    const notUseOnly = structuredClone(plaintext)
    notUseOnly.payload.useOnly = false
    const future = { ...structuredClone(plaintext), version: 2 }

    const past = new SharingService({
      vault: a.services.vault,
      connections: a.services.connections,
      audit: a.services.audit,
      log: a.log,
      now: () => new Date(Date.now() - 8 * 86_400_000),
    })
    const expired = await past.export({
      connectionIds: [conn.id],
      to: { kind: 'contacts', contactIds: [bInA] },
      environments: ['staging'],
    })
    const carol = await unlockedServices()
    const carolInA = await a.services.sharing.addContact({
      name: 'Carol',
      address: (await carol.services.sharing.identity()).address,
    })
    const forCarol = await a.services.sharing.export({
      connectionIds: [conn.id],
      to: { kind: 'contacts', contactIds: [carolInA.id] },
      environments: ['staging'],
    })
    const armoredLines = share.armored.split('\n')
    const cases: [string, Uint8Array | string, string, RegExp][] = [
      ['a flipped payload byte', flipped, 'SHARE_TAMPERED', /failed age’s integrity check/],
      ['a flipped header byte', headerFlipped, 'SHARE_TAMPERED', /failed age’s integrity check/],
      [
        'a widened scope',
        await encryptToB(b, JSON.stringify(widened)),
        'SHARE_TAMPERED',
        /signature does not match/,
      ],
      [
        'use-only switched off',
        await encryptToB(b, JSON.stringify(notUseOnly)),
        'SHARE_TAMPERED',
        /signature does not match/,
      ],
      [
        'an expired share',
        expired.bytes,
        'SHARE_EXPIRED',
        /^This share from Alice expired on .*\. Nothing was imported\.$/,
      ],
      ['a share for Carol', forCarol.bytes, 'SHARE_NOT_FOR_YOU', /not encrypted for this vault/],
      [
        'random bytes',
        new Uint8Array(300).fill(7),
        'SHARE_MALFORMED',
        /not an age-encrypted Bridgekeep share/,
      ],
      [
        'plain text',
        'hello, here is the share',
        'SHARE_MALFORMED',
        /has no "-----BEGIN AGE ENCRYPTED FILE-----" line/,
      ],
      ['cut-off armor', armoredLines.slice(0, 3).join('\n'), 'SHARE_MALFORMED', /is cut off/],
      [
        're-wrapped armor',
        share.armored.replace(/\n(?!-----)/g, '\n\n').replace(/^(-----BEGIN[^\n]*)\n\n/, '$1\n'),
        'SHARE_MALFORMED',
        /wrapped differently/,
      ],
      [
        'age, not JSON',
        await encryptToB(b, 'just some text'),
        'SHARE_MALFORMED',
        /content is not a Bridgekeep share/,
      ],
      [
        'JSON, not a share',
        await encryptToB(b, '{"hello":1}'),
        'SHARE_MALFORMED',
        /not a Bridgekeep share/,
      ],
      [
        'a share without signature',
        await encryptToB(b, JSON.stringify({ ...plaintext, signature: undefined })),
        'SHARE_MALFORMED',
        /payload or signature is missing/,
      ],
      [
        'a future format version',
        await encryptToB(b, JSON.stringify(future)),
        'SHARE_TOO_NEW',
        /format version 2; this version of Bridgekeep reads up to version 1/,
      ],
    ]
    const before = rowCounts(b.services)
    for (const [what, data, code, message] of cases) {
      for (const attempt of [
        () => b.services.sharing.importPreview({ data }),
        () =>
          b.services.sharing.importApply({
            source: { data },
            shareId: share.shareId,
            confirmProtected: true,
            trustSender: true,
          }),
      ]) {
        const error = await errorOf(attempt)
        expect(error.code, what).toBe(code)
        expect(error.message, what).toMatch(message)
      }
    }
    expect(rowCounts(b.services)).toEqual(before)
    // Each refusal is audited, by code.
    const refused = b.services.audit.query({
      filter: { actions: ['share.import'], outcome: 'failure' },
      limit: 100,
    }).entries
    expect(refused).toHaveLength(cases.length * 2)
    // The genuine share still imports afterwards.
    await b.services.sharing.importApply({
      source: { data: share.armored },
      shareId: share.shareId,
      confirmProtected: true,
    })
    expect(rowCounts(b.services).connections).toBe(before.connections! + 1)
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
