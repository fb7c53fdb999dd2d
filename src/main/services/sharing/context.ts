import type { z } from 'zod'
import { BridgekeepError, isBridgekeepError, type FieldIssue } from '../../../shared/errors'
import { describeIssues, fieldIssues } from '../../../shared/validation'
import type { Logger } from '../../log'
import type { AuditRecord, AuditRecorder } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { Vault } from '../vault/vault'
import type { UnlockedIdentity } from './identity'
import type { EnvironmentRef, SharingRepository } from './sharing-repository'

/** What export and import need from the sharing service. */
export interface SharingContext {
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
}

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  throw invalid(fieldIssues(result.error), describeIssues(result.error))
}

export function invalid(issues: FieldIssue[], summary?: string): BridgekeepError {
  return new BridgekeepError(
    'VALIDATION',
    summary ?? issues[0]?.message ?? 'Not valid.',
    'Correct the highlighted fields; nothing was changed.',
    issues,
  )
}

/** The environment of this vault a scope name means (name in any case, or slug). */
export function matchEnvironment(
  environments: readonly EnvironmentRef[],
  name: string,
): EnvironmentRef | undefined {
  const wanted = name.trim().toLowerCase()
  return environments.find((env) => env.name.toLowerCase() === wanted || env.slug === wanted)
}

/** "Alice, Bob and 3 more": names for messages and audit details. */
export function listNames(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ')
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`
}

/** Runs `work`; a failure is recorded in the audit trail (code only) and thrown on. */
export async function auditedFailure<T>(
  ctx: SharingContext,
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
