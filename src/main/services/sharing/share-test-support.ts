import { Decrypter, Encrypter } from 'age-encryption'
import {
  canaryConnection,
  exchangeAddresses,
  twoVaults,
  type Vault,
} from '../../../../test/sharing'
import { SharingService } from './sharing-service'

/** The error `work` throws; fails the test when it does not throw. */
export const errorOf = async (work: () => unknown): Promise<{ code?: string; message: string }> => {
  try {
    await work()
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected a failure')
}

/** A to B: contacts exchanged, one AWS connection with canary secrets shared use-only. */
export async function sharedToBob(options: { useOnly?: boolean; environments?: string[] } = {}) {
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

/** Encrypts `plaintext` to B as a sender with age would (no Bridgekeep involved). */
export const encryptToB = async (b: Vault, plaintext: string | Uint8Array) => {
  const encrypter = new Encrypter()
  encrypter.addRecipient((await b.services.sharing.identity()).ageRecipient)
  return encrypter.encrypt(plaintext)
}

export const decryptAsB = async (b: Vault, bytes: Uint8Array) => {
  const decrypter = new Decrypter()
  decrypter.addIdentity(await b.services.sharing.ageIdentityForTests())
  return decrypter.decrypt(bytes, 'text')
}

/** A's sharing service with its clock `days` in the past: makes shares that have since expired. */
export function sharingDaysAgo(a: Vault, days: number): SharingService {
  return new SharingService({
    vault: a.services.vault,
    connections: a.services.connections,
    audit: a.services.audit,
    log: a.log,
    now: () => new Date(Date.now() - days * 86_400_000),
  })
}
