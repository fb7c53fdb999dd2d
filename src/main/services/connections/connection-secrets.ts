import { BridgekeepError } from '../../../shared/errors'
import {
  describeReference,
  parseReference,
  type SecretReference,
} from '../../../shared/secret-reference'
import {
  decryptFieldBytes,
  encryptField,
  encryptFieldBytes,
  fieldText,
  IntegrityError,
  type FieldBinding,
} from '../../security/envelope'
import type { Vault } from '../vault/vault'
import type { ConnectionRow, ConnectionsRepository } from './connections-repository'
import { damagedError, labelOf, requireProvider } from './connection-rules'

/**
 * A field holding a reference is sealed like a value, as this byte and the reference's JSON. A
 * value is sealed as its UTF-8, which never holds the byte 0xFF: so no value, whatever its text
 * and whichever version of the app stored it (earlier ones accepted NUL, so a text marker could
 * be planted through a share or an import), can ever be read as a reference, which could run a
 * command. Only this class writes or reads it: every other part sees `secrets` and `references`
 * apart.
 */
const REFERENCE_BYTE = 0xff

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
    const references = stored.references ?? {}
    for (const [field, value] of Object.entries(stored.secrets)) {
      if (field in references) continue
      this.repo().insertField(
        id,
        version,
        field,
        encryptField(key, value, this.binding(id, version, field)),
      )
    }
    for (const [field, ref] of Object.entries(references)) {
      const sealed = Buffer.concat([Buffer.of(REFERENCE_BYTE), Buffer.from(JSON.stringify(ref))])
      this.repo().insertField(
        id,
        version,
        field,
        encryptFieldBytes(key, sealed, this.binding(id, version, field)),
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
        return decoded(
          field.field,
          decryptFieldBytes(key, field.ciphertext, this.binding(row.id, version, field.field)),
        )
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
    let read: ReturnType<typeof decoded>
    try {
      read = decoded(
        field,
        decryptFieldBytes(key, stored.ciphertext, this.binding(row.id, stored.version, field)),
      )
    } catch (error) {
      if (error instanceof IntegrityError) throw damagedError(row.name, [labelOf(provider, field)])
      throw error
    }
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
      // As bytes: a value and a reference alike keep exactly what they were.
      let plaintext: Buffer
      try {
        plaintext = decryptFieldBytes(oldKey, field.ciphertext, binding)
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error
        const row = this.repo().get(field.connection_id)
        throw damagedError(
          row?.name ?? field.connection_id,
          [field.field],
          'Rotate or purge it, then re-encrypt again.',
        )
      }
      try {
        const ciphertext = encryptFieldBytes(newKey, plaintext, binding)
        this.repo().replaceCiphertext({ ...field, ciphertext })
      } finally {
        plaintext.fill(0)
      }
    }
  }

  /** What a field's ciphertext is bound to (its associated data). */
  binding(connectionId: string, secretVersion: number, field: string): FieldBinding {
    return { vaultId: this.vault.vaultId(), connectionId, field, secretVersion }
  }
}

/** A decrypted field (its bytes are zeroed): a reference when it starts with its byte, else a value. */
function decoded(
  field: string,
  plaintext: Buffer,
): { field: string; value: string } | { field: string; reference: SecretReference } {
  try {
    if (plaintext[0] !== REFERENCE_BYTE) return { field, value: fieldText(plaintext) }
    return {
      field,
      reference: parseReference(JSON.parse(fieldText(plaintext.subarray(1)))),
    }
  } finally {
    plaintext.fill(0)
  }
}
