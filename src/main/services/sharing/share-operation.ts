import { isBridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { AuditRecord, AuditRecorder } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { Vault } from '../vault/vault'
import type { UnlockedIdentity } from './identity'
import type { SharingRepository } from './sharing-repository'

/**
 * What a share operation (export, preview, import) runs with: the sharing service's collaborators,
 * handed to the functions in share-export.ts, share-preview.ts and share-import.ts.
 */
export interface ShareOperationContext {
  vault: Vault
  connections: ConnectionsService
  audit: AuditRecorder & {
    recordFailure(entry: Omit<AuditRecord, 'outcome'>, error: unknown): void
  }
  log: Logger
  now: () => Date
  scryptWorkFactor: number
  repo(): SharingRepository
  identity(): Promise<UnlockedIdentity>
  /** The sender's policy: refuse use-only shares of secrets tools receive as they are. */
  refuseExposedUseOnly(): boolean
}

/** Names spelled out in a sharing message or audit detail before "and N more". */
export const NAMES_LISTED = 5

/** Runs `work`; a failure is recorded in the audit trail (code only) and thrown on. */
export async function auditedFailure<T>(
  ctx: ShareOperationContext,
  entry: Omit<AuditRecord, 'outcome'>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work()
  } catch (error) {
    // Locked, "enter the passphrase" and "confirm the protected environment" are questions, not
    // refusals: not worth an entry.
    if (
      isBridgekeepError(error) &&
      error.code !== 'VAULT_LOCKED' &&
      error.code !== 'SHARE_PASSPHRASE_REQUIRED' &&
      error.code !== 'CONFIRMATION_REQUIRED'
    ) {
      ctx.audit.recordFailure(entry, error)
    }
    throw error
  }
}
