import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { OperationInput } from '../../../shared/operations'
import type { AuditRecorder } from '../audit/audit-service'
import type { Vault } from '../vault/vault'
import {
  oidcClient,
  signInAgain,
  SsoDeviceFlow,
  type DeviceAuthorization,
  type DeviceFlowOptions,
} from './sso-device-flow'
import { SsoPortal, type SsoAccount, type SsoRoleCredentials } from './sso-portal'
import { SsoSessionStore, type SsoInstance, type SsoSession } from './sso-session-store'
import { AWS_SSO_ISSUER } from '../issued-sessions/aws-sso-issuer'
import { CREDENTIAL_CACHE_FILE, SessionCache } from '../issued-sessions/session-cache'

/** A token this close to its expiry is refreshed (or a new sign-in asked for) before use. */
const TOKEN_MARGIN_MS = 5 * 60_000

interface AwsSsoOptions extends DeviceFlowOptions {
  store: SsoSessionStore
  /** Where sign-ins are recorded, from the app and the CLI alike. */
  audit: AuditRecorder
  /** Drops the cached role credentials of an instance's connections; returns how many. */
  forgetCredentials?: (instance: Pick<SsoInstance, 'startUrl' | 'region'>) => number
}

/** What signing out did: whether IAM Identity Center ended the session, what was forgotten here. */
export interface SsoSignOut {
  startUrl: string
  region: string
  /** ended: the portal took the Logout; already-ended: it had refused the token already. */
  portal: 'ended' | 'already-ended' | 'unreachable'
  forgottenCredentials: number
}

/** The IAM Identity Center sign-ins of a vault, kept sealed in sso-sessions.json in its data folder. */
export function awsSsoService(parts: {
  vault: Vault
  audit: AuditRecorder
  appInfo: { dataDir: string }
}): AwsSsoService {
  const store = new SsoSessionStore({
    path: join(parts.appInfo.dataDir, 'sso-sessions.json'),
    vault: parts.vault,
  })
  const cache = new SessionCache({
    path: join(parts.appInfo.dataDir, CREDENTIAL_CACHE_FILE),
    vault: parts.vault,
  })
  const forgetCredentials = (instance: Pick<SsoInstance, 'startUrl' | 'region'>) =>
    cache.forget(
      AWS_SSO_ISSUER,
      ({ config }) =>
        config.sso_start_url === instance.startUrl && config.sso_region === instance.region,
    )
  return new AwsSsoService({ store, audit: parts.audit, forgetCredentials })
}

/**
 * IAM Identity Center for the app, the CLI and exec: signing in with the device flow, listing the
 * accounts and permission sets it gives, and role credentials from the session's token (refreshed
 * when it nears expiry). One session per start URL and region serves every connection made from it.
 */
export class AwsSsoService {
  private readonly pending = new Map<
    string,
    { instance: SsoInstance; wait: () => Promise<SsoSession> }
  >()

  constructor(private readonly options: AwsSsoOptions) {}

  /**
   * Starts signing in: the page and code to show. `signInId` names the wait for `completeSignIn`
   * (the app shows the code between the two calls; the CLI calls both in one go).
   */
  async startSignIn(
    instance: SsoInstance,
  ): Promise<{ signInId: string; authorization: DeviceAuthorization }> {
    const flow = new SsoDeviceFlow(await oidcClient(instance), this.options)
    const started = await flow.start(instance, this.options.store.get(instance))
    const signInId = randomUUID()
    this.pending.set(signInId, { instance, wait: started.approved })
    return { signInId, authorization: started.authorization }
  }

  /**
   * Waits for the user's approval, keeps the session, and lists what it may use. The sign-in is
   * audited either way: the start URL, the region and what it gave access to (IAM Identity
   * Center's device flow names no user; the entry's actor is the OS user), never a token.
   */
  async completeSignIn(
    signInId: string,
  ): Promise<{ instance: SsoInstance; accounts: SsoAccount[] }> {
    const approved = this.pending.get(signInId)
    if (!approved)
      throw new BridgekeepError(
        'NOT_FOUND',
        'This sign-in is not in progress any more (it finished, or the app restarted).',
        'Start signing in again.',
      )
    this.pending.delete(signInId)
    const { instance: asked } = approved
    let session: SsoSession
    try {
      session = await approved.wait()
      this.options.store.put(session)
    } catch (error) {
      // Bridgekeep's own messages name the instance and the cause; anything else only by its name.
      const why = isBridgekeepError(error) ? error.message : (error as Error).name
      this.auditSignIn(asked, 'failure', `Not signed in: ${why}`)
      throw error
    }
    // Signed in from here on, even if the list cannot be read now (it is asked again later).
    const accounts = await this.accountsWith(session).catch((error: unknown) => {
      this.auditSignIn(asked, 'success', 'Signed in; the accounts could not be listed.')
      throw error
    })
    const roles = accounts.reduce((sum, account) => sum + account.roles.length, 0)
    this.auditSignIn(
      asked,
      'success',
      `Signed in: ${plural(accounts.length, 'account')}, ${plural(roles, 'permission set')}.`,
    )
    return { instance: instanceOf(session), accounts }
  }

