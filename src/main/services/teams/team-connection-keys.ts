import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { UnlockedIdentity } from '../sharing/identity'
import type { TeamMember, TeamState } from './change-chain'
import type { TeamConnection } from './connection-changes'
import { keyHolders, unwrapForMe, wrapToMembers } from './key-wrap'
import { actorOf, reverifyTeam } from './team-access'
import { openVersion, sealVersion, versionProblem } from './team-connection-versions'
import type { StoredVersion, TeamStore } from './team-database-repository'
import type { TeamSpaceRow } from './team-repository'
import { findMember } from './team-members'
import { canonicalJson, shortKey } from './signed-chain'
import { advanceHead, signChange, type VerifiedTeam } from './team-session'
import { appendWraps, sealedVersions } from './team-keys-repository'

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

/**
 * Whether the team's current version holds exactly what a push would write (name, provider,
 * auth mode, non-secret fields and secrets, opened with this admin's key): a push run again after
 * its reply was lost, or cut off before its matrix change, then writes no second version.
 */
export async function holdsSame(
  store: TeamStore,
  teamId: string,
  me: UnlockedIdentity,
  current: TeamConnection,
  local: { name: string; provider: string; authMode: string; config: Record<string, string> },
  secrets: Readonly<Record<string, string>>,
): Promise<boolean> {
  const same = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
    canonicalJson(a) === canonicalJson(b)
  if (
    current.name !== local.name ||
    current.provider !== local.provider ||
    current.authMode !== local.authMode ||
    !same(current.fields, local.config)
  )
    return false
  const stored = byVersion(await sealedVersions(store, teamId, me.address.signingKey))
  const opened = await openVersion(teamId, current, stored.get(versionKey(current)), me.ageIdentity)
    .then((values) => same(values, secrets))
    .catch(() => false)
  return opened
}

/** Sealed versions by `connectionId/version`. */
export function byVersion(versions: readonly StoredVersion[]): Map<string, StoredVersion> {
  return new Map(versions.map((v) => [`${v.connectionId}/${v.version}`, v]))
}

export const versionKey = (c: TeamConnection) => `${c.id}/${c.version}`

/**
 * Connections whose current version is older than the last change that took a full member out
 * (removed, or made use-only): the person held that version's key, so it needs a new one.
 * Read from the signed log, never from the database's wraps, so a DBA's rows cannot start one.
 */
export function rekeyPending(state: TeamState): TeamConnection[] {
  return [...state.connections.live.values()].filter((c) => c.seq < state.keysLeftAt)
}

/** What a member sees while a re-key an admin started has not finished (any admin's sync does). */
export function rekeyPendingWarnings(state: TeamState): string[] {
  return rekeyPending(state).map(
    (c) =>
      `Team connection "${c.name}" version ${c.version} is still under a key a member who left (change #${state.keysLeftAt}) could read: a team admin's bridgekeep team sync gives it a new one.`,
  )
}

/**
 * After a full member left (removed, or made use-only): every connection still under a key they
 * read gets a new version, a new key wrapped to those who remain, so the person's identity opens
 * no version from now on. Each version is its own transaction, so a re-key cut off half-way
 * (server restarted, session killed) leaves every connection usable, and running it again (an
 * admin's `team sync`, or `team role <member> --role use-only` again) re-keys only what is left.
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
  const pending = rekeyPending(team.state)
  const all = pending.map((c) => c.name).sort()
  // Every one of them they could read: what the admin's vault keeps to rotate (team-rotations.ts).
  const readable = pending.map((c) => ({ id: c.id, name: c.name }))
  // An admin who just removed or demoted themselves may not write versions any more: another
  // admin must push each connection again.
  if (team.state.members.get(me.address.signingKey)?.role !== 'admin')
    return { rotate: all, failed: all, readable, head: undefined }
  const mine = byVersion(await sealedVersions(store, row.team_id, me.address.signingKey))
  const rekeyed: string[] = []
  const failed: string[] = []
  let head: { seq: number; hash: string } | undefined
  for (const connection of pending) {
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
    // Each version is written on the head this admin wrote last (the log is not read again
    // after each of thousands); another admin writing meanwhile (finishing the same re-key, or
    // an unrelated change) is a CONFLICT: read again; a connection they re-keyed meanwhile is done.
    for (let attempt = 1; ; attempt++) {
      try {
        head = advanceHead(
          team,
          (await writeVersion(store, team, me, connection, connection.version, secrets, at)).head,
        )
        break
      } catch (error) {
        if (attempt >= 3 || !isBridgekeepError(error) || error.code !== 'CONFLICT') throw error
        team = await reverifyTeam(store, row)
        if (!rekeyPending(team.state).some((c) => c.id === connection.id)) break
      }
    }
    rekeyed.push(connection.name)
  }
  return { rotate: [...rekeyed, ...failed].sort(), failed: failed.sort(), readable, head }
}

/**
 * Keys of current versions wrapped to someone no admin wraps to: not a full member now, and not
 * a member who left since the version was written (whose re-key is pending). An honest admin's
 * client never writes these; a DBA, or a login not yet revoked, can. Each is named and ignored:
 * nothing is re-keyed or opened because of one, and its recipient's client refuses to use it.
 */
