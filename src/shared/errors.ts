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
] as const

export type ErrorCode = (typeof errorCodes)[number]

export interface ErrorShape {
  code: ErrorCode
  message: string
  hint?: string
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

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message)
    this.code = code
    if (hint !== undefined) this.hint = hint
  }

  toShape(): ErrorShape {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint }
  }
}

export function isBridgekeepError(value: unknown): value is BridgekeepError {
  return value instanceof BridgekeepError
}
