import { BridgekeepError } from '../../shared/errors'

/**
 * Turns @napi-rs/keyring (keyring-rs) failures into BridgekeepErrors with a remedy. The library
 * only gives us message text, so this matches on the messages observed on Linux (Secret Service
 * over D-Bus) plus the macOS/Windows wording of the same situations.
 */

export type KeychainFailure =
  | { kind: 'no-session' }
  | { kind: 'no-service' }
  | { kind: 'locked' }
  | { kind: 'not-found' }
  | { kind: 'other'; reason: string }

// Linux: no session bus at all ("... set your DBUS_SESSION_BUS_ADDRESS instead"), or a session
// address whose socket is gone ("Failed to connect to socket ...").
const NO_SESSION = /DBUS_SESSION_BUS_ADDRESS|failed to connect to socket|autolaunch|no such bus/i
// Linux: "unlock prompt was dismissed" or org.freedesktop.Secret.Error.IsLocked; macOS: "User
// canceled the operation" or errSecInteractionNotAllowed. Tested before NO_SERVICE, since such
// messages may name org.freedesktop.secrets too.
const LOCKED =
  /prompt was dismissed|IsLocked|\block(ed)?\b|user cancel|interaction (is )?not allowed/i
// A session bus, but nothing owns org.freedesktop.secrets and nothing can be activated.
const NO_SERVICE = /ServiceUnknown|NameHasNoOwner|org\.freedesktop\.secrets|not provided by any/i
// Secret Service with no matching item, or no default collection to write to.
const NOT_FOUND = /no result found|no matching entry/i
const AMBIGUOUS = /matched by \d+ credentials|ambiguous/i

export function classifyKeychainError(error: unknown): KeychainFailure {
  const message = error instanceof Error ? error.message : String(error)
  if (NO_SESSION.test(message)) return { kind: 'no-session' }
  if (LOCKED.test(message)) return { kind: 'locked' }
  if (NO_SERVICE.test(message)) return { kind: 'no-service' }
  if (NOT_FOUND.test(message)) return { kind: 'not-found' }
  if (AMBIGUOUS.test(message)) {
    return { kind: 'other', reason: 'more than one keychain item matches this vault' }
  }
  return { kind: 'other', reason: safeReason(message) }
}

const linux = process.platform !== 'darwin' && process.platform !== 'win32'

const FALLBACK = 'or unlock with your recovery key, or switch this vault to passphrase mode.'

export function keychainUnavailable(reason: string): BridgekeepError {
  return new BridgekeepError(
    'KEYCHAIN_UNAVAILABLE',
    `No keychain is reachable: ${reason}.`,
    linux
      ? `Start your desktop's keyring (e.g. GNOME Keyring/KWallet), ${FALLBACK}`
      : `Check that your login keychain is available, ${FALLBACK}`,
  )
}

export function keychainLocked(): BridgekeepError {
  return new BridgekeepError(
    'KEYCHAIN_LOCKED',
    'Your keyring is locked (or its unlock prompt was dismissed).',
    'Unlock your keyring and try again, or use your recovery key.',
  )
}

export function noDefaultKeyring(): BridgekeepError {
  return new BridgekeepError(
    'KEYCHAIN_UNAVAILABLE',
    'Your keyring has no default collection to keep the vault key in.',
    `Create a default keyring (e.g. "Login" in Passwords and Keys), ${FALLBACK}`,
  )
}

export function damagedItem(): BridgekeepError {
  // ITEM_MISSING on purpose: the vault treats it like a lost item (recovery key, then a new one).
  return new BridgekeepError(
    'KEYCHAIN_ITEM_MISSING',
    'The keychain item for this vault does not hold a Bridgekeep key (it was changed or damaged).',
    'Unlock with your recovery key: Bridgekeep will then store a new key in the keychain.',
  )
}

/** A failure that is not "item missing", as the error to show. */
export function toBridgekeepError(failure: KeychainFailure): BridgekeepError {
  switch (failure.kind) {
    case 'no-session':
      return keychainUnavailable('there is no D-Bus session to reach the Secret Service through')
    case 'no-service':
      return keychainUnavailable('no Secret Service (keyring daemon) is running in this session')
    case 'locked':
      return keychainLocked()
    case 'not-found':
      return keychainUnavailable('the keychain found nothing to use')
    case 'other':
      return keychainUnavailable(`the keychain failed (${failure.reason})`)
  }
}

/**
 * The library's message cut to one short line. Its messages carry no secrets, but anything
 * long and key-like is blanked anyway, since this text ends up on screen and in logs.
 */
export function safeReason(message: string): string {
  const line = (message.split(/\r?\n/)[0] ?? '')
    .replace(/^(Platform failure|Couldn't access platform storage):\s*/i, '')
    .replace(/[A-Za-z0-9+/=_-]{24,}/g, '…')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
  const short = line.length > 120 ? `${line.slice(0, 119)}…` : line
  return short || 'unknown error'
}
