import type { Services } from '../src/main/services'

/** The newest audit entry's id (0 for none): the entries after it are what an action wrote. */
export function auditMark(services: Services): number {
  return services.audit.query({ limit: 1 }).entries[0]?.id ?? 0
}

/**
 * What the entries written since `mark` say, oldest first: everything but ids, times and hashes,
 * which differ between two vaults, so that the CLI's entries for an action can be compared with
 * the ones the app's IPC handler writes for the same action in a vault set up the same way.
 */
export function auditSince(services: Services, mark: number) {
  return services.audit
    .query({ limit: 500 })
    .entries.filter((entry) => entry.id > mark)
    .reverse()
    .map((entry) => ({
      action: entry.action,
      actorUser: entry.actorUser,
      targetType: entry.targetType,
      hasTargetId: entry.targetId !== null,
      targetName: entry.targetName,
      environmentName: entry.environmentName,
      outcome: entry.outcome,
      detail: entry.detail,
    }))
}
