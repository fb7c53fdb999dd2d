import { BridgekeepError } from '../../../shared/errors'
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
    secrets: Record<string, string>,
    at: string,
  ): void {
    this.repo().insertVersion(id, version, at)
    for (const [field, value] of Object.entries(secrets)) {
      this.repo().insertField(
        id,
        version,
        field,
        encryptField(key, value, this.binding(id, version, field)),
      )
    }
  }

  /** Every secret of one version; VAULT_INTEGRITY when one of them is damaged. */
  decryptVersion(key: Buffer, row: ConnectionRow, version: number): Record<string, string> {
    const { secrets, damaged } = this.readVersion(key, row, version)
    if (damaged.length > 0)
      throw damagedError(
        row.name,
        damaged.map((f) => labelOf(requireProvider(row.provider), f)),
      )
    return secrets
  }

  /** The secrets of one version, and the fields that failed their integrity check. */
  readVersion(
    key: Buffer,
    row: ConnectionRow,
    version: number,
  ): { secrets: Record<string, string>; damaged: string[] } {
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
    const secrets: Record<string, string> = {}
    const damaged: string[] = []
    for (const field of fields) {
      try {
        secrets[field.field] = decryptField(
          key,
          field.ciphertext,
          this.binding(row.id, version, field.field),
        )
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error
        damaged.push(field.field)
      }
    }
    return { secrets, damaged }
  }

  /** One field of the current version; NOT_FOUND when it has none, VAULT_INTEGRITY if damaged. */
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
    try {
      return decryptField(key, stored.ciphertext, this.binding(row.id, stored.version, field))
    } catch (error) {
      if (error instanceof IntegrityError) throw damagedError(row.name, [labelOf(provider, field)])
      throw error
    }
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
