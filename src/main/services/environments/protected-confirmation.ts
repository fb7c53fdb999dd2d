import { BridgekeepError, type FieldIssue } from '../../../shared/errors'
import { listNames } from '../../../shared/wording'

/** Names spelled out in a message before "and N more". */
const NAMES_IN_MESSAGE = 10

/** What a change would do in one protected environment: connections granted and revoked there. */
export interface ProtectedChange {
  environment: { id: string; name: string }
  grant: string[]
  revoke: string[]
}

/**
 * The one rule for every place that creates or removes an authorization (the matrix, undo,
 * `authorize`/`revoke`, a share import): a change that touches a protected environment happens
 * only when confirmed. Unconfirmed, nothing changes and this CONFIRMATION_REQUIRED names every
 * change, one issue per environment, which the app's dialog shows word for word and the CLI
 * turns into its `--yes` hint.
 */
export function requireProtectedConfirmation(
  changes: readonly ProtectedChange[],
  confirmed: boolean | undefined,
): void {
  const touched = changes.filter((change) => change.grant.length + change.revoke.length > 0)
  if (confirmed || touched.length === 0) return
  const issues: FieldIssue[] = touched.map((change) => ({
    field: change.environment.id,
    message: `${change.environment.name}: ${describe(change, Infinity)}`,
  }))
  const summary = touched
    .map((change) => `${change.environment.name}: ${describe(change, NAMES_IN_MESSAGE)}`)
    .join('. ')
  throw new BridgekeepError(
    'CONFIRMATION_REQUIRED',
    `These changes touch protected environments. ${summary}.`,
    'Nothing was changed. Confirm to apply them.',
    issues,
  )
}

function describe(change: ProtectedChange, max: number): string {
  return [
    ...(change.grant.length ? [`grant ${listNames(change.grant, max)}`] : []),
    ...(change.revoke.length ? [`revoke ${listNames(change.revoke, max)}`] : []),
  ].join('; ')
}
