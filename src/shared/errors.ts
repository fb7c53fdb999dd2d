/**
 * Error codes every layer agrees on. The main side turns failures into one of these; the renderer
 * decides what to show from the code, never from parsing a message.
 */
export const errorCodes = [
  'VALIDATION',
  'FORBIDDEN',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'SETTINGS_CORRUPT',
  'INTERNAL',
  // Vault and keys
  'VAULT_MISSING',
  'VAULT_EXISTS',
  'VAULT_LOCKED',
  'VAULT_INTEGRITY',
  'DATABASE_TOO_NEW',
  'DATABASE_CORRUPT',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_LOCKED',
  'KEYCHAIN_ITEM_MISSING',
  'WRONG_PASSPHRASE',
  'WEAK_PASSPHRASE',
  'RECOVERY_KEY_INVALID',
  'WRONG_RECOVERY_KEY',
  // Environments, authorization and resolution
  'CONFIRMATION_REQUIRED',
  'NOT_AUTHORIZED',
  'NO_CONNECTION',
  'AMBIGUOUS_CONNECTION',
  // CLI: credentials no issuer of this version handles.
  'NOT_SUPPORTED',
  // STS (or another issuer) refused to issue short-lived credentials: its message and remedy.
  'CREDENTIALS_NOT_ISSUED',
  // A session needs the code of the connection's MFA device, and nobody could be asked for it.
  'MFA_CODE_REQUIRED',
  // The app asked for the code and it was dismissed or not typed in time.
  'MFA_CANCELLED',
  // Runner: the process, its control channel and its operations
  'RUNNER_UNAVAILABLE',
  'RUNNER_TIMEOUT',
  'RUNNER_CANCELLED',
  'RUNNER_REFUSED',
  'UNSUPPORTED_OPERATION',
  'OPERATION_FAILED',
  // The agent (bridgekeep agent, or the app) stopped or broke off in the middle of a request.
  'AGENT_UNAVAILABLE',
  // Sharing
  'SHARE_EXPIRED',
  'SHARE_TAMPERED',
  'SHARE_NOT_FOR_YOU',
  'SHARE_MALFORMED',
  'SHARE_TOO_NEW',
  'SHARE_PASSPHRASE_REQUIRED',
  'SHARE_UNTRUSTED',
  // A share of a connection older than the version of it this vault already holds.
  'SHARE_OUTDATED',
  'USE_ONLY',
  // Backups: not a backup, damaged or cut, from a newer version; a vault the app or agent holds.
  'BACKUP_FOREIGN',
  'BACKUP_DAMAGED',
  'BACKUP_TOO_NEW',
  'VAULT_IN_USE',
  // Team spaces: the team database is unreachable, refuses us, or holds rows that fail checks.
  'TEAM_UNAVAILABLE',
  'TEAM_SCHEMA_TOO_NEW',
  'TEAM_TAMPERED',
  'TEAM_KEY_NOT_FOR_YOU',
] as const

export type ErrorCode = (typeof errorCodes)[number]

/** A problem with one form field (`field` is its key), or with the form as a whole (''). */
export interface FieldIssue {
  field: string
  message: string
}

export interface ErrorShape {
  code: ErrorCode
  message: string
  hint?: string
  /** Per-field problems, so a form can show each one beside its field. */
  issues?: FieldIssue[]
}

/**
 * The one error type thrown across Bridgekeep: by services on the main side (turned into an IPC
 * error envelope) and by the renderer's API client (rebuilt from that envelope).
 * A message must never contain a secret value.
 */
export class BridgekeepError extends Error implements ErrorShape {
  override readonly name = 'BridgekeepError'
  readonly code: ErrorCode
  readonly hint?: string
  readonly issues?: FieldIssue[]

  constructor(code: ErrorCode, message: string, hint?: string, issues?: FieldIssue[]) {
    super(message)
    this.code = code
    if (hint !== undefined) this.hint = hint
    if (issues !== undefined) this.issues = issues
  }

  toShape(): ErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.issues === undefined ? {} : { issues: this.issues }),
    }
  }
}

export function isBridgekeepError(value: unknown): value is BridgekeepError {
  return value instanceof BridgekeepError
}
