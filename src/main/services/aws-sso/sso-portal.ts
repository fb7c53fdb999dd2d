import type { SSOClient } from '@aws-sdk/client-sso'
import type * as SsoSdk from '@aws-sdk/client-sso'
import { BridgekeepError } from '../../../shared/errors'
import { signInAgain, unreachable } from './sso-device-flow'
import type { SsoInstance } from './sso-session-store'

/** An account the signed-in user may use, with the permission sets assigned to them there. */
export interface SsoAccount {
  accountId: string
  accountName: string
  email?: string
  roles: string[]
}

export interface SsoRoleCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  expiresAt: string
}

/** The AWS access portal API (ListAccounts, ListAccountRoles, GetRoleCredentials) of an instance. */
export class SsoPortal {
  private constructor(
    private readonly client: SSOClient,
    private readonly instance: SsoInstance,
    private readonly sdk: typeof SsoSdk,
  ) {}

  static async open(instance: SsoInstance): Promise<SsoPortal> {
    const sdk = await import('@aws-sdk/client-sso')
    const client = new sdk.SSOClient({
      region: instance.region,
      ...(instance.portalEndpoint ? { endpoint: instance.portalEndpoint } : {}),
    })
    return new SsoPortal(client, instance, sdk)
  }

  /** Every account and its permission sets, following the pages of both lists. */
  async accounts(accessToken: string): Promise<SsoAccount[]> {
    const accounts: SsoAccount[] = []
    let nextToken: string | undefined
    do {
      const page = await this.call(() =>
        this.client.send(new this.sdk.ListAccountsCommand({ accessToken, nextToken })),
      )
      for (const account of page.accountList ?? []) {
        if (!account.accountId) continue
        accounts.push({
          accountId: account.accountId,
          accountName: account.accountName ?? account.accountId,
          ...(account.emailAddress ? { email: account.emailAddress } : {}),
          roles: await this.roles(accessToken, account.accountId),
        })
      }
      nextToken = page.nextToken
    } while (nextToken)
    return accounts
  }

  private async roles(accessToken: string, accountId: string): Promise<string[]> {
    const roles: string[] = []
    let nextToken: string | undefined
    do {
      const page = await this.call(() =>
        this.client.send(
          new this.sdk.ListAccountRolesCommand({ accessToken, accountId, nextToken }),
        ),
      )
      for (const role of page.roleList ?? []) if (role.roleName) roles.push(role.roleName)
      nextToken = page.nextToken
    } while (nextToken)
    return roles
  }

  /** Short-lived credentials of one account and permission set. */
  async roleCredentials(
    accessToken: string,
    accountId: string,
    roleName: string,
  ): Promise<SsoRoleCredentials> {
    const answer = await this.call(
      () =>
        this.client.send(
          new this.sdk.GetRoleCredentialsCommand({ accessToken, accountId, roleName }),
        ),
      { accountId, roleName },
    )
    const credentials = answer.roleCredentials
    if (
      !credentials?.accessKeyId ||
      !credentials.secretAccessKey ||
      !credentials.sessionToken ||
      !credentials.expiration
    )
      throw new BridgekeepError(
        'OPERATION_FAILED',
        'IAM Identity Center answered GetRoleCredentials without credentials.',
        'Check that the endpoint is the AWS access portal, then try again.',
      )
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expiresAt: new Date(credentials.expiration).toISOString(),
    }
  }

  /**
   * Ends the sign-in at IAM Identity Center (Logout), so its token is refused from now on
   * wherever a copy of it is. A token the portal no longer takes was ended already.
   */
  async logout(accessToken: string): Promise<'ended' | 'already-ended'> {
    try {
      await this.client.send(new this.sdk.LogoutCommand({ accessToken }))
      return 'ended'
    } catch (error) {
      if ((error as { name?: string }).name === 'UnauthorizedException') return 'already-ended'
      throw unreachable(this.instance, error)
    }
  }

  private async call<T>(
    send: () => Promise<T>,
    assignment?: { accountId: string; roleName: string },
  ): Promise<T> {
    try {
      return await send()
    } catch (error) {
      const name = (error as { name?: string }).name
      if (name === 'UnauthorizedException')
        throw signInAgain(this.instance, 'the sign-in has expired or was revoked.')
      if (name === 'ForbiddenException' && assignment)
        throw new BridgekeepError(
          'CREDENTIALS_NOT_ISSUED',
          `IAM Identity Center refused permission set ${assignment.roleName} in account ${assignment.accountId}: it is not assigned to you (any more).`,
          'Ask your administrator to assign it, or pick another with bridgekeep aws sso login.',
        )
      throw unreachable(this.instance, error)
    }
  }
}
