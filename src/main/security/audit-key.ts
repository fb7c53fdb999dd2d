import { hkdfSync } from 'node:crypto'
import { DATA_KEY_BYTES } from './envelope'

/**
 * The info label of the audit trail's MAC key. Distinct from every other use of the data key
 * (field encryption, key wrapping), so a MAC never doubles as anything else.
 */
const AUDIT_MAC_INFO = 'bridgekeep/audit-mac/v1'

/**
 * The key that seals the audit trail: HKDF-SHA256 of the vault's data key, salted with the vault
 * id, under its own info label. Derived when needed and never stored: whoever can write the vault
 * file but does not hold the data key cannot compute it.
 */
export function deriveAuditKey(dataKey: Buffer, vaultId: string): Buffer {
  if (!Buffer.isBuffer(dataKey) || dataKey.length !== DATA_KEY_BYTES) {
    throw new RangeError(`The data key must be ${DATA_KEY_BYTES} bytes.`)
  }
  return Buffer.from(hkdfSync('sha256', dataKey, vaultId, AUDIT_MAC_INFO, 32))
}
