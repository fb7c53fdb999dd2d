/**
 * The team space's schema on PostgreSQL, in its own schema `bridgekeep`. Forward-only, like the
 * local vault's: `team init` applies what is missing (under an advisory lock, in one
 * transaction) and a database whose schema is newer than this version knows is refused, never
 * altered. Append only: a released step is never edited.
 *
 * The database is trusted with availability, not with secrets or authorization: every row that
 * matters is signed (src/main/services/teams/signed-chain.ts) and clients verify it. The database's
 * own access control is a second wall:
 * - changes and audit are append-only: UPDATE, DELETE and TRUNCATE are refused by triggers, for
 *   the owner too (a superuser can still disable triggers: clients then see broken signatures);
 * - row-level security: each team has a database role (teams.db_role, NOLOGIN); a login granted
 *   it sees and writes only that team's rows. The owner (the login that ran `team init`)
 *   bypasses row-level security, as owners do.
 */

export interface TeamMigration {
  version: number
  name: string
  sql: string
}

const appendOnly = (table: string) => `
  CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON bridgekeep.${table}
    FOR EACH ROW EXECUTE FUNCTION bridgekeep.refuse_rewrite();
  CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON bridgekeep.${table}
    FOR EACH STATEMENT EXECUTE FUNCTION bridgekeep.refuse_rewrite();`

/** A team's rows: the teams this login's roles belong to (teams' own policy filters them). */
const OWN_TEAM = 'team_id IN (SELECT id FROM bridgekeep.teams)'

/** Append-only, and readable and appendable only for the team's own rows (row-level security). */
const appendOnlyOwnTeam = (table: string) => `${appendOnly(table)}
  ALTER TABLE bridgekeep.${table} ENABLE ROW LEVEL SECURITY;
  CREATE POLICY ${table}_read ON bridgekeep.${table} FOR SELECT USING (${OWN_TEAM});
  CREATE POLICY ${table}_append ON bridgekeep.${table} FOR INSERT WITH CHECK (${OWN_TEAM});`

/** Tables a member's login reads and appends to (grants of teams made before a table existed too). */
const APPEND_TABLES_V2 = 'bridgekeep.sealed_secrets, bridgekeep.key_wraps'

const signedRows = (table: string, extra = '') => `
  CREATE TABLE bridgekeep.${table} (
    team_id uuid NOT NULL REFERENCES bridgekeep.teams (id),
    seq bigint NOT NULL CHECK (seq > 0),
    author text NOT NULL,
    kind text NOT NULL,
    body text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    signature text NOT NULL,${extra}
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, seq)
  );
  ${appendOnlyOwnTeam(table)}`

export const teamMigrations: readonly TeamMigration[] = [
  {
    version: 1,
    name: 'team-core',
    sql: `
      CREATE FUNCTION bridgekeep.refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'bridgekeep.% is append-only: rows are never changed or deleted', TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$;

      CREATE TABLE bridgekeep.teams (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        db_role name NOT NULL UNIQUE,
        founder_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- One team per name, in any case: people type names, join finds them in any case.
      CREATE UNIQUE INDEX teams_by_name ON bridgekeep.teams (lower(name));
      ALTER TABLE bridgekeep.teams ENABLE ROW LEVEL SECURITY;
      CREATE POLICY teams_read ON bridgekeep.teams FOR SELECT
        USING (pg_has_role(current_user, db_role, 'MEMBER'));

      -- What the signed change log says, kept for the database's own use (a team runner's
      -- checks, per-member roles later). Clients never trust it: they replay the log.
      CREATE TABLE bridgekeep.members (
        team_id uuid NOT NULL REFERENCES bridgekeep.teams (id),
        signing_key text NOT NULL,
        age_recipient text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'member', 'use-only')),
        since_seq bigint NOT NULL,
        PRIMARY KEY (team_id, signing_key)
      );
      ALTER TABLE bridgekeep.members ENABLE ROW LEVEL SECURITY;
      CREATE POLICY members_own_team ON bridgekeep.members
        USING (${OWN_TEAM}) WITH CHECK (${OWN_TEAM});

      ${signedRows('changes')}
      ${signedRows('audit', '\n    at timestamptz NOT NULL,')}
    `,
  },
  {
    version: 2,
    name: 'team-connections',
    // Team connections: each version's secrets sealed with a key of its own, and that key
    // wrapped (age) to each full member, keyed by the member's signing key. What a version is
    // (name, provider, non-secret fields, the sealed secrets' SHA-256) is a signed change;
    // these rows are only ciphertext, which clients check against it.
    sql: `
      CREATE TABLE bridgekeep.sealed_secrets (
        team_id uuid NOT NULL REFERENCES bridgekeep.teams (id),
        connection_id uuid NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        ciphertext bytea NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, connection_id, version)
      );
      ${appendOnlyOwnTeam('sealed_secrets')}

      CREATE TABLE bridgekeep.key_wraps (
        team_id uuid NOT NULL REFERENCES bridgekeep.teams (id),
        connection_id uuid NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        recipient text NOT NULL,
        wrapped bytea NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, connection_id, version, recipient)
      );
      ${appendOnlyOwnTeam('key_wraps')}

      -- Teams founded before this step: their roles may use the new tables too.
      DO $$
      DECLARE team_role name;
      BEGIN
        FOR team_role IN SELECT db_role FROM bridgekeep.teams LOOP
          EXECUTE format('GRANT SELECT, INSERT ON ${APPEND_TABLES_V2} TO %I', team_role);
        END LOOP;
      END $$;

      -- A new change wakes connected clients at once (LISTEN bridgekeep_changes); they poll too.
      CREATE FUNCTION bridgekeep.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('bridgekeep_changes', NEW.team_id::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER changes_notify AFTER INSERT ON bridgekeep.changes
        FOR EACH ROW EXECUTE FUNCTION bridgekeep.notify_change();
    `,
  },
]

export const TEAM_SCHEMA_VERSION = teamMigrations.at(-1)?.version ?? 0

/** The statements that give a team's database role what a member's login needs, and no more. */
export function teamRoleGrants(role: string): string[] {
  const r = quoteIdent(role)
  return [
    `CREATE ROLE ${r} NOLOGIN`,
    `GRANT USAGE ON SCHEMA bridgekeep TO ${r}`,
    `GRANT SELECT ON bridgekeep.schema_version, bridgekeep.teams TO ${r}`,
    `GRANT SELECT, INSERT ON bridgekeep.changes, bridgekeep.audit TO ${r}`,
    `GRANT SELECT, INSERT ON ${APPEND_TABLES_V2} TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON bridgekeep.members TO ${r}`,
  ]
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a safe identifier: ${name}`)
  return `"${name}"`
}

/** The database role of a team: its id's hex, so one team's name never collides with another's. */
export function teamRoleName(teamId: string): string {
  return `bridgekeep_team_${teamId.replace(/-/g, '').slice(0, 16)}`
}
