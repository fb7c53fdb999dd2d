import { BridgekeepError } from '../../../shared/errors'
import { fingerprintOf, parseAddress } from '../sharing/share-address'
import type { TeamMember, TeamRole, TeamState } from './change-chain'

/** A member as commands show them: never a key beyond the public fingerprint. */
export interface MemberView {
  name: string
  role: TeamRole
  fingerprint: string
  /** The change that gave the member this role. */
  sinceChange: number
  you: boolean
}

export function memberView(member: TeamMember, you: boolean): MemberView {
  return {
    name: member.name,
    role: member.role,
    fingerprint: fingerprintOf(member.ageRecipient, member.signingKey),
    sinceChange: member.sinceSeq,
    you,
  }
}

const TEAM_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u

export function requireTeamName(raw: string): string {
  const name = raw.trim()
  if (!TEAM_NAME.test(name))
    throw new BridgekeepError(
      'VALIDATION',
      `Team name ${JSON.stringify(name.slice(0, 40))} is not valid: it must be 1 to 100 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit.`,
      'For example: --name platform',
    )
  return name
}

/** The member `who` names: their share address, fingerprint, or name (any case). */
export function findMember(state: TeamState, who: string, team: string): TeamMember {
  const wanted = who.trim()
  const members = [...state.members.values()]
  const normal = (text: string) => text.replace(/\s+/g, '').toUpperCase()
  let found: TeamMember[]
  if (wanted.startsWith('bkshare1:')) {
    const key = parseAddress(wanted).signingKey
    found = members.filter((m) => m.signingKey === key)
  } else {
    found = members.filter(
      (m) =>
        normal(fingerprintOf(m.ageRecipient, m.signingKey)) === normal(wanted) ||
        m.name.toLowerCase() === wanted.toLowerCase(),
    )
  }
  if (found.length === 1) return found[0]!
  throw new BridgekeepError(
    found.length ? 'VALIDATION' : 'NOT_FOUND',
    found.length
      ? `${found.length} members of ${team} are named ${wanted.slice(0, 100)}.`
      : `No member of ${team} is ${wanted.slice(0, 100)}.`,
    found.length
      ? 'Name the member by fingerprint (bridgekeep team members shows it).'
      : 'Name a member by name, fingerprint or share address (bridgekeep team members lists them).',
  )
}

/**
 * Refuses, up front and with what to do, a change that would leave the team without an admin
 * (the replay ignores such a change anyway: this says why before anything is written).
 */
export function requireAnotherAdmin(
  state: TeamState,
  member: TeamMember,
  team: string,
  change: 'removing' | 'demoting',
): void {
  const admins = [...state.members.values()].filter((m) => m.role === 'admin')
  if (member.role === 'admin' && admins.length === 1)
    throw new BridgekeepError(
      'VALIDATION',
      `${member.name} is the team's only admin: ${change} them would leave ${team} without one.`,
      'Make another member an admin first.',
    )
}

/** Refuses anyone but an admin of the team (as the verified change log says) doing `what`. */
export function requireAdmin(state: TeamState, signingKey: string, what: string): void {
  const role = state.members.get(signingKey)?.role
  if (role !== 'admin')
    throw new BridgekeepError(
      'FORBIDDEN',
      role
        ? `Only admins of ${state.name} can ${what}; you are ${role === 'use-only' ? 'a use-only member' : 'a member'}.`
        : `This vault is no longer a member of ${state.name}.`,
      'Ask a team admin.',
    )
}
