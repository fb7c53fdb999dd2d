import { BridgekeepError } from '../../../shared/errors'
import { TEAM_SCHEMA_VERSION, teamMigrations, type TeamMigration } from '../../db/team-migrations'
import { refuseNewer } from './team-database-errors'
import type { TeamStore } from './team-database-repository'

/**
 * The team schema on a team database: its version, its forward-only migration (under an advisory
 * lock, in one transaction; a newer schema is refused, never altered) and the check a login that
 * may not migrate makes before using it.
 */

/** Any number: one lock id for Bridgekeep's schema changes. */
const MIGRATION_LOCK = 0x6272_6b74

/** The schema's version: 0 when there is none yet. */
export async function schemaVersion(store: TeamStore): Promise<number> {
  const exists = await store.query<{ ok: boolean }>(
    "SELECT to_regclass('bridgekeep.schema_version') IS NOT NULL AS ok",
  )
  if (!exists[0]?.ok) return 0
  const rows = await store.query<{ version: number }>(
    'SELECT max(version)::int AS version FROM bridgekeep.schema_version',
  )
  return rows[0]?.version ?? 0
}

/** Applies the missing steps; refuses a newer schema. Returns the version now. */
export async function migrateTeamSchema(
  store: TeamStore,
  steps: readonly TeamMigration[] = teamMigrations,
): Promise<number> {
  const latest = steps.at(-1)?.version ?? 0
  await store.transaction(async () => {
    await store.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await store.query('CREATE SCHEMA IF NOT EXISTS bridgekeep')
    await store.query(
      `CREATE TABLE IF NOT EXISTS bridgekeep.schema_version (
         version integer PRIMARY KEY, name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    )
    const current = await schemaVersion(store)
    refuseNewer(current, latest, store.where)
    for (const step of steps) {
      if (step.version <= current) continue
      await store.query(step.sql)
      if (step.perTeam)
        for (const { db_role } of await store.query<{ db_role: string }>(
          'SELECT db_role FROM bridgekeep.teams',
        ))
          for (const statement of step.perTeam(db_role)) await store.query(statement)
      await store.query('INSERT INTO bridgekeep.schema_version (version, name) VALUES ($1, $2)', [
        step.version,
        step.name,
      ])
    }
  })
  return latest
}

/** For logins that may not migrate: the schema must be this version's. */
export async function requireTeamSchema(store: TeamStore): Promise<void> {
  const [access] = await store.query<{ exists: boolean; usable: boolean }>(
    `SELECT to_regnamespace('bridgekeep') IS NOT NULL AS exists,
            to_regnamespace('bridgekeep') IS NOT NULL
              AND has_schema_privilege('bridgekeep', 'USAGE') AS usable`,
  )
  if (access?.exists && !access.usable)
    throw new BridgekeepError(
      'TEAM_UNAVAILABLE',
      `This login may not use the team spaces on ${store.where} yet.`,
      'Ask the database administrator to grant your login the database role of your team role (bridgekeep team invite printed it: GRANT bridgekeep_team_…_member TO <your login>).',
    )
  const current = await schemaVersion(store)
  refuseNewer(current, TEAM_SCHEMA_VERSION, store.where)
  if (current < TEAM_SCHEMA_VERSION)
    throw new BridgekeepError(
      'TEAM_UNAVAILABLE',
      current === 0
        ? `${store.where} holds no Bridgekeep team space (or this login may not see it).`
        : `The team schema on ${store.where} is older (version ${current}) than this Bridgekeep's (${TEAM_SCHEMA_VERSION}).`,
      current === 0
        ? 'Check the database name, or ask the team admin to grant your login the team role.'
        : 'Ask a team admin to run bridgekeep team init against it once, which upgrades it.',
    )
}
