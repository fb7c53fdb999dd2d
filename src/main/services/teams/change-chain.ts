import { z } from 'zod'
import { personNameSchema } from '../../../shared/sharing'
import { teamRoles, type TeamRole } from '../../../shared/teams'
import { GENESIS, rowIntegrityProblem, shortKey, type SignedRow } from './signed-chain'
import {
  applyConnectionChange,
  connectionChangeBodies,
  emptyConnections,
  isConnectionChange,
  type TeamConnections,
} from './connection-changes'

/**
 * A team's membership as its signed change log says it is. A client replays the log from the
 * founding change, signed by the founder whose key it pinned when it created or joined the team,
 * and accepts a change only when it is intact (hash and signature), follows the last accepted
 * change, and was signed by someone who was an admin at that point. Everything else is ignored
 * with a warning naming the row: the database (or its administrator) cannot add a member, raise
 * a role or remove anyone; at most it can hide rows, which the high-water mark catches.
 */
export const CHANGE_DOMAIN = 'bridgekeep/team-change/v1'

export { teamRoles, type TeamRole }

const signingKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/)
const memberIdentity = z.object({
  signingKey,
  ageRecipient: z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/),
  name: personNameSchema,
})

export const changeBodies = {
  'team.found': z.object({ name: z.string().min(1).max(100), founder: memberIdentity }).strict(),
  'member.add': memberIdentity.extend({ role: z.enum(teamRoles) }).strict(),
  'member.role': z.object({ signingKey, role: z.enum(teamRoles) }).strict(),
  'member.remove': z.object({ signingKey }).strict(),
  // Connections and the matrix (connection-changes.ts applies them).
  ...connectionChangeBodies,
}
export type ChangeKind = keyof typeof changeBodies
export type ChangeBody<K extends ChangeKind> = z.infer<(typeof changeBodies)[K]>

export interface TeamMember {
  signingKey: string
  ageRecipient: string
  name: string
  role: TeamRole
  /** The change that made this member (or gave the current role). */
  sinceSeq: number
}

export interface ChainWarning {
  seq: number
  message: string
}

export interface TeamState {
  teamId: string
  /** Undefined when no trusted founding change was found. */
  name: string | undefined
  founder: string
  members: Map<string, TeamMember>
  /** Everyone a trusted change ever made a member (whose audit entries are genuine). */
  everMembers: Set<string>
  /** The last accepted change: what the next change must follow. */
  head: { seq: number; hash: string }
  /** The team's connections and where each may be used. */
  connections: TeamConnections
  /**
   * The last change that took a full member out (removed, or made use-only): every connection
   * whose current version is older held a key they read, and needs a new version (a re-key).
   */
  keysLeftAt: number
  /**
   * The highest position read, ignored rows included: the next change takes the one after it,
   * so a change written by someone else since this replay collides instead of forking the log.
   */
  lastSeq: number
}

export interface ChainPin {
  teamId: string
  /** The founder's signing key, pinned locally at init (ours) or join (given out of band). */
  founderKey: string
  /** The last change this vault verified before: it must still be there, unchanged. */
  seen?: { seq: number; hash: string } | undefined
}

/**
 * Replays `rows` against the pin: from the founding change, or, given `from` (a state this
 * vault replayed and verified before), on top of it, reading only the rows after it. `from` is
 * not changed. The row at the mark must then be `from`'s head (the caller checked it is still
 * in the database with the same hash); rows before it are not looked at again.
 */
export function replayChanges(
  rows: readonly SignedRow[],
  pin: ChainPin,
  from?: TeamState,
): { state: TeamState; warnings: ChainWarning[]; seenLost: boolean } {
  const state: TeamState = from ? cloneState(from) : foundingState(pin)
  const warnings: ChainWarning[] = []
  const accepted = new Map<number, string>()
  if (from) accepted.set(from.head.seq, from.head.hash)
  let lastSeq = state.lastSeq
  for (const row of [...rows].sort((a, b) => a.seq - b.seq)) {
    const problem = rowProblem(row, state, lastSeq)
    lastSeq = Math.max(lastSeq, row.seq)
    if (problem) {
      warnings.push({
        seq: row.seq,
        message: `Change #${row.seq} (${printableKind(row.kind)} by ${shortKey(row.author)}) ignored: ${problem}.`,
      })
      continue
    }
    state.head = { seq: row.seq, hash: row.hash }
    accepted.set(row.seq, row.hash)
  }
  state.lastSeq = lastSeq
  const seenLost = !!pin.seen && pin.seen.seq > 0 && accepted.get(pin.seen.seq) !== pin.seen.hash
  if (seenLost)
    warnings.push({
      seq: pin.seen!.seq,
      message: `Change #${pin.seen!.seq}, which this vault verified before, is missing or no longer trusted: the change log was cut back or rewritten in the database. Membership is shown as of the changes that remain.`,
    })
  return { state, warnings, seenLost }
}

