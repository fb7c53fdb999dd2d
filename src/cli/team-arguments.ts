import { teamRoles, type TeamRole } from '../main/services/teams/change-chain'
import type { TeamDatabase } from '../main/services/teams/team-database'
import type { LoginGrant } from '../main/services/teams/team-login-grants'
import { stringOption, type OptionSpec, type OptionValues } from './framework/command'
import { UsageError } from './framework/errors'
import type { CliIO } from './framework/io'
import { printable } from './framework/output'
import { connectionInEnvironment } from './connection-argument'

/** What every team command that acts on one team takes. */
export const TEAM_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'team',
  description: 'the team space (needed when this vault is in more than one)',
}

export const TEAM_ENV_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'env',
  description: 'the environment the PostgreSQL connection is used in (slug or name)',
}

export const DB_LOGIN_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'login',
  description:
    "the member's PostgreSQL login: grant or revoke its database role now (your login must be allowed to grant roles; otherwise the statement is printed for the database administrator)",
}

/**
 * The GRANT/REVOKE that makes the member's login match their team role: run (said so), to be
 * run by the database administrator (printed), or refused by the database (stderr, exit 1).
 */
export function writeLoginGrant(io: CliIO, grant: LoginGrant): 0 | 1 {
  const sql = grant.statements.map((s) => `${s};`).join(' ')
  if (grant.applied) io.stdout.write(`Database: ran ${sql}\n`)
  else if (grant.refused === undefined)
    io.stdout.write(`Ask the database administrator to run: ${sql}\n`)
  else
    io.stderr.write(
      `The database refused the role change (${printable(grant.refused)}); the team change itself is done. Ask the database administrator to run: ${printable(sql)}\n`,
    )
  return grant.refused === undefined ? 0 : 1
}

/** The team database: a PostgreSQL connection of this vault, in an environment. */
export function teamDatabase(ref: string, values: OptionValues, command: string): TeamDatabase {
  const target = connectionInEnvironment(ref, stringOption(values, 'env'), command)
  return { connection: target.ref, environment: target.env }
}

export function teamRole(values: OptionValues, command: string): TeamRole {
  const role = stringOption(values, 'role')
  if (role === undefined || !(teamRoles as readonly string[]).includes(role))
    throw new UsageError(
      `--role must be one of ${teamRoles.join(', ')}${role === undefined ? '' : ` (not "${printable(role.slice(0, 20))}")`}: admin manages members, member uses and sees secrets, use-only uses them without seeing them.`,
      command,
    )
  return role as TeamRole
}

/** Rows the team database holds that were ignored: on stderr, each naming its row. */
export function writeTeamWarnings(io: CliIO, warnings: readonly string[]): void {
  for (const warning of warnings) io.stderr.write(`warning: ${printable(warning)}\n`)
}

/**
 * After a full member left: the team connections were given new keys, but what the person read
 * stays read. Empty when there was nothing to rotate.
 */
export function rotateList(result: { rotate?: string[]; notRekeyed?: string[] }): string {
  if (!result.rotate?.length) return ''
  const names = result.rotate.map((name) => `  ${printable(name)}\n`).join('')
  const failed = result.notRekeyed?.length
    ? `Not re-keyed (a team admin must push them again): ${result.notRekeyed.map((name) => printable(name)).join(', ')}.\n`
    : ''
  return `Every team connection has a new key they do not hold. Rotate these: they could read them, and cannot be made to forget them.\n${names}${failed}This vault lists them until each is pushed again with new secrets: bridgekeep team rotations\n`
}
