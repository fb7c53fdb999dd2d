import { shortKey } from './signed-chain'
import { memberView } from './team-members'
import type { VerifiedTeam } from './team-session'

/** What `team verify` reports: what the replay trusts, and every warning. */
export interface TeamVerification {
  team: string
  /** No warning at all. */
  ok: boolean
  /** The pinned founder: their fingerprint while a member, else their key, shortened. */
  founder: string
  lastTrustedChange: number
  members: number
  admins: number
  auditEntries: number
  warnings: string[]
}

/** The report of a team as this vault just verified it. */
export function teamVerification(name: string, team: VerifiedTeam): TeamVerification {
  const { state } = team
  const founder = state.members.get(state.founder)
  return {
    team: name,
    ok: team.warnings.length === 0,
    founder: founder ? memberView(founder, false).fingerprint : shortKey(state.founder),
    lastTrustedChange: state.head.seq,
    members: state.members.size,
    admins: [...state.members.values()].filter((m) => m.role === 'admin').length,
    auditEntries: team.auditEntries,
    warnings: team.warnings,
  }
}
