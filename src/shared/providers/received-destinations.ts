import { borrowingOf } from './borrowing'
import { getProvider } from './catalog'
import type { AuthMode, FieldSpec } from './types'

/**
 * A connection received from someone else (a share) carries settings its sender chose. Where it
 * acts with credentials of the RECIPIENT — another connection of theirs it borrows by slug (ECR's
 * or a state backend's `aws_connection`, `gcp_connection`), or the recipient's machine's own
 * identity (a runner mode, a state backend naming no connection) — its endpoint overrides and its
 * CA certificate would decide where those credentials go: the sender's server would get a
 * Google access token (a bearer credential), a signed Google assertion, an Azure client secret of
 * the runner's environment, or SigV4 requests signed with the recipient's AWS keys (the secret
 * key is not sent, the session token and a signature for the sender's host are). So such a
 * connection is used only with its provider's own endpoints, over https, with the system's CAs.
 * A received connection acting with its own stored keys (the sender's) is not limited: those
 * credentials are the sender's to send where they like.
 */

/** The provider's own hosts, by the cloud whose credentials a connection acts with. */
const OWN_DOMAINS: Readonly<Record<string, { cloud: string; domains: readonly string[] }>> = {
  aws: { cloud: 'AWS', domains: ['amazonaws.com', 'amazonaws.com.cn', 'api.aws'] },
  gcp: { cloud: 'Google Cloud', domains: ['googleapis.com'] },
  azure: {
    cloud: 'Azure',
    domains: ['microsoftonline.com', 'microsoftonline.us', 'chinacloudapi.cn'],
  },
}
const CLOUD_OF: Readonly<Record<string, string>> = {
  aws: 'aws',
  ecr: 'aws',
  's3-state': 'aws',
  gcp: 'gcp',
  gar: 'gcp',
  'gcs-state': 'gcp',
  azure: 'azure',
}

export interface ReceivedConnection {
  name: string
  slug: string
  provider: string
  authMode: string
  config: Readonly<Record<string, string>>
  /** The secret fields it stores (values or references): its own credentials, if any. */
  storedSecrets: readonly string[]
  /** Who sent it. */
  sharedBy: string
  /** Use-only: the recipient cannot edit it. */
  useOnly: boolean
}

/** Why `connection`, received from someone else, may not be used as it is; undefined when it may. */
export function receivedDestinationProblem(
  connection: ReceivedConnection,
): { message: string; hint: string } | undefined {
  const cloudId = CLOUD_OF[connection.provider]
  const spec = getProvider(connection.provider)
  if (!cloudId || !spec) return undefined
  const whose = recipientCredentials(connection, spec.fields)
  if (!whose) return undefined
  const { cloud, domains } = OWN_DOMAINS[cloudId]!
  const applies = (field: FieldSpec) =>
    !field.authModes || field.authModes.includes(connection.authMode as AuthMode)
  for (const field of spec.fields.filter(applies)) {
    const value = connection.config[field.key]
    if (!value) continue
    const chosen =
      field.key === 'ca_certificate'
        ? 'its CA certificate'
        : field.input === 'url' && !ownEndpoint(value, domains)
          ? `its ${field.label} (${origin(value)})`
          : undefined
    if (!chosen) continue
    const what = field.key === 'ca_certificate' ? 'its CA certificate' : `the ${field.label}`
    const fix = connection.useOnly
      ? `Ask ${connection.sharedBy} to share it without ${what}`
      : `Clear ${what} of ${connection.name} (bridgekeep edit ${connection.slug}, or Edit in the app)`
    return {
      message: `${connection.name} came from ${connection.sharedBy}'s share, and ${chosen} was chosen by the sender, while it acts with ${whose}.`,
      hint: `A connection received from someone else uses credentials of yours only with ${cloud}'s own endpoints (https, ${domains.map((d) => `*.${d}`).join(', ')}) and the system's CAs. ${fix}, or add your own ${spec.label} connection for ${field.key === 'ca_certificate' ? 'that CA' : 'that endpoint'}.`,
    }
  }
  return undefined
}

/** Whose credentials of the recipient the connection acts with, or undefined for its own. */
function recipientCredentials(
  connection: ReceivedConnection,
  fields: readonly FieldSpec[],
): string | undefined {
  const borrowing = borrowingOf(connection.provider)
  const lent = borrowing && connection.config[borrowing.field]
  if (borrowing && lent)
    return `your ${OWN_DOMAINS[borrowing.provider]?.cloud ?? borrowing.provider} connection ${lent}`
  const own = fields.some((field) => field.secret && connection.storedSecrets.includes(field.key))
  const machine = `this machine's own ${OWN_DOMAINS[CLOUD_OF[connection.provider]!]!.cloud} identity (the runner's)`
  if (connection.authMode === 'sso') return 'your IAM Identity Center sign-in'
  if (connection.authMode === 'runner-delegated') return machine
  // Cross-account without base keys, and a state backend naming no connection: the runner's.
  return own ? undefined : machine
}

function ownEndpoint(value: string, domains: readonly string[]): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  const host = url.hostname.toLowerCase()
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    url.username === '' &&
    domains.some((domain) => host === domain || host.endsWith(`.${domain}`))
  )
}

/** The endpoint as a message may show it: its origin (never a path, query or user). */
function origin(value: string): string {
  try {
    return new URL(value).origin
  } catch {
    return 'not a URL'
  }
}
