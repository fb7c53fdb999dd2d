import { BridgekeepError } from '../../../shared/errors'
import {
  describeReference,
  parseReference,
  type SecretReference,
} from '../../../shared/secret-reference'
import {
  decryptField,
  encryptField,
  IntegrityError,
  type FieldBinding,
} from '../../security/envelope'
import type { Vault } from '../vault/vault'
import type { ConnectionRow, ConnectionsRepository } from './connections-repository'
import { damagedError, labelOf, requireProvider } from './connection-rules'

/**
 * A field holding a reference is sealed like a value, as this marker and the reference's JSON.
 * No value can start with it (the editor refuses NUL in secret values), and only this class
 * writes or reads it: every other part of the app sees `secrets` and `references` apart.
 */
const REFERENCE_MARKER = '\u0000bridgekeep-reference\u0000'

/** One version's fields, decrypted: values, references, and the fields that failed integrity. */
export interface StoredVersion {
  secrets: Record<string, string>
  references: Record<string, SecretReference>
  damaged: string[]
}

/** One stored field as the details page shows it. */
export type StoredField =
  | { field: string; value: string }
  | { field: string; reference: SecretReference }
  | { field: string; damaged: true }

/**
 * Connections' secret fields, encrypted per field and version with the vault's data key: each
 * ciphertext is bound to its vault, connection, field and version, so one moved elsewhere fails
 * its integrity check rather than decrypting as something else.
 */
export class ConnectionSecrets {
  constructor(
    private readonly vault: Vault,
    private readonly repo: () => ConnectionsRepository,
  ) {}

  /** Writes one secret version (its row and every field). */
  writeVersion(
    key: Buffer,
    id: string,
    version: number,
    stored: { secrets: Record<string, string>; references?: Record<string, SecretReference> },
    at: string,
  ): void {
    this.repo().insertVersion(id, version, at)
    const sealed = { ...stored.secrets }
    for (const [field, value] of Object.entries(stored.secrets)) {
      // The editor refuses NUL in values; this keeps a value from ever posing as a reference.
      if (value.startsWith(REFERENCE_MARKER)) throw new Error(`A value of ${field} starts with NUL`)
    }
    for (const [field, ref] of Object.entries(stored.references ?? {}))
      sealed[field] = REFERENCE_MARKER + JSON.stringify(ref)
    for (const [field, plaintext] of Object.entries(sealed)) {
      this.repo().insertField(
        id,
        version,
        field,
        encryptField(key, plaintext, this.binding(id, version, field)),
      )
    }
  }

  /** Every secret and reference of one version; VAULT_INTEGRITY when one of them is damaged. */
  decryptVersion(key: Buffer, row: ConnectionRow, version: number): Omit<StoredVersion, 'damaged'> {
    const { secrets, references, damaged } = this.readVersion(key, row, version)
    if (damaged.length > 0)
      throw damagedError(
        row.name,
        damaged.map((f) => labelOf(requireProvider(row.provider), f)),
      )
    return { secrets, references }
  }

  /** The secrets and references of one version, and the fields that failed their integrity check. */
  readVersion(key: Buffer, row: ConnectionRow, version: number): StoredVersion {
    const secrets: Record<string, string> = {}
    const references: Record<string, SecretReference> = {}
    const damaged: string[] = []
    for (const stored of this.readFields(key, row, version)) {
      if ('damaged' in stored) damaged.push(stored.field)
      else if ('reference' in stored) references[stored.field] = stored.reference
      else secrets[stored.field] = stored.value
    }
    return { secrets, references, damaged }
  }

  /** One version's fields one by one, in the order they are stored. */
  readFields(key: Buffer, row: ConnectionRow, version: number): StoredField[] {
    const fields = this.repo().fields(row.id, version)
    if (
      fields.length === 0 &&
      !this.repo()
        .versions(row.id)
        .some((v) => v.version === version)
    ) {
      throw new BridgekeepError(
        'NOT_FOUND',
        `Connection "${row.name}" has no secret version ${version} (it was pruned).`,
      )
    }
    return fields.map((field) => {
      try {
        const plaintext = decryptField(
          key,
          field.ciphertext,
          this.binding(row.id, version, field.field),
        )
        return decoded(field.field, plaintext)
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error
        return { field: field.field, damaged: true as const }
      }
    })
  }

  /**
   * One field's value in the current version; NOT_FOUND when it has none, VAULT_INTEGRITY if
   * damaged, NOT_SUPPORTED when it holds a reference (there is no value to show: it is read at
   * each use, where it lives).
   */
  readCurrentField(key: Buffer, row: ConnectionRow, field: string): string {
    const provider = requireProvider(row.provider)
    const stored = this.repo()
      .fields(row.id, row.current_version)
      .find((f) => f.field === field)
    if (!stored) {
      throw new BridgekeepError(
        'NOT_FOUND',
        `Connection "${row.name}" has no stored ${labelOf(provider, field)}.`,
      )
    }
    let plaintext: string
    try {
      plaintext = decryptField(key, stored.ciphertext, this.binding(row.id, stored.version, field))
    } catch (error) {
      if (error instanceof IntegrityError) throw damagedError(row.name, [labelOf(provider, field)])
      throw error
    }
    const read = decoded(field, plaintext)
    if ('reference' in read)
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `Connection "${row.name}": ${labelOf(provider, field)} is a reference (${describeReference(read.reference)}), not a stored value; it is read at each use.`,
        'Read the value where the reference points, or give the field a value by editing the connection.',
      )
    return read.value
  }

  /** Re-encrypts every stored field under a new data key (inside the vault's transaction). */
  reencryptAll(oldKey: Buffer, newKey: Buffer): void {
    for (const field of this.repo().allFields()) {
      const binding = this.binding(field.connection_id, field.version, field.field)
      let value: string
      try {
        value = decryptField(oldKey, field.ciphertext, binding)
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error
        const row = this.repo().get(field.connection_id)
        throw damagedError(
          row?.name ?? field.connection_id,
          [field.field],
          'Rotate or purge it, then re-encrypt again.',
        )
      }
      this.repo().replaceCiphertext({ ...field, ciphertext: encryptField(newKey, value, binding) })
    }
  }

  /** What a field's ciphertext is bound to (its associated data). */
  binding(connectionId: string, secretVersion: number, field: string): FieldBinding {
    return { vaultId: this.vault.vaultId(), connectionId, field, secretVersion }
  }
}

/** A decrypted field: a reference when it carries the marker, else a value. */
function decoded(
  field: string,
  plaintext: string,
): { field: string; value: string } | { field: string; reference: SecretReference } {
  if (!plaintext.startsWith(REFERENCE_MARKER)) return { field, value: plaintext }
  return { field, reference: parseReference(JSON.parse(plaintext.slice(REFERENCE_MARKER.length))) }
}
