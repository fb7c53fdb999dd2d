import type { KeyObject } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import {
  CHANGE_DOMAIN,
  replayChanges,
  type ChainPin,
  type ChangeBody,
  type ChangeKind,
  type TeamMember,
  type TeamState,
} from './change-chain'
import {
  canonicalJson,
  preverifySignatures,
  rowIntegrityProblem,
  shortKey,
  signRow,
  type SignedRow,
} from './signed-chain'
import { teamAuditEntry, verifyTeamAudit, type TeamAuditAction } from './team-audit'
import { readTeamAudit, rememberTeamAudit } from './team-audit-reads'
import type { TeamStore } from './team-database-repository'
import type { TeamSpaceRow } from './team-repository'
import type { Logger } from '../../log'
import type { TeamSpaces } from './team-spaces'
import { forgetReplay, recallReplay, rememberReplay } from './team-replay-memory'

/** Who acts in a team: this vault's identity (its signing key signs changes and audit entries). */
export interface TeamActor {
  signingKey: string
  key: KeyObject
}

/** A team as this vault verified it just now, with every warning about rows it ignored. */
export interface VerifiedTeam {
  state: TeamState
  warnings: string[]
  /** The change this vault verified before is gone or changed: keep remembering it. */
  seenLost: boolean
  /** Entries in the team's audit trail (all of them, intact or not). */
  auditEntries: number
  /** The change rows as read: what a refresh of the vault's copy right after stores. */
  changes: readonly SignedRow[]
  /**
   * An incremental read: `changes` are only the rows after this position (the change this
   * process verified last, still in the database with the same hash). Undefined: the full log.
   */
  after?: { seq: number; hash: string } | undefined
}

/** How `verifyTeam` reads the change log. */
export interface VerifyOptions {
  /** Replay the whole log from the founding change (`team verify`, a join). */
  full?: boolean | undefined
  /** The whole log, already read in this session (a join reads it to pin the founder). */
  log?: readonly SignedRow[] | undefined
  /**
   * Whether the caller's copy of the log holds this change (a routine read then reads only the
   * rows after it); when it does not, the whole log is read, once, and returned for the copy.
   */
  copyHolds?: ((head: { seq: number; hash: string }) => boolean) | undefined
}

/**
 * Reads a team's change log and audit trail and verifies both against the pin: membership is
 * what the trusted changes say; a members table that disagrees, rows that were ignored, and a
 * broken audit trail are warnings naming the row.
 *
 * A routine read is incremental: it continues the replay this process made last (team-replay-
 * memory.ts) with the rows after its head, once that row is found unchanged; otherwise, and
 * with `full` (`team verify`, a first sync), the whole log is replayed from the founding change.
 * The audit trail likewise: only its entries after the last one found intact, when continuing.
 * The signatures of the change rows are checked on the threadpool while the audit trail is read.
 */
export async function verifyTeam(
  store: TeamStore,
  pin: ChainPin,
  options: VerifyOptions = {},
): Promise<VerifiedTeam> {
  const base = options.full ? undefined : recallReplay(pin)
  const whole = !base || !!options.log || options.copyHolds?.(base.head) === false
  const rows = await (options.log
    ? Promise.resolve(options.log)
    : whole
      ? store.changes(pin.teamId)
      : store.changesFrom(pin.teamId, base!.head.seq))
  const after = base && continuation(rows, base.head)
  // The head this process verified last is gone or changed: the full replay must still find
  // it (a log cut back below it is lost changes), even when the vault's own mark is older (a
  // runner serving since before its newest changes).
  const seen = base && !after && base.head.seq > (pin.seen?.seq ?? 0) ? base.head : pin.seen
  if (base && !after) forgetReplay(pin)
  const auditRead = readTeamAudit(store, pin, !!after)
  auditRead.catch(() => undefined) // awaited below; a failed change read must not leave it unheard
  const log = whole ? rows : after ? undefined : await store.changes(pin.teamId)
  const replayed = after ?? log!
  const checking = preverifySignatures(replayed)
  const audit = await auditRead
  await Promise.all([checking, preverifySignatures(audit.rows)])
  // Continuing: the memory already checked the vault's mark is on the chain the base stands on.
  // Nothing after the head (most reads: a runner's pass, an ask): the base as it is, without the
  // copy of every connection a replay makes. Shared, never changed: outside a replay (which
  // copies what it continues from) callers move only the head of what they get.
  const { state, warnings, seenLost } = !after
    ? replayChanges(replayed, { ...pin, seen })
    : after.length
      ? replayChanges(after, { ...pin, seen: undefined }, base)
      : { state: { ...base!, head: { ...base!.head } }, warnings: [], seenLost: false }
  if (seenLost) forgetReplay(pin)
  else rememberReplay(pin, state, !!after)
  const messages = warnings.map((w) => w.message)
  if (state.name === undefined)
    throw new BridgekeepError(
      'TEAM_TAMPERED',
      `The team's founding change is missing, or not signed by the founder this vault pinned (${shortKey(pin.founderKey)}).${messages.length ? ` ${messages[0]}` : ''}`,
      'Nothing in this team can be trusted from this database. Ask the founder to check the team database and its backups.',
    )
  const projection = await store.membersProjection(pin.teamId)
  for (const [key, row] of projection) {
    const member = state.members.get(key)
    if (!member)
      messages.push(
        `The members table lists ${shortKey(key)}, whom no trusted change made a member: ignored (it was written directly in the database).`,
      )
    else if (member.role !== row.role)
      messages.push(
        `The members table gives ${member.name} the role ${row.role}; the signed changes say ${member.role}: the signed role applies.`,
      )
  }
  const trail = verifyTeamAudit(audit.rows, state.everMembers, audit.from)
  if (!seenLost) rememberTeamAudit(pin, trail)
  if (trail.firstBroken) messages.push(trail.firstBroken.message)
  return {
    state,
    warnings: messages,
    seenLost,
    auditEntries: trail.entries,
    changes: log ?? after!,
    after: log ? undefined : base?.head,
  }
}

