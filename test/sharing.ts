import { providers } from '../src/shared/providers'
import type { Services } from '../src/main/services'
import { canaryValues } from './catalog-values'
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
