import { createHmac, hkdfSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { writeFileAtomic } from '../../fs/atomic-write'
import {
  decryptField,
  encryptField,
  IntegrityError,
  type FieldBinding,
} from '../../security/envelope'
import type { Vault } from '../vault/vault'
import type { CredentialSubject, IssuedCache, IssuedCredentials } from './issuer'

/** Sessions are renewed this long before they expire, so no tool starts with a dying one. */
export const REFRESH_BEFORE_MS = 5 * 60_000

const FORMAT = 1

/** The cache's file in the data folder. */
export const CREDENTIAL_CACHE_FILE = 'credential-cache.json'

interface CacheEntry {
  secretVersion: number
  /**
   * A keyed digest of the secrets the session was issued from. A version's secret may be a
   * reference read at each use (an env variable, a file, a command): when what it reads changes,
   * the session issued from the old value must not be handed out for the new one.
   */
  secretsTag: string
  expiresAt: string
  /** base64 of the sealed IssuedCredentials JSON. */
  sealed: string
}

interface CacheFile {
  format: typeof FORMAT
  entries: Record<string, CacheEntry>
}

export interface SessionCacheOptions {
  /** The cache file, in the data folder beside the vault (e.g. credential-cache.json). */
  path: string
  vault: Vault
  now?: () => Date
  refreshBeforeMs?: number
}

/**
 * Short-lived credentials (STS sessions) kept between CLI runs, so `credential-process` and `exec`
 * do not call STS every time. A file rather than a table: it is a cache (losing it costs one STS
 * call), it needs no migration, and concurrent CLI processes only ever replace it whole (atomic
 * rename; the last writer wins). Each entry is sealed with the vault's data key (AES-256-GCM via
 * envelope.ts), bound to the vault, connection, issuer, environment and secret version, so an
 * entry moved to another key or left over from before a rotation never decrypts; the file is 0600.
 * A damaged or foreign entry is treated as a miss and replaced.
 */
export class SessionCache implements IssuedCache {
  private readonly now: () => Date
  private readonly refreshBeforeMs: number

  constructor(private readonly options: SessionCacheOptions) {
    this.now = options.now ?? (() => new Date())
    this.refreshBeforeMs = options.refreshBeforeMs ?? REFRESH_BEFORE_MS
  }

  get(issuerId: string, subject: CredentialSubject): IssuedCredentials | undefined {
    const entry = this.read().entries[entryKey(issuerId, subject)]
    if (!entry || entry.secretVersion !== subject.secretVersion) return undefined
    if (entry.secretsTag !== this.secretsTag(subject)) return undefined
    if (!this.fresh(entry.expiresAt)) return undefined
    try {
      const text = decryptField(
        this.options.vault.requireKey(),
        Buffer.from(entry.sealed, 'base64'),
        this.binding(issuerId, subject),
      )
      const issued = JSON.parse(text) as IssuedCredentials
      // The plain expiry (kept for pruning) must agree with the sealed one.
      return issued.expiresAt === entry.expiresAt ? issued : undefined
    } catch (error) {
      if (error instanceof IntegrityError || error instanceof SyntaxError) return undefined
      throw error
    }
  }

  put(issuerId: string, subject: CredentialSubject, issued: IssuedCredentials): void {
    if (!issued.expiresAt) return
    const file = this.read()
    const now = this.now().getTime()
    for (const [key, entry] of Object.entries(file.entries))
      if (!(Date.parse(entry.expiresAt) > now)) delete file.entries[key]
    const sealed = encryptField(
      this.options.vault.requireKey(),
      JSON.stringify(issued),
      this.binding(issuerId, subject),
    )
    file.entries[entryKey(issuerId, subject)] = {
      secretVersion: subject.secretVersion,
      secretsTag: this.secretsTag(subject),
      expiresAt: issued.expiresAt,
      sealed: sealed.toString('base64'),
    }
    writeFileAtomic(this.options.path, `${JSON.stringify(file)}\n`, 0o600)
  }

  /**
   * Drops the entries of one issuer whose credentials `match` (an IAM Identity Center sign-out
   * forgets the role credentials of its connections); returns how many. Entries that do not open
   * are left to expire.
   */
  forget(issuerId: string, match: (issued: IssuedCredentials) => boolean): number {
    const file = this.read()
    let forgotten = 0
    for (const [key, entry] of Object.entries(file.entries)) {
      const [issuer, connectionId, environmentId] = key.split('/')
      if (issuer !== issuerId || !connectionId || !environmentId) continue
      try {
        const text = decryptField(
          this.options.vault.requireKey(),
          Buffer.from(entry.sealed, 'base64'),
          this.binding(issuerId, {
            connection: { id: connectionId },
            environment: { id: environmentId },
            secretVersion: entry.secretVersion,
          }),
        )
        if (!match(JSON.parse(text) as IssuedCredentials)) continue
      } catch (error) {
        if (error instanceof IntegrityError || error instanceof SyntaxError) continue
        throw error
      }
      delete file.entries[key]
      forgotten += 1
    }
    if (forgotten > 0) writeFileAtomic(this.options.path, `${JSON.stringify(file)}\n`, 0o600)
    return forgotten
  }

  private fresh(expiresAt: string): boolean {
    const expiry = Date.parse(expiresAt)
    return Number.isFinite(expiry) && expiry - this.now().getTime() > this.refreshBeforeMs
  }

  /**
   * HMAC-SHA256 of the subject's secrets under a key derived from the vault's data key (never the
   * data key itself): it names a value without revealing it, even a guessable one, to anyone
   * holding the cache file but not the vault.
   */
  private secretsTag(subject: CredentialSubject): string {
    const tagKey = Buffer.from(
      hkdfSync(
        'sha256',
        this.options.vault.requireKey(),
        '',
        'bridgekeep/credential-cache-tag/v1',
        32,
      ),
    )
    try {
      const names = Object.keys(subject.secrets).sort()
      return createHmac('sha256', tagKey)
        .update(JSON.stringify(names.map((name) => [name, subject.secrets[name]])))
        .digest('base64url')
    } finally {
      tagKey.fill(0)
    }
  }

  private binding(issuerId: string, subject: BoundSubject): FieldBinding {
    return {
      vaultId: this.options.vault.vaultId(),
      connectionId: subject.connection.id,
      field: `credential-cache:${issuerId}:${subject.environment.id}`,
      secretVersion: subject.secretVersion,
    }
  }

  private read(): CacheFile {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(this.options.path, 'utf8'))
    } catch {
      return { format: FORMAT, entries: {} } // missing or unreadable: start over
    }
    const file = parsed as Partial<CacheFile>
    if (file?.format !== FORMAT || typeof file.entries !== 'object' || file.entries === null)
      return { format: FORMAT, entries: {} }
    return { format: FORMAT, entries: { ...file.entries } }
  }
}

/** What an entry is bound to: its connection, environment and secret version. */
interface BoundSubject {
  connection: { id: string }
  environment: { id: string }
  secretVersion: number
}

function entryKey(issuerId: string, subject: CredentialSubject): string {
  return `${issuerId}/${subject.connection.id}/${subject.environment.id}`
}
