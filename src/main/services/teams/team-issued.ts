import { z } from 'zod'
import { BridgekeepError } from '../../../shared/errors'
import {
  issuedCredentialsSchema,
  issuedKinds,
  issuesCredentials,
  type IssuedCredentials,
} from '../../../shared/operations'
import { borrowingOf } from '../../../shared/providers/borrowing'
import { getProvider } from '../../../shared/providers/catalog'
import { keyProject } from '../issued-sessions/access-token-issuer'
import { LEGACY_AWS_SESSION } from './team-requests'

/**
 * What a team runner issues, by the connection's provider: the runner's own issue-credentials
 * (an AWS session, a GCP or Azure access token), for the providers that have one. What it seals
 * to the requester is those credentials, with the non-secret settings the requester's tools need
 * beside them (an Azure token is no use without its tenant and subscription), named by the
 * provider's field keys as exec maps them.
 */

/** The sealed payload of an issued answer. Requesters before `settings` ignore the field. */
export const sealedCredentialsSchema = issuedCredentialsSchema.and(
  z.object({ settings: z.record(z.string(), z.string().max(2_000)).optional() }),
)
export type SealedCredentials = IssuedCredentials & { settings?: Record<string, string> }

const providerLabel = (id: string) => getProvider(id)?.label ?? id

/** Why the runner does not issue `operation` for a connection of `provider`, or undefined. */
export function issueProblem(
  operation: string,
  connection: { name: string; provider: string },
): string | undefined {
  if (!issuesCredentials(connection.provider)) {
    const issuing = [...new Set(Object.keys(issuedKinds).map(providerLabel))].join(', ')
    return `${connection.name} is a ${providerLabel(connection.provider)} connection, which has no short-lived credentials to issue: the team runner issues them for ${issuing} connections. A full member of the team uses ${connection.name} with bridgekeep exec --team.`
  }
  if (operation === LEGACY_AWS_SESSION && issuedKinds[connection.provider] !== 'aws-session')
    return `the request asks for an AWS session (as Bridgekeep did before the team runner issued other kinds), and ${connection.name} is a ${providerLabel(connection.provider)} connection: update Bridgekeep on the machine that asks, then ask again.`
  return undefined
}

/**
 * A connection that borrows another's credentials by naming it (ECR's aws_connection...) names a
 * connection of the admin's own vault, which is not the team's to use: refused before issuing.
 */
export function refuseBorrowing(subject: {
  connection: { name: string; provider: string }
  config: Record<string, string>
}): void {
  const borrowing = borrowingOf(subject.connection.provider)
  const named = borrowing && subject.config[borrowing.field]
  if (named)
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      `${subject.connection.name} uses the credentials of the ${providerLabel(borrowing.provider)} connection ${named.slice(0, 100)} (${borrowing.field}), and the team runner issues from a team connection's own credentials only.`,
      `Ask for ${named.slice(0, 100)} itself, once an admin has pushed it to the team.`,
    )
}

/** The non-secret settings the requester's tools need beside a token (exec's variables). */
export function toolSettings(
  issued: IssuedCredentials,
  subject: { config: Record<string, string>; secrets: Record<string, string> },
): Record<string, string> | undefined {
  const { config } = subject
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(keys.flatMap((key) => (config[key] ? [[key, config[key]]] : [])))
  if (issued.kind === 'azure-access-token') return pick(['tenant_id', 'subscription_id', 'cloud'])
  if (issued.kind === 'gcp-access-token') {
    const project = config.project_id ?? keyProject(subject)
    return project ? { project_id: project } : undefined
  }
  return undefined
}
