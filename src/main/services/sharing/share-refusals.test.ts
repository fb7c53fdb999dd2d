import { beforeAll, describe, expect, it } from 'vitest'
import { unlockedServices } from '../../../../test/services'
import { rowCounts } from '../../../../test/sharing'
import { decryptAsB, encryptToB, errorOf, sharedToBob, sharingDaysAgo } from './share-test-support'

type Shared = Awaited<ReturnType<typeof sharedToBob>>
interface Setup extends Shared {
  plaintext: { payload: { scope: string[]; useOnly: boolean }; version: number }
  /** B's row counts before the first refusal. */
  before: Record<string, number>
}

/** What B is given, built from the genuine share A sent. */
type Forge = (setup: Setup) => Promise<Uint8Array | string> | Uint8Array | string

/** Each refusal: what, how it is made, the expected code and message. */
const cases: [string, Forge, string, RegExp][] = [
  [
    'a flipped payload byte',
    ({ share }) => {
      const flipped = Uint8Array.from(share.bytes)
      flipped[flipped.length - 20]! ^= 0x01
      return flipped
    },
    'SHARE_TAMPERED',
    /failed age’s integrity check/,
  ],
  [
    'a flipped header byte',
    // A changed header MAC (a changed stanza would just not match B's key: "not for you").
    ({ share }) => {
      const headerFlipped = Uint8Array.from(share.bytes)
      const mac = Buffer.from(share.bytes).indexOf('\n--- ') + 6
      headerFlipped[mac] = headerFlipped[mac] === 0x41 ? 0x42 : 0x41
      return headerFlipped
    },
    'SHARE_TAMPERED',
    /failed age’s integrity check/,
  ],
  [
    'a widened scope',
    ({ b, plaintext }) => {
      const widened = structuredClone(plaintext)
      widened.payload.scope = ['development', 'staging', 'production']
      return encryptToB(b, JSON.stringify(widened))
    },
    'SHARE_TAMPERED',
    /signature does not match/,
  ],
  [
    'use-only switched off',
    ({ b, plaintext }) => {
      const notUseOnly = structuredClone(plaintext)
      notUseOnly.payload.useOnly = false
      return encryptToB(b, JSON.stringify(notUseOnly))
    },
    'SHARE_TAMPERED',
    /signature does not match/,
  ],
  [
    'an expired share',
    async ({ a, conn, bInA }) => {
      const past = sharingDaysAgo(a, 8)
      const expired = await past.export({
        connectionIds: [conn.id],
        to: { kind: 'contacts', contactIds: [bInA] },
        environments: ['staging'],
      })
      return expired.bytes
    },
    'SHARE_EXPIRED',
    /^This share from Alice expired on .*\. Nothing was imported\.$/,
  ],
  [
    'a share for Carol',
    async ({ a, conn }) => {
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
      return forCarol.bytes
    },
    'SHARE_NOT_FOR_YOU',
    /not encrypted for this vault/,
  ],
  [
    'random bytes',
    () => new Uint8Array(300).fill(7),
    'SHARE_MALFORMED',
    /not an age-encrypted Bridgekeep share/,
  ],
  [
    'plain text',
    () => 'hello, here is the share',
    'SHARE_MALFORMED',
    /has no "-----BEGIN AGE ENCRYPTED FILE-----" line/,
  ],
  [
    'cut-off armor',
    ({ share }) => share.armored.split('\n').slice(0, 3).join('\n'),
    'SHARE_MALFORMED',
    /is cut off/,
  ],
  [
    're-wrapped armor',
    ({ share }) =>
      share.armored.replace(/\n(?!-----)/g, '\n\n').replace(/^(-----BEGIN[^\n]*)\n\n/, '$1\n'),
    'SHARE_MALFORMED',
    /wrapped differently/,
  ],
  [
    'age, not JSON',
    ({ b }) => encryptToB(b, 'just some text'),
    'SHARE_MALFORMED',
    /content is not a Bridgekeep share/,
  ],
  [
    'JSON, not a share',
    ({ b }) => encryptToB(b, '{"hello":1}'),
    'SHARE_MALFORMED',
    /not a Bridgekeep share/,
  ],
  [
    'a share without signature',
    ({ b, plaintext }) => encryptToB(b, JSON.stringify({ ...plaintext, signature: undefined })),
    'SHARE_MALFORMED',
    /payload or signature is missing/,
  ],
  [
    'a future format version',
    ({ b, plaintext }) =>
      encryptToB(b, JSON.stringify({ ...structuredClone(plaintext), version: 3 })),
    'SHARE_TOO_NEW',
    /format version 3; this version of Bridgekeep reads up to version 2/,
  ],
]

// One pair of vaults for every case (making vaults is slow); the cases run in order, and each
// checks that nothing changed, so a refusal that wrote anything fails where it happened.
describe('refused imports change nothing', () => {
  let setup: Setup
  const refusedCount = () =>
    setup.b.services.audit.query({
      filter: { actions: ['share.import'], outcome: 'failure' },
      limit: 100,
    }).entries.length

  beforeAll(async () => {
    const shared = await sharedToBob()
    const plaintext = JSON.parse(
      await decryptAsB(shared.b, shared.share.bytes),
    ) as Setup['plaintext']
    setup = { ...shared, plaintext, before: rowCounts(shared.b.services) }
  })

  it.each(cases)('refuses %s, in preview and in apply', async (what, forge, code, message) => {
    const { b, share } = setup
    const data = await forge(setup)
    const refusedBefore = refusedCount()
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
    expect(rowCounts(b.services)).toEqual(setup.before)
    // Each refusal is audited, by code.
    expect(refusedCount()).toBe(refusedBefore + 2)
  })

  it('audits every refusal, then still imports the genuine share', async () => {
    const { b, share, before } = setup
    expect(rowCounts(b.services)).toEqual(before)
    expect(refusedCount()).toBe(cases.length * 2)
    await b.services.sharing.importApply({
      source: { data: share.armored },
      shareId: share.shareId,
      confirmProtected: true,
    })
    expect(rowCounts(b.services).connections).toBe(before.connections! + 1)
  })
})
