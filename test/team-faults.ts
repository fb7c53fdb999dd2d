// Faults in the middle of team commands against a real PostgreSQL: a command is held at a
// precise point by a lock the test takes (its backend then waits, seen in pg_stat_activity), and
// the fault (a restart, pg_terminate_backend, kill -9) strikes there.
import { expect } from 'vitest'
import type pg from 'pg'
import type { CliResult } from './cli'
import type { TeamServer } from './teams'

/** Holds `table` with a lock in `mode` until the returned client ends its transaction. */
export async function hold(
  team: TeamServer,
  table: string,
  mode: 'SHARE' | 'ACCESS EXCLUSIVE',
): Promise<pg.Client> {
  const locker = await team.client('bk_owner')
  await locker.query('BEGIN')
  await locker.query(`LOCK TABLE bridgekeep.${table} IN ${mode} MODE`)
  return locker
}

/** The backend of a Bridgekeep team command once it waits on a lock: the moment to strike. */
export async function waitingBackend(team: TeamServer): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const rows = (
      await team.dba(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'bridgekeep-team' AND wait_event_type = 'Lock'",
      )
    ).rows
    if (rows.length === 1) return rows[0].pid as number
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('No team command came to wait on the lock')
}

export const release = (locker: pg.Client) => locker.end().catch(() => undefined)

/** Ends the session of the command waiting on a lock, as pg_terminate_backend does. */
export async function terminateWaiting(team: TeamServer): Promise<void> {
  const pid = await waitingBackend(team)
  expect((await team.dba('SELECT pg_terminate_backend($1) AS ok', [pid])).rows[0].ok).toBe(true)
}

/** A failure the user can act on: what happened and what to do, no stack trace, no secret. */
export function expectCleanFailure(team: TeamServer, result: CliResult): void {
  expect(result.code, result.stdout).toBe(1)
  expect(result.stderr).toContain('Could not reach the team database')
  expect(result.stderr).toMatch(/the server ended the session|the connection was lost/)
  expect(result.stderr).toContain('run the command again')
  expect(result.stderr).not.toMatch(/^\s+at /m)
  for (const password of team.passwords.values())
    expect(result.stdout + result.stderr).not.toContain(password)
}
