import { readFileSync } from 'node:fs'
import { writeFileAtomic } from '../../fs/atomic-write'
import { decryptField, encryptField, IntegrityError } from '../../security/envelope'
import type { Vault } from '../vault/vault'

/** Where an IAM Identity Center instance is reached; the endpoints are overrides (tests, VPC). */
export interface SsoInstance {
  startUrl: string
  region: string
  oidcEndpoint?: string
  portalEndpoint?: string
}

/**
 * One sign-in to an IAM Identity Center instance: the OIDC client Bridgekeep registered (reused
 * until it expires, as AWS asks) and the tokens the device flow gave. Shared by every connection
 * of that start URL and region, so one sign-in serves all its accounts and permission sets.
 */
export interface SsoSession extends SsoInstance {
  client: { clientId: string; clientSecret: string; expiresAt: string }
  token?: { accessToken: string; expiresAt: string; refreshToken?: string }
}

const FORMAT = 1

interface StoreFile {
  format: typeof FORMAT
  /** Sealed SsoSession JSON (base64), by sessionKey. */
  sessions: Record<string, string>
}

const sessionKey = (instance: Pick<SsoInstance, 'startUrl' | 'region'>): string =>
  `${instance.region} ${instance.startUrl}`

/**
 * The SSO sessions, in a file beside the vault (sso-sessions.json, 0600), each sealed with the
 * vault's data key and bound to the vault and the instance, so the client secret and tokens are
 * never on disk in the clear and an entry copied under another instance's name does not open.
 * A file, like the issued-credentials cache: losing it costs one sign-in, not data, and it needs
 * no migration. A damaged entry reads as "not signed in".
 */
export class SsoSessionStore {
  constructor(private readonly options: { path: string; vault: Vault }) {}

  get(instance: Pick<SsoInstance, 'startUrl' | 'region'>): SsoSession | undefined {
    const key = sessionKey(instance)
    const sealed = this.read().sessions[key]
    if (!sealed) return undefined
    try {
      const text = decryptField(
        this.options.vault.requireKey(),
        Buffer.from(sealed, 'base64'),
        this.binding(key),
      )
      return JSON.parse(text) as SsoSession
    } catch (error) {
      if (error instanceof IntegrityError || error instanceof SyntaxError) return undefined
      throw error
    }
  }

  /** The instances with a session kept (signed in, or only a registered client left). */
  instances(): Pick<SsoInstance, 'startUrl' | 'region'>[] {
    return Object.keys(this.read().sessions).flatMap((key) => {
      const space = key.indexOf(' ')
      return space > 0 ? [{ region: key.slice(0, space), startUrl: key.slice(space + 1) }] : []
    })
  }

  put(session: SsoSession): void {
    const key = sessionKey(session)
    const file = this.read()
    const sealed = encryptField(
      this.options.vault.requireKey(),
      JSON.stringify(session),
      this.binding(key),
    )
    file.sessions[key] = sealed.toString('base64')
    writeFileAtomic(this.options.path, `${JSON.stringify(file)}\n`, 0o600)
  }

  private binding(key: string) {
    return {
      vaultId: this.options.vault.vaultId(),
      connectionId: 'aws-sso-session',
      field: `aws-sso:${key}`,
      secretVersion: 1,
    }
  }

  private read(): StoreFile {
    try {
      const parsed = JSON.parse(readFileSync(this.options.path, 'utf8')) as Partial<StoreFile>
      if (parsed?.format === FORMAT && typeof parsed.sessions === 'object' && parsed.sessions)
        return { format: FORMAT, sessions: { ...parsed.sessions } }
    } catch {
      // missing or unreadable: no sessions
    }
    return { format: FORMAT, sessions: {} }
  }
}