  private auditSignIn(
    instance: Pick<SsoInstance, 'startUrl' | 'region'>,
    outcome: 'success' | 'failure',
    detail: string,
  ): void {
    this.options.audit.record({
      action: 'aws-sso.sign-in',
      outcome,
      target: { type: 'aws-sso', name: instance.startUrl },
      detail: `${instance.startUrl} (${instance.region}). ${detail}`,
    })
  }

  /** The instances signed in to on this computer. */
  signIns(): Pick<SsoInstance, 'startUrl' | 'region'>[] {
    return this.options.store.instances().filter((each) => this.options.store.get(each)?.token)
  }

  /**
   * Signs out: IAM Identity Center ends the session (Logout), and the token and the cached role
   * credentials of its connections are forgotten here (the registered client is kept, for the
   * next sign-in). Even when the portal cannot be reached the token is forgotten, and the answer
   * says the portal was not told. Audited, naming the instance, never a token.
   */
  async signOut(instance: Pick<SsoInstance, 'startUrl' | 'region'>): Promise<SsoSignOut> {
    const session = this.options.store.get(instance)
    if (!session?.token)
      throw new BridgekeepError(
        'NOT_FOUND',
        `Not signed in to IAM Identity Center ${instance.startUrl} (${instance.region}) on this computer.`,
        'Nothing to sign out of. bridgekeep aws sso logout without --start-url signs out of the one sign-in there is.',
      )
    let portal: SsoSignOut['portal']
    try {
      portal = await (await SsoPortal.open(session)).logout(session.token.accessToken)
    } catch {
      portal = 'unreachable'
    }
    this.options.store.put({ ...session, token: undefined })
    const forgottenCredentials = this.options.forgetCredentials?.(instance) ?? 0
    const told =
      portal === 'unreachable'
        ? `IAM Identity Center could not be reached: the token was forgotten here and stays valid there until ${session.token.expiresAt}.`
        : 'IAM Identity Center ended the session.'
    this.options.audit.record({
      action: 'aws-sso.sign-out',
      outcome: 'success',
      target: { type: 'aws-sso', name: instance.startUrl },
      detail: `${instance.startUrl} (${instance.region}). Signed out: ${told} ${plural(forgottenCredentials, 'cached role credential')} forgotten.`,
    })
    return { startUrl: instance.startUrl, region: instance.region, portal, forgottenCredentials }
  }

  /** The accounts and permission sets of a signed-in instance. */
  async accounts(instance: Pick<SsoInstance, 'startUrl' | 'region'>): Promise<SsoAccount[]> {
    return this.accountsWith(await this.signedIn(instance))
  }

  /** Short-lived credentials of one account and permission set (GetRoleCredentials). */
  async roleCredentials(
    instance: Pick<SsoInstance, 'startUrl' | 'region'>,
    accountId: string,
    roleName: string,
  ): Promise<SsoRoleCredentials> {
    const session = await this.signedIn(instance)
    const portal = await SsoPortal.open(session)
    return portal.roleCredentials(session.token!.accessToken, accountId, roleName)
  }

  /**
   * What verify sends the runner for an `sso` connection: its role credentials as temporary keys,
   * so the runner's own STS check proves them (the runner never sees the sign-in).
   */
  async verifyInput(config: Record<string, string>): Promise<OperationInput> {
    const credentials = await this.roleCredentials(
      { startUrl: config.sso_start_url ?? '', region: config.sso_region ?? '' },
      config.sso_account_id ?? '',
      config.sso_role_name ?? '',
    )
    return {
      provider: 'aws',
      authMode: 'inline',
      // The keys are checked as stored temporary keys are; the sign-in's fields mean nothing there.
      config: Object.fromEntries(Object.entries(config).filter(([key]) => !key.startsWith('sso_'))),
      secrets: {
        access_key_id: credentials.accessKeyId,
        secret_access_key: credentials.secretAccessKey,
        session_token: credentials.sessionToken,
      },
    }
  }

  private async accountsWith(session: SsoSession): Promise<SsoAccount[]> {
    const portal = await SsoPortal.open(session)
    return portal.accounts(session.token!.accessToken)
  }

  /** The session with a usable token: as stored, refreshed, or "sign in again". */
  private async signedIn(instance: Pick<SsoInstance, 'startUrl' | 'region'>): Promise<SsoSession> {
    const session = this.options.store.get(instance)
    if (!session?.token) throw signInAgain(instance, 'not signed in on this computer.')
    const now = (this.options.now ?? (() => new Date()))().getTime()
    if (Date.parse(session.token.expiresAt) - now > TOKEN_MARGIN_MS) return session
    const flow = new SsoDeviceFlow(await oidcClient(session), this.options)
    const refreshed = await flow.refresh(session)
    if (!refreshed) throw signInAgain(instance, 'the sign-in has expired.')
    this.options.store.put(refreshed)
    return refreshed
  }
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`

function instanceOf(session: SsoSession): SsoInstance {
  const { startUrl, region, oidcEndpoint, portalEndpoint } = session
  return {
    startUrl,
    region,
    ...(oidcEndpoint ? { oidcEndpoint } : {}),
    ...(portalEndpoint ? { portalEndpoint } : {}),
  }
}
