import type { z } from 'zod'
import { ssoCreateConnectionsSchema } from '../../../shared/aws-sso'
import type { ConnectionCreate } from '../../../shared/connections'
import { parseInput } from '../../../shared/validation'
import { createAuthorized, type CreateAuthorizedParts } from '../environments/create-authorized'
import type { SsoInstance } from './sso-session-store'

/** An account and permission set chosen from a sign-in's list. */
interface SsoChoice {
  accountId: string
  accountName: string
  roleName: string
}

/**
 * The connections for chosen account × permission set pairs: one each, named "<account name>
 * <permission set>", storing only which account and permission set it is (nothing secret). The
 * CLI's `aws sso add` and the app's sign-in table both create them this way.
 */
export function ssoConnectionForms(
  instance: Pick<SsoInstance, 'startUrl' | 'region'>,
  choices: readonly SsoChoice[],
  options: { defaultRegion?: string; environmentIds?: readonly string[] } = {},
): ConnectionCreate[] {
  return choices.map((choice) => ({
    name: `${choice.accountName} ${choice.roleName}`,
    provider: 'aws',
    authMode: 'sso',
    values: {
      sso_start_url: instance.startUrl,
      sso_region: instance.region,
      sso_account_id: choice.accountId,
      sso_role_name: choice.roleName,
      default_region: options.defaultRegion ?? instance.region,
    },
    environmentIds: [...(options.environmentIds ?? [])],
  }))
}

/** The app's "Create connections" after signing in: created and authorized together, or not at all. */
export function createSsoConnections(
  parts: CreateAuthorizedParts,
  raw: z.input<typeof ssoCreateConnectionsSchema>,
): string[] {
  const input = parseInput(ssoCreateConnectionsSchema, raw)
  return createAuthorized(
    parts,
    ssoConnectionForms(input, input.choices, { environmentIds: input.environmentIds }),
    { confirmProtected: input.confirmProtected === true },
  )
}
