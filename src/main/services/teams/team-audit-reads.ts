import type { ChainPin } from './change-chain'
import { rowIntegrityProblem, type SignedRow } from './signed-chain'
import { AUDIT_DOMAIN, type AuditMark, type TeamAuditCheck } from './team-audit'
import type { TeamStore } from './team-database-repository'

/**
 * Incremental reads of a team's audit trail, like the change log's (team-replay-memory.ts): the
 * trail grows with every use, so a routine read checks only the entries after the last one this
 * process found intact (the mark), once the entry at the mark is found still stored, intact and
 * with the same hash; otherwise the whole trail is read and checked, and names what broke.
 * Kept per team and pinned founder, in memory only (a new process checks the whole trail once).
 */
const marks = new Map<string, AuditMark>()

const keyOf = (pin: ChainPin) => `${pin.teamId}\n${pin.founderKey}`

/** The audit entries a read checks: `from` is the mark they continue from (none: all of them). */
export interface AuditRead {
  rows: SignedRow[]
  from?: AuditMark | undefined
}

/**
 * The entries to check. `continuing`: the change log is read incrementally too (a full replay
 * checks the whole trail again, against the membership it just rebuilt).
 */
export async function readTeamAudit(
  store: TeamStore,
  pin: ChainPin,
  continuing: boolean,
): Promise<AuditRead> {
  const mark = continuing ? marks.get(keyOf(pin)) : undefined
  if (mark) {
    const [atMark, ...after] = await store.auditRowsFrom(pin.teamId, mark.seq)
    const unchanged =
      atMark?.seq === mark.seq &&
      atMark.hash === mark.hash &&
      !rowIntegrityProblem(AUDIT_DOMAIN, atMark)
    if (unchanged) return { rows: after, from: mark }
    marks.delete(keyOf(pin))
  }
  return { rows: await store.auditRows(pin.teamId) }
}

/** Remembers where the trail was found intact (up to its first broken entry, if any). */
export function rememberTeamAudit(pin: ChainPin, check: TeamAuditCheck): void {
  if (check.intactTo) marks.set(keyOf(pin), check.intactTo)
  else marks.delete(keyOf(pin))
}

/** Where the trail was last found intact in this process (what a checkpoint keeps), if anywhere. */
export function teamAuditMark(pin: ChainPin): AuditMark | undefined {
  return marks.get(keyOf(pin))
}

/** Continues from a mark this vault found intact in an earlier process (its checkpoint). */
export function restoreTeamAudit(pin: ChainPin, mark: AuditMark): void {
  marks.set(keyOf(pin), mark)
}

/** Forgets where the trail was found intact: the next read checks all of it (as a new process). */
export function forgetTeamAudit(pin: ChainPin): void {
  marks.delete(keyOf(pin))
}
