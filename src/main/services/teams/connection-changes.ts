import { z } from 'zod'
import { connectionNameSchema } from '../../../shared/connections'
import { getProvider } from '../../../shared/providers/catalog'

/**
 * A team's connections as its signed change log says they are: each version's name, provider,
 * non-secret fields and the SHA-256 of its sealed secrets (which pins the ciphertext the
 * database holds), and the environments it may be used in (the team's matrix). Only admins
 * write these changes; change-chain.ts checks that and calls `applyConnectionChange` for the
 * rest. A change that does not fit (a stale base version, a version that does not increase, a
 * name taken by another connection…) is refused and named, never applied.
 */
const connectionId = z.string().uuid()
const version = z.number().int().min(1).max(2_147_483_647)
/** Team environments are names every member's vault can match: lowercase slugs. */
export const teamEnvironmentSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/)

export const connectionChangeBodies = {
  'connection.put': z
    .object({
      connectionId,
      version,
      /** The version this change replaces: 0 for a new connection. */
      baseVersion: z.number().int().min(0).max(2_147_483_647),
      name: connectionNameSchema,
      provider: z.string().regex(/^[a-z0-9-]{1,40}$/),
      authMode: z.string().regex(/^[a-z0-9-]{1,40}$/),
      /** The NON-secret fields only: secrets are sealed, never in a change. */
      fields: z.record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/), z.string().max(20_000)),
      secretsHash: z.string().regex(/^[0-9a-f]{64}$/),
      /** When the author wrote it, by their own clock (signed, so shown with the version). */
      at: z.string().datetime(),
    })
    .strict(),
  'connection.remove': z
    .object({ connectionId, baseVersion: z.number().int().min(1).max(2_147_483_647) })
    .strict(),
  'connection.environments': z
    .object({ connectionId, environments: z.array(teamEnvironmentSchema).max(200) })
    .strict(),
}
export type ConnectionChangeKind = keyof typeof connectionChangeBodies
type Body<K extends ConnectionChangeKind> = z.infer<(typeof connectionChangeBodies)[K]>

export interface TeamConnection {
  id: string
  name: string
  provider: string
  authMode: string
  fields: Record<string, string>
  version: number
  secretsHash: string
  /** Where the team allows it to be used (lowercase environment names); none at first. */
  environments: string[]
  /** Who wrote the current version (signing key), when they said, and in which change. */
  author: string
  at: string
  seq: number
}

export interface TeamConnections {
  live: Map<string, TeamConnection>
  /** Removed connection ids: never brought back under the same id. */
  removed: Set<string>
  /**
   * Live connections' ids by lowercase name (a name belongs to one connection at a time): a
   * lookup per change, not a scan of every connection (a replay of 5,000 was O(n²)).
   */
  names: Map<string, string>
}

export function emptyConnections(): TeamConnections {
  return { live: new Map(), removed: new Set(), names: new Map() }
}

export function isConnectionChange(kind: string): kind is ConnectionChangeKind {
  return kind in connectionChangeBodies
}

/** Applies a parsed, admin-signed change to `state`, or says why it is refused. */
export function applyConnectionChange(
  kind: ConnectionChangeKind,
  body: unknown,
  row: { seq: number; author: string },
  state: TeamConnections,
): string | undefined {
  switch (kind) {
    case 'connection.put':
      return put(body as Body<'connection.put'>, row, state)
    case 'connection.remove': {
      const { connectionId: id, baseVersion } = body as Body<'connection.remove'>
      const current = state.live.get(id)
      if (!current) return `connection ${id} is not in the team`
      if (baseVersion !== current.version)
        return `it removes version ${baseVersion} of "${current.name}", but the current version is ${current.version}`
      state.live.delete(id)
      state.names.delete(current.name.toLowerCase())
      state.removed.add(id)
      return undefined
    }
    case 'connection.environments': {
      const { connectionId: id, environments } = body as Body<'connection.environments'>
      const current = state.live.get(id)
      if (!current) return `connection ${id} is not in the team`
      current.environments = [...new Set(environments)].sort()
      return undefined
    }
  }
}

function put(
  change: Body<'connection.put'>,
  row: { seq: number; author: string },
  state: TeamConnections,
): string | undefined {
  const id = change.connectionId
  if (state.removed.has(id)) return `connection ${id} was removed; it cannot come back`
  const current = state.live.get(id)
  const currentVersion = current?.version ?? 0
  if (change.baseVersion !== currentVersion)
    return current
      ? `it replaces version ${change.baseVersion} of "${current.name}", but the current version is ${currentVersion}`
      : `it replaces version ${change.baseVersion} of a connection the team does not have`
  if (change.version <= currentVersion)
    return `its version ${change.version} does not increase (the current version is ${currentVersion})`
  if (current && current.provider !== change.provider)
    return `it changes the provider of "${current.name}" (a connection keeps its provider)`
  if (!getProvider(change.provider)) return `its provider ${change.provider} is unknown`
  const name = change.name.toLowerCase()
  const holder = state.names.get(name)
  if (holder !== undefined && holder !== id)
    return `the name "${change.name}" is taken by another connection of the team`
  if (current) state.names.delete(current.name.toLowerCase())
  state.names.set(name, id)
  state.live.set(id, {
    id,
    name: change.name,
    provider: change.provider,
    authMode: change.authMode,
    fields: change.fields,
    version: change.version,
    secretsHash: change.secretsHash,
    environments: current?.environments ?? [],
    author: row.author,
    at: change.at,
    seq: row.seq,
  })
  return undefined
}
