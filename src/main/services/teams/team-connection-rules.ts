import { BridgekeepError } from '../../../shared/errors'
import { getProvider } from '../../../shared/providers/catalog'
import type { ConnectionsService } from '../connections/connections-service'
import type { TeamState } from './change-chain'
import type { VerifiedTeam } from './team-session'
import { teamEnvironmentSchema, type TeamConnection } from './connection-changes'

/** A local connection that may go to a team: live, holding values (not references), not use-only. */
export function pushable(connections: ConnectionsService, ref: string) {
  const summary = connections.findByRef(ref)
  const detail = connections.get(summary.id)
  if (detail.useOnly)
    throw new BridgekeepError(
      'USE_ONLY',
      `${detail.name} was shared with you use-only: its secrets are not yours to give to a team.`,
      'Ask the person who shared it to push it to the team, or to share it with the team members directly. Nothing was pushed.',
    )
  const provider = getProvider(detail.provider)
  const referenced = detail.secrets
    .filter((s) => s.reference !== undefined)
    .map((s) => provider?.fields.find((f) => f.key === s.field)?.label ?? s.field)
  if (referenced.length)
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      `${detail.name} holds a reference instead of a value (${referenced.join(', ')}): a team connection carries values, and your teammates could not read your environment variables, files or commands.`,
      'Give those fields values (bridgekeep edit <connection> --field <field>=...) before pushing. Nothing was pushed.',
    )
  if (detail.integrityError)
    throw new BridgekeepError('VAULT_INTEGRITY', detail.integrityError, 'Nothing was pushed.')
  return detail
}

export function sameName(connection: TeamConnection, name: string): boolean {
  return connection.name.toLowerCase() === name.toLowerCase()
}

/** The team's live connection of that name (names match case-insensitively), if any. */
export function connectionNamed(state: TeamState, name: string): TeamConnection | undefined {
  const id = state.connections.names.get(name.trim().toLowerCase())
  return id === undefined ? undefined : state.connections.live.get(id)
}

export function findConnection(state: TeamState, name: string, team: string): TeamConnection {
  const found = connectionNamed(state, name)
  if (found) return found
  throw new BridgekeepError(
    'NOT_FOUND',
    `Team ${team} has no connection named ${name.trim().slice(0, 100)}.`,
    'See its connections with bridgekeep team connections (after bridgekeep team sync).',
  )
}

/**
 * The connection a member of the team may open in `env`: refused to someone who is no longer a
 * member, for a name the team does not have, to a use-only member (who never holds a key: the
 * team runner serves them), and where the team's matrix does not allow the environment.
 */
export function usableConnection(
  state: TeamState,
  team: string,
  name: string,
  env: string,
  signingKey: string,
): TeamConnection {
  const role = state.members.get(signingKey)?.role
  if (!role)
    throw new BridgekeepError(
      'FORBIDDEN',
      `This vault is no longer a member of ${team}.`,
      'Ask a team admin.',
    )
  const connection = findConnection(state, name, team)
  if (role === 'use-only')
    throw new BridgekeepError(
      'USE_ONLY',
      `You are a use-only member of ${team}: team connections' keys are never given to use-only members.`,
      'Use-only members use team connections through a team runner; ask a team admin to run one.',
    )
  if (!connection.environments.includes(env))
    throw new BridgekeepError(
      'FORBIDDEN',
      `Connection ${connection.name} of team ${team} is not authorized for environment ${env}.`,
      connection.environments.length
        ? `The team allows it in: ${connection.environments.join(', ')}. A team admin can change that: bridgekeep team env ${connection.name} --allow ${env}`
        : `The team allows it in no environment yet. A team admin can: bridgekeep team env ${connection.name} --allow ${env}`,
    )
  return connection
}

/** Environment names as the team's matrix holds them (lowercase), each checked. */
export function teamEnvironments(names: readonly string[]): string[] {
  return [
    ...new Set(
      names.map((raw) => {
        const name = raw.trim().toLowerCase()
        if (!teamEnvironmentSchema.safeParse(name).success)
          throw new BridgekeepError(
            'VALIDATION',
            `Environment ${JSON.stringify(raw.slice(0, 40))} is not a valid team environment: 1 to 63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit.`,
            'For example: --env staging',
          )
        return name
      }),
    ),
  ]
}

/**
 * Secrets are not opened from a log that lost changes this vault verified before: what was cut
 * could be a removal or a denied environment.
 */
export function refuseCutBack(team: VerifiedTeam, name: string): void {
  if (team.seenLost)
    throw new BridgekeepError(
      'TEAM_TAMPERED',
      `The change log of ${name} lost changes this vault verified before: team connections are not opened until they are back. ${team.warnings.find((w) => w.includes('verified before')) ?? ''}`.trim(),
      'Ask the team founder to check the team database and its backups (bridgekeep team verify names what is missing).',
    )
}