function foundingState(pin: ChainPin): TeamState {
  return {
    teamId: pin.teamId,
    name: undefined,
    founder: pin.founderKey,
    members: new Map(),
    everMembers: new Set(),
    head: { seq: 0, hash: GENESIS },
    connections: emptyConnections(),
    keysLeftAt: 0,
    lastSeq: 0,
  }
}

/** A copy a replay may change without changing `state` (connections' matrices are changed in place). */
export function cloneState(state: TeamState): TeamState {
  const { live, removed, names } = state.connections
  return {
    ...state,
    members: new Map(state.members),
    everMembers: new Set(state.everMembers),
    head: { ...state.head },
    connections: {
      live: new Map([...live].map(([id, c]) => [id, { ...c }])),
      removed: new Set(removed),
      names: new Map(names),
    },
  }
}

/** Why `row` is not accepted on top of `state` (applying it when it is), or undefined. */
function rowProblem(row: SignedRow, state: TeamState, lastSeq: number): string | undefined {
  if (row.teamId !== state.teamId) return 'it belongs to another team'
  if (!Number.isSafeInteger(row.seq) || row.seq <= lastSeq) return 'its position is out of order'
  const integrity = rowIntegrityProblem(CHANGE_DOMAIN, row)
  if (integrity) return integrity
  if (!(row.kind in changeBodies)) return `its kind is unknown`
  const kind = row.kind as ChangeKind
  let body: unknown
  try {
    body = changeBodies[kind].parse(JSON.parse(row.body))
  } catch {
    return 'its content is not a valid change of its kind'
  }
  if (state.name === undefined) {
    if (kind !== 'team.found') return 'it comes before the team was founded'
    if (row.author !== state.founder)
      return 'it founds the team but is not signed by the pinned founder'
    if (row.prevHash !== GENESIS) return 'a founding change must start the log'
    const found = body as ChangeBody<'team.found'>
    if (found.founder.signingKey !== row.author) return 'its founder is not its author'
    state.name = found.name
    state.members.set(row.author, { ...found.founder, role: 'admin', sinceSeq: row.seq })
    state.everMembers.add(row.author)
    return undefined
  }
  if (row.prevHash !== state.head.hash)
    return 'it does not follow the last trusted change (out of chain: a row before it was changed, removed or forged)'
  if (state.members.get(row.author)?.role !== 'admin')
    return 'its author was not an admin of the team at that point'
  if (isConnectionChange(kind)) return applyConnectionChange(kind, body, row, state.connections)
  return applyChange(kind, body, row.seq, state)
}

function applyChange(
  kind: Exclude<ChangeKind, keyof typeof connectionChangeBodies>,
  body: unknown,
  seq: number,
  state: TeamState,
): string | undefined {
  const members = state.members
  switch (kind) {
    case 'team.found':
      return 'the team was already founded'
    case 'member.add': {
      const added = body as ChangeBody<'member.add'>
      if (members.has(added.signingKey)) return 'that identity is already a member'
      members.set(added.signingKey, { ...added, sinceSeq: seq })
      state.everMembers.add(added.signingKey)
      return undefined
    }
    case 'member.role': {
      const { signingKey, role } = body as ChangeBody<'member.role'>
      const member = members.get(signingKey)
      if (!member) return `${shortKey(signingKey)} is not a member`
      if (member.role === 'admin' && role !== 'admin' && adminCount(state) === 1)
        return 'it would leave the team without an admin'
      members.set(signingKey, { ...member, role, sinceSeq: seq })
      if (role === 'use-only' && member.role !== 'use-only') state.keysLeftAt = seq
      return undefined
    }
    case 'member.remove': {
      const { signingKey } = body as ChangeBody<'member.remove'>
      const member = members.get(signingKey)
      if (!member) return `${shortKey(signingKey)} is not a member`
      if (member.role === 'admin' && adminCount(state) === 1)
        return 'it would leave the team without an admin'
      members.delete(signingKey)
      if (member.role !== 'use-only') state.keysLeftAt = seq
      return undefined
    }
  }
}

function adminCount(state: TeamState): number {
  return [...state.members.values()].filter((m) => m.role === 'admin').length
}

/** A kind as written in the database may be anything: shown only when it looks like one. */
function printableKind(kind: string): string {
  return /^[a-z.-]{1,40}$/.test(kind) ? kind : 'unknown kind'
}
