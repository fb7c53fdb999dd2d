import { BridgekeepError } from '../../../shared/errors'
import type { TeamState } from './change-chain'
import type { TeamConnection } from './connection-changes'
import { shortKey } from './signed-chain'

/** A team connection as commands show it: never a secret, never a key. */
export interface TeamConnectionView {
  id: string
  name: string
  provider: string
  authMode: string
  version: number
  fields: Record<string, string>
  environments: string[]
  /** Who wrote the current version, and when they said they did. */
  updatedBy: string
  updatedAt: string
  /** Why it cannot be used (its sealed secrets missing or edited in the database). */
  problem?: string
}

export function connectionView(
  connection: TeamConnection,
  state: TeamState,
  problem?: string,
): TeamConnectionView {
  return {
    id: connection.id,
    name: connection.name,
    provider: connection.provider,
    authMode: connection.authMode,
    version: connection.version,
    fields: connection.fields,
    environments: connection.environments,
    updatedBy: authorName(connection.author, state),
    updatedAt: connection.at,
    ...(problem ? { problem } : {}),
  }
}

function authorName(signingKey: string, state: TeamState): string {
  return state.members.get(signingKey)?.name ?? `a former member (${shortKey(signingKey)})`
}

/**
 * A push over a version this vault has not synced: refused, with the other version shown (who
 * wrote it, when, and the non-secret fields that differ from the local connection).
 */
export function conflictError(
  team: string,
  local: { name: string; provider: string; authMode: string; config: Record<string, string> },
  current: TeamConnection | undefined,
  base: TeamConnection | undefined,
  state: TeamState,
): BridgekeepError {
  const synced = base
    ? `this vault last synced version ${base.version}`
    : 'this vault never synced it'
  if (!current)
    return new BridgekeepError(
      'CONFLICT',
      `Connection ${local.name} was removed from team ${team} (or renamed) since ${synced}. Nothing was pushed.`,
      'Run bridgekeep team sync to see the team as it is now, then push again to add it anew.',
    )
  const differences = differingFields(local, current)
  return new BridgekeepError(
    'CONFLICT',
    `Connection ${current.name} in team ${team} is at version ${current.version}, written by ${authorName(current.author, state)} at ${current.at}, and ${synced}: pushing would overwrite it. Nothing was pushed.` +
      (differences.length
        ? ` Non-secret fields that differ (team / yours): ${differences.join('; ')}.`
        : ' Its non-secret fields are the same as yours (its secrets may differ).'),
    'Run bridgekeep team sync to take the other version into account, then push again if yours should replace it.',
  )
}

function differingFields(
  local: { provider: string; authMode: string; config: Record<string, string> },
  current: TeamConnection,
): string[] {
  const team: Record<string, string> = {
    provider: current.provider,
    authMode: current.authMode,
    ...current.fields,
  }
  const mine: Record<string, string> = {
    provider: local.provider,
    authMode: local.authMode,
    ...local.config,
  }
  const shown = (value: string | undefined) =>
    value === undefined ? '(none)' : JSON.stringify(value.slice(0, 60))
  return [...new Set([...Object.keys(team), ...Object.keys(mine)])]
    .filter((key) => team[key] !== mine[key])
    .sort()
    .map((key) => `${key}: ${shown(team[key])} / ${shown(mine[key])}`)
}
