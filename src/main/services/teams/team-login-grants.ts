import { isBridgekeepError } from '../../../shared/errors'
import { loginRoleStatements, sqlName, teamRoleName } from '../../db/team-migrations'
import type { TeamRole } from './change-chain'
import type { TeamStore } from './team-database-repository'

/**
 * The database's own wall follows the signed membership by hand: the database administrator
 * grants a member's login the database role of their team role. A team command says the exact
 * statements; given the login (`--db-login`), it runs them itself when its own login may grant
 * roles, and otherwise says what the database answered.
 */
export interface LoginGrant {
  /** The exact statements, for the login given or a `<their login>` placeholder. */
  statements: string[]
  /** They were run here (the login was given and the database accepted them). */
  applied: boolean
  /** The database's refusal, when it refused them: the DBA runs them instead. */
  refused?: string
}

export type RoleChange = { from?: TeamRole; to?: TeamRole }

/** Checks a login name before anything is written (a bad one is refused up front). */
export function requireLogin(login: string | undefined): void {
  if (login !== undefined) sqlName(login)
}

export async function loginGrant(
  store: TeamStore,
  teamId: string,
  login: string | undefined,
  change: RoleChange,
): Promise<LoginGrant> {
  const statements = loginRoleStatements(teamRoleName(teamId), login, change)
  if (login === undefined) return { statements, applied: false }
  try {
    await store.grant(statements)
    return { statements, applied: true }
  } catch (error) {
    if (isBridgekeepError(error) && error.code === 'FORBIDDEN')
      return { statements, applied: false, refused: error.message }
    if ((error as { code?: string }).code === '42704')
      return { statements, applied: false, refused: `The database has no login ${login}.` }
    throw error
  }
}
