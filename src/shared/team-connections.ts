import { z } from 'zod'
import { issuedCredentialsSchema } from './operations'
import { teamRoles } from './teams'
import { azureTokenVariables, googleTokenVariables } from './token-variables'

/**
 * Connections in a team space, as the renderer and main agree on them (docs/teams.md): names,
 * providers, non-secret fields, versions and the team's matrix. Never a secret, never a key.
 */

const teamName = z.string().trim().min(1, 'Team: required.').max(100)
/** Team environments are matched by name; the service says what a valid one looks like. */
const environments = z.array(z.string().trim().min(1).max(63)).max(100)

export const teamConnectionRefSchema = z.object({ team: teamName }).strict()

export const pushTeamConnectionSchema = z
  .object({
    team: teamName,
    /** One of this vault's connections (slug or name). */
    connection: z.string().trim().min(1, 'Connection: choose one of yours.').max(200),
    /** Where the team may use it; absent keeps the environments a new version had. */
    environments: environments.optional(),
  })
  .strict()
export type PushTeamConnectionInput = z.infer<typeof pushTeamConnectionSchema>

export const setTeamEnvironmentsSchema = z
  .object({
    team: teamName,
    name: z.string().trim().min(1, 'Connection: required.').max(200),
    allow: environments.optional(),
    deny: environments.optional(),
  })
  .strict()
export type SetTeamEnvironmentsInput = z.infer<typeof setTeamEnvironmentsSchema>

export const teamConnectionViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  authMode: z.string(),
  version: z.number().int(),
  /** Non-secret fields (hosts, users, regions); empty for a use-only member. */
  fields: z.record(z.string(), z.string()),
  environments: z.array(z.string()),
  /** Who wrote the current version, and when they said they did. */
  updatedBy: z.string(),
  updatedAt: z.string(),
  /** Why it cannot be used (its sealed secrets missing or edited in the database). */
  problem: z.string().optional(),
})
export type TeamConnectionView = z.infer<typeof teamConnectionViewSchema>

export const teamConnectionListSchema = z.object({
  team: z.string(),
  /** When this vault's copy was last refreshed from the team database; null: never synced. */
  syncedAt: z.string().nullable(),
  connections: z.array(teamConnectionViewSchema),
  warnings: z.array(z.string()),
  /** This vault's role as the copy says (null: not a member in the copy). */
  you: z.enum(teamRoles).nullable(),
})
export type TeamConnectionList = z.infer<typeof teamConnectionListSchema>

export const teamSyncSchema = z.object({
  team: z.string(),
  connections: z.number().int(),
  changes: z.number().int(),
  warnings: z.array(z.string()),
})

export const pushedTeamConnectionSchema = z.object({
  team: z.string(),
  name: z.string(),
  version: z.number().int(),
  created: z.boolean(),
  /** True when the push wrote new secrets over what someone who left could read (rotated). */
  rotated: z.boolean().optional(),
  environments: z.array(z.string()).optional(),
})

export const teamEnvironmentsChangeSchema = z.object({
  team: z.string(),
  name: z.string(),
  environments: z.array(z.string()),
  /** False when the connection already had these environments: nothing was written. */
  changed: z.boolean(),
})

/**
 * A use of a team connection through the team runner: its provider's short-lived credentials (a
 * 15-minute AWS session, a GCP or Azure access token of about an hour).
 */
export const teamCredentialsRequestSchema = z
  .object({
    team: teamName,
    name: z.string().trim().min(1, 'Connection: required.').max(200),
    environment: z.string().trim().min(1, 'Environment: choose one the team allows.').max(63),
    /** How long to wait for a runner to answer (30 s when absent). */
    timeoutSeconds: z.number().int().min(1).max(120).optional(),
  })
  .strict()
export type TeamCredentialsRequest = z.infer<typeof teamCredentialsRequestSchema>

const issuedBy = {
  /** The admin whose runner answered. */
  runner: z.string(),
  /** Non-secret settings the tools need beside a token (project_id; tenant_id, subscription_id, cloud). */
  settings: z.record(z.string(), z.string()).optional(),
}
const [awsSession, gcpToken, azureToken] = issuedCredentialsSchema.options

/**
 * Short-lived credentials a team runner issued to this vault, by kind, shown once: revealing them
 * is the point of the call, so the renderer keeps them only while its dialog is open.
 */
export const teamSessionSchema = z.discriminatedUnion('kind', [
  awsSession.extend(issuedBy),
  gcpToken.extend(issuedBy),
  azureToken.extend(issuedBy),
])
export type TeamSessionView = z.infer<typeof teamSessionSchema>

/** What the credentials are, in words: "AWS session", "GCP access token"... */
export const issuedKindLabels: Record<TeamSessionView['kind'], string> = {
  'aws-session': 'AWS session',
  'gcp-access-token': 'GCP access token',
  'azure-access-token': 'Azure access token',
}

/** The variables tools read the credentials from, as exec sets them for the same kind. */
export function teamSessionVariables(session: TeamSessionView): Record<string, string> {
  const settings = session.settings ?? {}
  if (session.kind === 'gcp-access-token')
    return googleTokenVariables(session.token, settings.project_id)
  if (session.kind === 'azure-access-token') return azureTokenVariables(session.token, settings)
  return {
    AWS_ACCESS_KEY_ID: session.accessKeyId,
    AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
    AWS_SESSION_TOKEN: session.sessionToken,
  }
}

/** The credentials as `export` lines for a POSIX shell, each value single-quoted. */
export function teamSessionExports(session: TeamSessionView): string[] {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`
  return Object.entries(teamSessionVariables(session)).map(
    ([name, value]) => `export ${name}=${quote(value)}`,
  )
}