export function strayWraps(
  state: TeamState,
  wraps: readonly { connectionId: string; version: number; recipient: string }[],
): string[] {
  const holders = new Set(keyHolders(state.members.values()).map((m) => m.signingKey))
  return wraps.flatMap(({ connectionId, version, recipient }) => {
    const connection = state.connections.live.get(connectionId)
    if (!connection || connection.version !== version || holders.has(recipient)) return []
    const leftSince = connection.seq < state.keysLeftAt && state.everMembers.has(recipient)
    if (leftSince) return []
    return [
      `The key of team connection "${connection.name}" version ${version} wrapped to ${shortKey(recipient)} is ignored: that key is not a full member of the team, so no admin wrapped it (it was written in the database).`,
    ]
  })
}

/**
 * An admin's sync finishes a re-key left half-done (a removal's command cut off); a member's
 * only warns (rekeyPendingWarnings). Returns the connections re-keyed now. An admin whose login
 * may not write versions yet (its database role not granted) still syncs: the refusal is a
 * warning, and the connections stay listed as pending.
 */
export async function finishRekey(
  store: TeamStore,
  row: TeamSpaceRow,
  me: UnlockedIdentity,
  team: VerifiedTeam,
  at: string,
  log: Logger,
): Promise<{ rekeyed: string[]; head?: { seq: number; hash: string }; problem?: string }> {
  const admin = team.state.members.get(me.address.signingKey)?.role === 'admin'
  if (!admin || rekeyPending(team.state).length === 0) return { rekeyed: [] }
  try {
    const keys = await rekeyAll(store, row, me, at, log)
    const failed = new Set(keys.failed)
    return { rekeyed: keys.rotate.filter((name) => !failed.has(name)), head: keys.head }
  } catch (error) {
    if (!isBridgekeepError(error) || error.code !== 'FORBIDDEN') throw error
    return {
      rekeyed: [],
      problem:
        `This vault could not give the connections below a new key: ${error.message} ${error.hint ?? ''}`.trim(),
    }
  }
}

/**
 * The member `team remove` names. Run again after a removal whose re-key was cut off, the member
 * is gone: the error says how to finish the re-key (an admin's sync), rather than only "no member".
 */
export function findRemovable(state: TeamState, who: string, team: string): TeamMember {
  try {
    return findMember(state, who, team)
  } catch (error) {
    const pending = rekeyPending(state).map((c) => c.name)
    if (!pending.length || !isBridgekeepError(error) || error.code !== 'NOT_FOUND') throw error
    throw new BridgekeepError(
      'NOT_FOUND',
      `${error.message} A removal (change #${state.keysLeftAt}) has not finished giving these connections a new key: ${pending.sort().join(', ')}.`,
      'A team admin finishes it with: bridgekeep team sync',
    )
  }
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
  const mine = byVersion(await sealedVersions(store, row.team_id, me.address.signingKey))
  const theirs = byVersion(await sealedVersions(store, row.team_id, member.signingKey))
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
      await appendWraps(store, binding, wraps)
    } finally {
      key.fill(0)
    }
  }
  return missed.sort()
}
