import { isBridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { UnlockedIdentity } from '../sharing/identity'
import type { TeamMember } from './change-chain'
import type { TeamConnection } from './connection-changes'
import { keyHolders, unwrapForMe, wrapToMembers } from './key-wrap'
import { actorOf, reverifyTeam } from './team-access'
import { openVersion, sealVersion, versionProblem } from './team-connection-versions'
import type { StoredVersion, TeamStore } from './team-database-repository'
import type { TeamSpaceRow } from './team-repository'
import { advanceHead, signChange, type VerifiedTeam } from './team-session'

/** What a connection version says besides its secrets. */
type Described = Pick<TeamConnection, 'id' | 'name' | 'provider' | 'authMode' | 'fields'>

/**
 * Writes a new version of a team connection on top of `team`'s head: `secrets` sealed with a new
 * key wrapped to every full member, and the signed `connection.put`, in one transaction.
 */
export async function writeVersion(
  store: TeamStore,
  team: VerifiedTeam,
  me: UnlockedIdentity,
  connection: Described,
  baseVersion: number,
  secrets: Readonly<Record<string, string>>,
  at: string,
) {
  const version = baseVersion + 1
  const binding = { teamId: team.state.teamId, connectionId: connection.id, version }
  const sealed = await sealVersion(secrets, binding, team.state.members.values())
  const change = signChange(team.state, actorOf(me), 'connection.put', {
    connectionId: connection.id,
    version,
    baseVersion,
    name: connection.name,
    provider: connection.provider,
    authMode: connection.authMode,
    fields: connection.fields,
    secretsHash: sealed.hash,
    at,
  })
  await store.appendConnectionVersion(
    change,
    { connectionId: connection.id, version, ciphertext: sealed.ciphertext },
    sealed.wraps,
  )
  return { version, head: { seq: change.seq, hash: change.hash } }
}

/** Sealed versions by `connectionId/version`. */
export function byVersion(versions: readonly StoredVersion[]): Map<string, StoredVersion> {
  return new Map(versions.map((v) => [`${v.connectionId}/${v.version}`, v]))
}

export const versionKey = (c: TeamConnection) => `${c.id}/${c.version}`

/**
 * After a full member left (removed, or made use-only): every connection gets a new version, a
 * new key wrapped to those who remain, so the person's identity opens no version from now on.
 * Returns every connection they could read (rotate those: nobody can make them forget), and
 * the ones that could not be re-keyed (damaged in the database, named in the log; or all of them
 * when this admin is no longer one): an admin pushes those again.
 */
export async function rekeyAll(
  store: TeamStore,
  row: TeamSpaceRow,
  me: UnlockedIdentity,
  at: string,
  log: Logger,
) {
  let team = await reverifyTeam(store, row)
  const all = [...team.state.connections.live.values()].map((c) => c.name).sort()
  // An admin who just removed or demoted themselves may not write versions any more: another
  // admin must push each connection again.
  if (team.state.members.get(me.address.signingKey)?.role !== 'admin')
    return { rotate: all, failed: all, head: undefined }
  const mine = byVersion(await store.sealedVersions(row.team_id, me.address.signingKey))
  const rekeyed: string[] = []
  const failed: string[] = []
  let head: { seq: number; hash: string } | undefined
  for (const connection of [...team.state.connections.live.values()]) {
    let secrets: Record<string, string>
    try {
      secrets = await openVersion(
        row.team_id,
        connection,
        mine.get(versionKey(connection)),
        me.ageIdentity,
      )
    } catch (error) {
      log.warn('team.rekey-failed', {
        team: row.name,
        connection: connection.name,
        error: (error as Error).message,
      })
      failed.push(connection.name)
      continue
    }
    rekeyed.push(connection.name)
    // Each version is written on the head this admin wrote last (the log is not read again
    // after each of thousands); another admin writing meanwhile is a CONFLICT: read again.
    try {
      head = advanceHead(
        team,
        (await writeVersion(store, team, me, connection, connection.version, secrets, at)).head,
      )
    } catch (error) {
      if (!isBridgekeepError(error) || error.code !== 'CONFLICT') throw error
      team = await reverifyTeam(store, row)
      // A new version written since by another admin was keyed after the member left.
      if (team.state.connections.live.get(connection.id)?.version !== connection.version) continue
      head = advanceHead(
        team,
        (await writeVersion(store, team, me, connection, connection.version, secrets, at)).head,
      )
    }
  }
  return { rotate: [...rekeyed, ...failed].sort(), failed: failed.sort(), head }
}

/**
 * A member who became a full member (added, or raised from use-only) gets the current key of
 * every connection: unwrapped with this admin's identity and wrapped to them. Returns the names
 * that could not be shared (damaged or not wrapped to this admin: push those again).
 */
export async function shareKeysWith(
  store: TeamStore,
  row: TeamSpaceRow,
  me: UnlockedIdentity,
  member: TeamMember,
): Promise<string[]> {
  if (keyHolders([member]).length === 0) return []
  const team = await reverifyTeam(store, row)
  const mine = byVersion(await store.sealedVersions(row.team_id, me.address.signingKey))
  const theirs = byVersion(await store.sealedVersions(row.team_id, member.signingKey))
  const missed: string[] = []
  for (const connection of team.state.connections.live.values()) {
    if (theirs.get(versionKey(connection))?.wrapped) continue
    const stored = mine.get(versionKey(connection))
    const binding = {
      teamId: row.team_id,
      connectionId: connection.id,
      version: connection.version,
    }
    if (versionProblem(connection, stored) || !stored?.wrapped) {
      missed.push(connection.name)
      continue
    }
    const key = await unwrapForMe(stored.wrapped, me.ageIdentity, binding).catch(() => undefined)
    if (!key) {
      missed.push(connection.name)
      continue
    }
    try {
      const wraps = await wrapToMembers(key, binding, [member])
      await store.appendWraps(binding, wraps)
    } finally {
      key.fill(0)
    }
  }
  return missed.sort()
}
