import { cloneState, type ChainPin, type TeamState } from './change-chain'

/**
 * The last state each team's log replayed to in this process, per team and pinned founder: the
 * base an incremental read continues from (rows after its head only), instead of a replay from
 * the founding change on every read. Kept in memory only (a new process starts with a full
 * replay), and only states a replay trusted: nothing in it came from a row no one verified.
 */
interface Base {
  state: TeamState
  /** Every head this base's chain went through in this process (marks it may continue from). */
  heads: Set<string>
}

const memory = new Map<string, Base>()

const keyOf = (pin: ChainPin) => `${pin.teamId}\n${pin.founderKey}`
const headKey = (head: { seq: number; hash: string }) => `${head.seq}:${head.hash}`

/**
 * Remembers a copy of `state`, trusted up to its head (rows ignored after it are read again).
 * `continued`: it was replayed on top of the remembered base (whose heads it keeps); else it is
 * a full replay that found `pin.seen` (if any) among its trusted changes.
 */
export function rememberReplay(pin: ChainPin, state: TeamState, continued: boolean): void {
  if (state.name === undefined) return
  const known = memory.get(keyOf(pin))
  const heads = new Set(continued && known ? known.heads : [])
  if (pin.seen && pin.seen.seq > 0) heads.add(headKey(pin.seen))
  heads.add(headKey(state.head))
  // Nothing accepted since (a routine read of a team no one changed): the same chain up to the
  // same head is the same state, already copied (a copy of 5,000 connections costs milliseconds).
  const same = continued && known && headKey(known.state.head) === headKey(state.head)
  const copy = same ? known.state : { ...cloneState(state), lastSeq: state.head.seq }
  memory.set(keyOf(pin), { state: copy, heads })
}

/**
 * The state to continue from: only when its chain went through the change this vault verified
 * last (else the full replay checks that change is still there).
 */
export function recallReplay(pin: ChainPin): TeamState | undefined {
  const known = memory.get(keyOf(pin))
  if (!known) return undefined
  if (pin.seen && pin.seen.seq > 0 && !known.heads.has(headKey(pin.seen))) return undefined
  return known.state
}

/**
 * The remembered state when its head is exactly `head` (what a checkpoint of the vault's mark
 * stores), else undefined. Shared, never to be changed.
 */
export function replayAt(
  pin: ChainPin,
  head: { seq: number; hash: string },
): TeamState | undefined {
  const known = memory.get(keyOf(pin))
  return known && headKey(known.state.head) === headKey(head) ? known.state : undefined
}

/**
 * Takes a state this vault verified in an earlier process (its checkpoint, at the vault's mark)
 * as the base, trusted up to its head only: the next read continues from it as from a replay.
 */
export function restoreReplay(pin: ChainPin, state: TeamState): void {
  memory.set(keyOf(pin), { state, heads: new Set([headKey(state.head)]) })
}

/** Forgets a team's base (what it stood on is gone from the database: the next read is full). */
export function forgetReplay(pin: ChainPin): void {
  memory.delete(keyOf(pin))
}
