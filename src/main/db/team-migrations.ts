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

/** Row-level security on an append-only table: a login reads and adds only its teams' rows. */
const ownTeamPolicies = (table: string) => `
  ALTER TABLE bridgekeep.${table} ENABLE ROW LEVEL SECURITY;
  CREATE POLICY ${table}_read ON bridgekeep.${table} FOR SELECT USING (${OWN_TEAM});
  CREATE POLICY ${table}_append ON bridgekeep.${table} FOR INSERT WITH CHECK (${OWN_TEAM});`

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
  ${appendOnly(table)}
  ${ownTeamPolicies(table)}`

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
    // Use-only members' requests to a team runner, and its answers. Each row is signed by its
    // writer (the requester, the runner's admin) and verified by the reader; the database only
    // carries them. An answer's credentials are age ciphertext to the requester. The payload of
    // a notification is the row's id alone: the listener reads the row, through its policies.
    version: 3,
    name: 'team-runner',
    sql: `
      CREATE TABLE bridgekeep.requests (
        team_id uuid NOT NULL REFERENCES bridgekeep.teams (id),
        id uuid NOT NULL,
        requester text NOT NULL,
        body text NOT NULL,
        signature text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, id)
      );
      CREATE TABLE bridgekeep.answers (
        team_id uuid NOT NULL,
        request_id uuid NOT NULL,
        runner text NOT NULL,
        body text NOT NULL,
        signature text NOT NULL,
        status text NOT NULL CHECK (status IN ('issued', 'refused')),
        answered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, request_id),
        FOREIGN KEY (team_id, request_id) REFERENCES bridgekeep.requests (team_id, id)
      );
      ${appendOnly('requests')}
      ${appendOnly('answers')}
      ${ownTeamPolicies('requests')}
      ${ownTeamPolicies('answers')}
      CREATE FUNCTION bridgekeep.notify_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(TG_ARGV[0], to_jsonb(NEW) ->> TG_ARGV[1]);
        RETURN NULL;
      END $$;
      CREATE TRIGGER requests_notify AFTER INSERT ON bridgekeep.requests
        FOR EACH ROW EXECUTE FUNCTION bridgekeep.notify_row('bridgekeep_requests', 'id');
      CREATE TRIGGER answers_notify AFTER INSERT ON bridgekeep.answers
        FOR EACH ROW EXECUTE FUNCTION bridgekeep.notify_row('bridgekeep_answers', 'request_id');
      -- Teams founded before this version: their roles get what teamRoleGrants now gives.
      DO $$
      DECLARE r name;
      BEGIN
        FOR r IN SELECT db_role FROM bridgekeep.teams LOOP
          EXECUTE format('GRANT SELECT, INSERT ON bridgekeep.requests, bridgekeep.answers TO %I', r);
        END LOOP;
      END $$;
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
    `GRANT SELECT, INSERT ON bridgekeep.requests, bridgekeep.answers TO ${r}`,
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
