import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption'
import { signPayload, type SharePayload } from '../src/main/services/sharing/payload'
import { formatAddress } from '../src/main/services/sharing/share-address'
import { providers } from '../src/shared/providers'
import type { Services } from '../src/main/services'
import { canaryValues, exampleValues } from './catalog-values'
import { unlockedServices } from './services'

export type Vault = Awaited<ReturnType<typeof unlockedServices>>

/** Two vaults (sender A, recipient B), each with its own data folder and services. */
export async function twoVaults(): Promise<{ a: Vault; b: Vault }> {
  const a = await unlockedServices()
  const b = await unlockedServices()
  await a.services.sharing.setName({ name: 'Alice' })
  await b.services.sharing.setName({ name: 'Bob' })
  return { a, b }
}

/** A connection of `provider` whose secrets are random canaries; returns its id and them. */
export function canaryConnection(
  services: Services,
  provider: string,
  name: string,
): { id: string; slug: string; canaries: string[]; field: string } {
  const spec = providers.find((p) => p.id === provider)!
  const planted = canaryValues(spec, spec.defaultAuthMode)
  const created = services.connections.create({
    name,
    provider,
    authMode: spec.defaultAuthMode,
    values: planted.values,
  })
  return {
    id: created.id,
    slug: created.slug,
    canaries: planted.canaries,
    field: created.secrets[0]!.field,
  }
}

/** B adds A as a contact (and A adds B), as teammates exchanging addresses would. */
export async function exchangeAddresses(
  a: Vault,
  b: Vault,
): Promise<{ bInA: string; aInB: string }> {
  const bAddress = (await b.services.sharing.identity()).address
  const aAddress = (await a.services.sharing.identity()).address
  const bInA = (await a.services.sharing.addContact({ name: 'Bob', address: bAddress })).id
  const aInB = (await b.services.sharing.addContact({ name: 'Alice', address: aAddress })).id
  return { bInA, aInB }
}

const COUNTED = [
  'connections',
  'secret_versions',
  'secret_fields',
  'authorizations',
  'contacts',
  'received_shares',
  'shares',
  'environments',
]

/** Row counts of every table an import could change (the audit trail aside: refusals are audited). */
export function rowCounts(services: Services): Record<string, number> {
  const db = services.vault.database()
  return Object.fromEntries(
    COUNTED.map((table) => [
      table,
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    ]),
  )
}

/**
 * A share as an attacker with a Bridgekeep of their own (keys of their own, an unknown sender to
 * `recipient`) could make it: one AWS connection, Prod AWS (prod-aws), for staging, with whatever
 * `change` writes into the payload. Signed and encrypted exactly as Bridgekeep does, but without
 * any of the checks the sender's own app makes, so only the recipient's checks stand in the way.
 */
export async function attackerShare(
  recipient: Services,
  change: (payload: SharePayload) => void = () => {},
  formatVersion?: number,
): Promise<{ bytes: Uint8Array; shareId: string; payload: SharePayload }> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const signingKey = publicKey.export({ format: 'jwk' }).x!
  const ageRecipient = await identityToRecipient(await generateIdentity())
  const spec = providers.find((p) => p.id === 'aws')!
  const values = exampleValues(spec, spec.defaultAuthMode)
  const secret = new Set(spec.fields.filter((field) => field.secret).map((field) => field.key))
  const pick = (secrets: boolean) =>
    Object.fromEntries(Object.entries(values).filter(([key]) => secret.has(key) === secrets))
  const now = Date.now()
  const payload: SharePayload = {
    shareId: randomUUID(),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 7 * 86_400_000).toISOString(),
    useOnly: true,
    scope: ['staging'],
    sender: { name: 'Mallory', address: formatAddress(ageRecipient, signingKey) },
    connections: [
      {
        provider: 'aws',
        name: 'Prod AWS',
        slug: 'prod-aws',
        authMode: spec.defaultAuthMode,
        config: pick(false),
        secrets: pick(true),
        labels: ['team'],
        notes: '',
      },
    ],
  }
  change(payload)
  const encrypter = new Encrypter()
  encrypter.addRecipient((await recipient.sharing.identity()).ageRecipient)
  const bytes = await encrypter.encrypt(signPayload(payload, privateKey, formatVersion))
  return { bytes, shareId: payload.shareId, payload }
}
