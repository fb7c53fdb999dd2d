import { BridgekeepError } from '../../../shared/errors'

/** The team database's refusals and failures as clear errors: never more than the server's own words. */

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
      'Team rows are append-only; a login sees only its teams and writes only what its team role allows (the database administrator grants it the role bridgekeep team invite printed); a new team needs a login that may create roles (CREATEROLE) and the bridgekeep schema.',
    )
  if (code === '23505') return error
  if (code === undefined || connectionLost(code) || /timeout|terminated|ECONN/i.test(text))
    return unavailable(where, error)
  return error
}

/** The server ended the session (restart, shutdown, pg_terminate_backend) or the link broke. */
function connectionLost(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03'
}

export function unavailable(where: string, error: unknown): BridgekeepError {
  const { code, message } = error as { code?: string; message?: string }
  const reason =
    code === '28P01'
      ? 'the server refused the password'
      : code === '3D000'
        ? 'the database does not exist'
        : code !== undefined && connectionLost(code)
          ? 'the server ended the session (restarted, or an administrator closed it)'
          : /Connection terminated|ECONNRESET|EPIPE|not queryable/i.test(message ?? '')
            ? 'the connection was lost'
            : (message ?? String(error)).slice(0, 200)
  return new BridgekeepError(
    'TEAM_UNAVAILABLE',
    `Could not reach the team database ${where}: ${reason}.`,
    'Nothing is left half-written (each team change is one transaction): check the PostgreSQL connection (bridgekeep verify <conn>) and that the server is up, then run the command again.',
  )
}

export function versionTaken(sealed: { version: number }): BridgekeepError {
  return new BridgekeepError(
    'CONFLICT',
    `Version ${sealed.version} of this team connection was written by someone else at the same moment.`,
    'Run bridgekeep team sync, then push again: it reads the latest version first.',
  )
}
