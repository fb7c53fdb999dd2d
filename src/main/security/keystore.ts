import type * as Keyring from '@napi-rs/keyring'
import { createRequire } from 'node:module'
import {
  classifyKeychainError,
  damagedItem,
  keychainLocked,
  keychainUnavailable,
  noDefaultKeyring,
  safeReason,
  toBridgekeepError,
} from './keychain-errors'

/**
 * Where the keychain-held key-encryption key lives. One item per account; the value is the key
 * as base64 text, which every platform store accepts and a person can recognise in Seahorse.
 */
export interface KeyStore {
  readonly kind: 'secret-service' | 'macos-keychain' | 'windows-credential-manager' | 'memory'
  /** The stored key, or null when the item does not exist. */
  read(account: string): Promise<Buffer | null>
  write(account: string, key: Buffer): Promise<void>
  /** No error if the item is already absent. */
  remove(account: string): Promise<void>
}

export const KEYCHAIN_SERVICE = 'dev.bridgekeep.vault'

/**
 * The OS keychain through @napi-rs/keyring. On Linux the entry is pinned to the Secret Service:
 * left to itself the library silently falls back to the kernel keyutils keyring, which forgets
 * everything at reboot, and a vault whose key vanished at reboot looks like data loss.
 */
export function createOsKeyStore(service: string = KEYCHAIN_SERVICE): KeyStore {
  return new OsKeyStore(service)
}

class OsKeyStore implements KeyStore {
  readonly kind = platformKind()

  constructor(private readonly service: string) {}

  async read(account: string): Promise<Buffer | null> {
    const text = await this.use(account, (entry) => entry.getPassword(), {
      // An empty or missing collection answers "no result found": nothing is stored.
      notFound: () => null,
    })
    return text === null ? null : decodeKey(text)
  }

  async write(account: string, key: Buffer): Promise<void> {
    if (!Buffer.isBuffer(key) || key.length === 0) {
      throw new RangeError('Cannot store an empty key.')
    }
    await this.use(account, (entry) => entry.setPassword(key.toString('base64')), {
      // Writing goes to the default collection; "no result found" means there is none.
      notFound: () => {
        throw noDefaultKeyring()
      },
    })
  }

  async remove(account: string): Promise<void> {
    await this.use(account, (entry) => entry.deleteCredential(), { notFound: () => false })
  }

  /**
   * Runs one operation on a fresh entry. Constructing the entry is where a missing D-Bus session
   * or Secret Service shows up (it throws), so that happens inside the error mapping; a fresh
   * entry per call also survives a keyring daemon restart.
   */
  private async use<T>(
    account: string,
    operation: (entry: Keyring.AsyncEntry) => Promise<T>,
    handlers: { notFound: () => T },
  ): Promise<T> {
    if (typeof account !== 'string' || account.length === 0) {
      throw new TypeError('A keychain account name is required.')
    }
    const { AsyncEntry } = await loadKeyring()
    try {
      return await operation(new AsyncEntry(this.service, account, ENTRY_OPTIONS))
    } catch (error) {
      const failure = classifyKeychainError(error)
      if (failure.kind === 'not-found') return handlers.notFound()
      throw toBridgekeepError(failure)
    }
  }
}

// Pins Linux to the Secret Service (ignored elsewhere): if it is unreachable the entry throws.
const ENTRY_OPTIONS: Keyring.EntryOptions = { linux: { store: 'secret-service' } }

let keyring: Promise<typeof Keyring> | undefined

/**
 * Loaded on first use, so a missing or broken native binary costs only the keychain (recovery key
 * and passphrase still work) instead of the whole app at startup. Through `require`, not
 * `import()`: a dynamic import starts Node's ESM loader, which a CLI call (credential_process
 * runs on every AWS call) would pay for on top of loading the library itself.
 */
function loadKeyring(): Promise<typeof Keyring> {
  keyring ??= new Promise<typeof Keyring>((resolve) =>
    resolve(createRequire(__filename)('@napi-rs/keyring') as typeof Keyring),
  ).catch((error: unknown) => {
    keyring = undefined
    const reason = safeReason(error instanceof Error ? error.message : String(error))
    throw keychainUnavailable(`the keychain library could not be loaded (${reason})`)
  })
  return keyring
}

function platformKind(): KeyStore['kind'] {
  if (process.platform === 'darwin') return 'macos-keychain'
  if (process.platform === 'win32') return 'windows-credential-manager'
  return 'secret-service'
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function decodeKey(text: string): Buffer {
  const trimmed = text.trim()
  if (trimmed.length === 0 || !base64.test(trimmed)) throw damagedItem()
  return Buffer.from(trimmed, 'base64')
}

/**
 * In-memory keychain for tests and benchmarks. `failWith` makes every call fail the way a real
 * keychain would (locked, unreachable), so callers' fallbacks can be tested without one.
 */
export class MemoryKeyStore implements KeyStore {
  readonly kind = 'memory' as const
  private readonly items = new Map<string, Buffer>()
  private failure: 'locked' | 'unavailable' | null = null

  failWith(failure: 'locked' | 'unavailable' | null): void {
    this.failure = failure
  }

  async read(account: string): Promise<Buffer | null> {
    this.check()
    const key = this.items.get(account)
    return key ? Buffer.from(key) : null
  }

  async write(account: string, key: Buffer): Promise<void> {
    this.check()
    // Copies both ways: callers may zero their buffers after use.
    this.items.set(account, Buffer.from(key))
  }

  async remove(account: string): Promise<void> {
    this.check()
    this.items.delete(account)
  }

  private check(): void {
    if (this.failure === 'locked') throw keychainLocked()
    if (this.failure === 'unavailable') throw keychainUnavailable('this is a simulated failure')
  }
}