/**
 * The rows after `head` when the row at `head` is among `rows` (ordered, from `head` on or the
 * whole log), intact, with the same hash; undefined when it is gone or changed (the full replay
 * then says so).
 */
function continuation(
  rows: readonly SignedRow[],
  head: { seq: number; hash: string },
): SignedRow[] | undefined {
  const at = rows.findIndex((row) => row.seq >= head.seq)
  const atMark = rows[at]
  const unchanged =
    atMark?.seq === head.seq &&
    atMark.hash === head.hash &&
    !rowIntegrityProblem(CHANGE_DOMAIN, atMark)
  return unchanged ? rows.slice(at + 1) : undefined
}

/**
 * A team this vault joined, verified against its pin and the last change it saw; each warning
 * also goes to the log. A routine read in a new process continues from the vault's checkpoint
 * (the state it verified at that change), as from a replay of its own. (The caller remembers
 * the new head unless `seenLost`: `spaces.markSeen`, which keeps the checkpoint too.)
 */
export async function verifyJoinedTeam(
  store: TeamStore,
  row: TeamSpaceRow,
  { spaces, log }: { spaces: TeamSpaces; log: Logger },
  options: VerifyOptions = {},
): Promise<VerifiedTeam> {
  if (!options.full && !options.log) spaces.restoreCheckpoint(row)
  const team = await verifyTeam(
    store,
    { teamId: row.team_id, founderKey: row.founder_key, seen: seenOf(row) },
    options,
  )
  for (const warning of team.warnings) log.warn('team.warning', { team: row.name, warning })
  return team
}

/** The last change this vault verified, as its record keeps it. */
export function seenOf(row: TeamSpaceRow): { seq: number; hash: string } {
  return { seq: row.seen_seq, hash: row.seen_hash }
}

/**
 * Signs a change on top of the verified head and writes it with the members projection and its
 * audit entry, in one transaction. A race for the audit position alone is retried; a change
 * written by someone else first is a CONFLICT (the command reads the latest state when rerun).
 */
export async function appendChange<K extends ChangeKind>(
  store: TeamStore,
  team: VerifiedTeam,
  actor: TeamActor,
  kind: K,
  body: ChangeBody<K>,
  members: { set?: TeamMember; remove?: string },
  audit: { action: TeamAuditAction; detail: string; at: string },
): Promise<{ seq: number; hash: string }> {
  const { state } = team
  for (let attempt = 1; ; attempt++) {
    const row = signChange(state, actor, kind, body)
    const { seq } = row
    try {
      await store.appendChange(
        row,
        members.set ? { set: { ...members.set, sinceSeq: seq } } : members,
        (last) => ({
          entry: teamAuditEntry(state.teamId, last, actor, audit.action, audit.detail, audit.at),
          at: audit.at,
        }),
      )
      return { seq, hash: row.hash }
    } catch (error) {
      // Only a race for the audit position is retried: a change written first by someone else
      // means this one was built on a stale head (read again, then decide).
      const auditRace =
        (error as BridgekeepError).code === 'CONFLICT' &&
        (await store.lastSeq('changes', state.teamId)) === seq - 1
      if (attempt >= 3 || !auditRace) throw error
    }
  }
}

/**
 * `team` after a change this vault just wrote on its head (a connection version, whose rows the
 * replay does not need again to write the next one): the next change follows it. For a writer
 * writing many changes in one session, instead of reading and verifying the whole log after
 * each; a change written meanwhile by someone else still collides (a CONFLICT).
 */
export function advanceHead(team: VerifiedTeam, head: { seq: number; hash: string }) {
  team.state.head = head
  team.state.lastSeq = head.seq
  return head
}

/**
 * A change signed by `actor` on top of `state`'s trusted head, at the position after the last
 * one the replay read. Anyone who wrote since takes that position first: the insert is then a
 * CONFLICT (read again, retry), never a change built on a stale head.
 */
export function signChange<K extends ChangeKind>(
  state: TeamState,
  actor: TeamActor,
  kind: K,
  body: ChangeBody<K>,
): SignedRow {
  const seq = state.lastSeq + 1
  return signRow(
    CHANGE_DOMAIN,
    {
      teamId: state.teamId,
      seq,
      author: actor.signingKey,
      kind,
      body: canonicalJson(body),
      prevHash: state.head.hash,
    },
    actor.key,
  )
}

/**
 * One entry of the team's audit trail, signed by `actor`, in turn with the team's other writers;
 * a race for its position (with a writer that does not take turns) is retried.
 */
export async function appendTeamAudit(
  store: TeamStore,
  teamId: string,
  actor: TeamActor,
  action: TeamAuditAction,
  detail: string,
  at: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await store.appendAudit(teamId, (last) => ({
        entry: teamAuditEntry(teamId, last, actor, action, detail, at),
        at,
      }))
      return
    } catch (error) {
      if (attempt >= 3 || (error as BridgekeepError).code !== 'CONFLICT') throw error
    }
  }
}
