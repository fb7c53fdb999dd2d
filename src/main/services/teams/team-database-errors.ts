import { BridgekeepError } from '../../../shared/errors'

/** The team database's refusals and failures as clear errors (team-database-repository.ts). */
export function refuseNewer(current: number, latest: number, where: string): void {
  if (current > latest)
    throw new BridgekeepError(
      'TEAM_SCHEMA_TOO_NEW',
      `The team space on ${where} was set up by a newer Bridgekeep (schema ${current}; this version knows up to ${latest}). Nothing was changed.`,
      'Update Bridgekeep to use this team space.',
    )
}

/** A server refusal as a clear error; never quoting more than the server's own message. */
export function translate(error: unknown, where: string): unknown {
  if (error instanceof BridgekeepError) return error
  const { code, message } = error as { code?: string; message?: string }
  const text = (message ?? '').slice(0, 200)
  if (code === '42501')
    return new BridgekeepError(
      'FORBIDDEN',
      `${where} refused: ${text}.`,
      'Team rows are append-only and each login sees only its teams; a new team needs a login that may create roles (CREATEROLE) and the bridgekeep schema.',
    )
  if (code === '23505') return error
  if (code === undefined || /timeout|terminated|ECONN/i.test(text)) return unavailable(where, error)
  return error
}

export function unavailable(where: string, error: unknown): BridgekeepError {
  const { code, message } = error as { code?: string; message?: string }
  const reason =
    code === '28P01'
      ? 'the server refused the password'
      : code === '3D000'
        ? 'the database does not exist'
        : (message ?? String(error)).slice(0, 200)
  return new BridgekeepError(
    'TEAM_UNAVAILABLE',
    `Could not reach the team database ${where}: ${reason}.`,
    'Check the PostgreSQL connection (bridgekeep verify <conn>) and that the server is up.',
  )
}

export function versionTaken(sealed: { version: number }): BridgekeepError {
  return new BridgekeepError(
    'CONFLICT',
    `Version ${sealed.version} of this team connection was written by someone else at the same moment.`,
    'Run bridgekeep team sync, then push again: it reads the latest version first.',
  )
}
