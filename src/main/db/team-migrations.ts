import { BridgekeepError } from '../../shared/errors'
import { teamRoles, type TeamRole } from '../services/teams/change-chain'

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
 * - row-level security, by team role (since version 4): each team has a base role
 *   (teams.db_role, NOLOGIN) that reads the team's rows, and three roles granted it, one per
 *   team role (`<base>_admin`, `<base>_member`, `<base>_use_only`); the database administrator
 *   grants a member's login the one of their role. Only admins' logins append changes and write
 *   members; every member's login appends to the audit trail; nobody's reads another team. The
 *   owner (the login that ran `team init`) bypasses row-level security, as owners do.
 */

export interface TeamMigration {
  version: number
  name: string
  sql: string
  /** Statements run after `sql` once for each team already in the database, by its base role. */
  perTeam?: (baseRole: string) => string[]
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

/** Append-only, and readable and appendable only for the team's own rows (until version 4). */
const appendOnlyOwnTeam = (table: string) => `${appendOnly(table)}
${ownTeamPolicies(table)}`

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
  ${appendOnly(table)}
  ${ownTeamPolicies(table)}`

/** Who may write a team table's rows: only the logins of its admins, or of every member. */
export type TeamWriters = 'admins' | 'members'

/** What a team-scoped table (one with a team_id) lets a team's logins do beyond reading it. */
export interface TeamTableAccess {
  insert?: TeamWriters
  /** UPDATE and DELETE (append-only tables have neither). */
  rewrite?: TeamWriters
}

/** The team tables as version 4 left them. */
const V4_ACCESS: Record<string, TeamTableAccess> = {
  changes: { insert: 'admins' },
  audit: { insert: 'members' },
  members: { insert: 'admins', rewrite: 'admins' },
  // A use-only member's request to a team runner; the runner (an admin's vault) answers.
  requests: { insert: 'members' },
  answers: { insert: 'admins' },
  // Team connections (version 2): only admins seal versions and wrap their keys.
  sealed_secrets: { insert: 'admins' },
  key_wraps: { insert: 'admins' },
}

/**
 * Every team-scoped table and who writes it: what a new team's roles are granted. A step that
 * adds a team table adds it here, creates its policies with teamRowPolicies, and grants the
 * existing teams' roles with `perTeam: (base) => teamTableGrants(base, '<table>', access)`.
 */
export const teamTableAccess: Readonly<Record<string, TeamTableAccess>> = { ...V4_ACCESS }

const SUFFIXES: Record<TeamWriters, string> = {
  admins: "ARRAY['_admin']",
  members: "ARRAY['_admin', '_member', '_use_only']",
}

/**
 * Row-level security for a team-scoped table: a login reads the rows of the teams whose base
 * role it holds; it inserts (and rewrites, where the table allows it) only the rows of the teams
 * where it holds a writer's role.
 */
export function teamRowPolicies(table: string, access: TeamTableAccess): string {
  const t = `bridgekeep.${quoteIdent(table)}`
  const may = (writers: TeamWriters) => `bridgekeep.holds_team_role(team_id, ${SUFFIXES[writers]})`
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
    `CREATE POLICY ${table}_read ON ${t} FOR SELECT USING (bridgekeep.holds_team_role(team_id, ARRAY['']));`,
    access.insert &&
      `CREATE POLICY ${table}_insert ON ${t} FOR INSERT WITH CHECK (${may(access.insert)});`,
    access.rewrite &&
      `CREATE POLICY ${table}_update ON ${t} FOR UPDATE USING (${may(access.rewrite)}) WITH CHECK (${may(access.rewrite)});`,
    access.rewrite &&
      `CREATE POLICY ${table}_delete ON ${t} FOR DELETE USING (${may(access.rewrite)});`,
  ]
    .filter(Boolean)
    .join('\n')
}

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
  {
    version: 4,
    name: 'roles-by-team-role',
    sql: `
      -- Whether this login holds one of a team's roles (its base role + a suffix): policies ask.
      -- Invoker's rights: the teams it reads are already only the login's own.
      CREATE FUNCTION bridgekeep.holds_team_role(team uuid, suffixes text[]) RETURNS boolean
        LANGUAGE sql STABLE AS $$
          SELECT EXISTS (
            SELECT 1 FROM bridgekeep.teams t, unnest(suffixes) AS s(suffix)
             WHERE t.id = team AND pg_has_role(current_user, to_regrole(t.db_role || s.suffix), 'MEMBER'))
        $$;
      DROP POLICY changes_read ON bridgekeep.changes;
      DROP POLICY changes_append ON bridgekeep.changes;
      DROP POLICY audit_read ON bridgekeep.audit;
      DROP POLICY audit_append ON bridgekeep.audit;
      DROP POLICY members_own_team ON bridgekeep.members;
      DROP POLICY requests_read ON bridgekeep.requests;
      DROP POLICY requests_append ON bridgekeep.requests;
      DROP POLICY answers_read ON bridgekeep.answers;
      DROP POLICY answers_append ON bridgekeep.answers;
      DROP POLICY sealed_secrets_read ON bridgekeep.sealed_secrets;
      DROP POLICY sealed_secrets_append ON bridgekeep.sealed_secrets;
      DROP POLICY key_wraps_read ON bridgekeep.key_wraps;
      DROP POLICY key_wraps_append ON bridgekeep.key_wraps;
      ${Object.entries(V4_ACCESS)
        .map(([table, access]) => teamRowPolicies(table, access))
        .join('\n')}
    `,
    perTeam: (base) => [
      `REVOKE INSERT ON bridgekeep.changes, bridgekeep.audit FROM ${quoteIdent(base)}`,
      `REVOKE INSERT ON bridgekeep.requests, bridgekeep.answers FROM ${quoteIdent(base)}`,
      `REVOKE INSERT ON ${APPEND_TABLES_V2} FROM ${quoteIdent(base)}`,
      `REVOKE INSERT, UPDATE, DELETE ON bridgekeep.members FROM ${quoteIdent(base)}`,
      ...teamRoleTiers(base, V4_ACCESS),
    ],
  },
]

export const TEAM_SCHEMA_VERSION = teamMigrations.at(-1)?.version ?? 0

/** A team's database roles: the base role (reads) and one per team role, each granted the base. */
export function teamRoleNames(base: string): { base: string } & Record<TeamRole, string> {
  return { base, admin: `${base}_admin`, member: `${base}_member`, 'use-only': `${base}_use_only` }
}

/** The statements that create a new team's database roles and grant them what they need, no more. */
export function teamRoleGrants(base: string): string[] {
  return [`CREATE ROLE ${quoteIdent(base)} NOLOGIN`, ...teamRoleTiers(base, teamTableAccess)]
}

/** The three roles by team role, and every table's grants, for a team whose base role exists. */
function teamRoleTiers(base: string, tables: Record<string, TeamTableAccess>): string[] {
  const names = teamRoleNames(base)
  const b = quoteIdent(base)
  return [
    `GRANT USAGE ON SCHEMA bridgekeep TO ${b}`,
    `GRANT SELECT ON bridgekeep.schema_version, bridgekeep.teams TO ${b}`,
    ...teamRoles.flatMap((role) => [
      `CREATE ROLE ${quoteIdent(names[role])} NOLOGIN`,
      `GRANT ${b} TO ${quoteIdent(names[role])}`,
    ]),
    ...Object.entries(tables).flatMap(([table, access]) => teamTableGrants(base, table, access)),
  ]
}

/** What a team's roles are granted on one team-scoped table (its policies narrow it to the team). */
export function teamTableGrants(base: string, table: string, access: TeamTableAccess): string[] {
  const names = teamRoleNames(base)
  const writers = (w: TeamWriters) =>
    (w === 'admins' ? [names.admin] : teamRoles.map((r) => names[r])).map(quoteIdent).join(', ')
  const t = `bridgekeep.${quoteIdent(table)}`
  return [
    `GRANT SELECT ON ${t} TO ${quoteIdent(base)}`,
    ...(access.insert ? [`GRANT INSERT ON ${t} TO ${writers(access.insert)}`] : []),
    ...(access.rewrite ? [`GRANT UPDATE, DELETE ON ${t} TO ${writers(access.rewrite)}`] : []),
  ]
}

/**
 * What makes a member's login match their team role: GRANT the role's database role (REVOKE the
 * previous one first); with no new role (removal), REVOKE it and the base role (which logins
 * were granted directly before version 4). `login` undefined: a placeholder, for the DBA to fill.
 */
export function loginRoleStatements(
  base: string,
  login: string | undefined,
  change: { from?: TeamRole; to?: TeamRole },
): string[] {
  const names = teamRoleNames(base)
  const who = login === undefined ? '<their login>' : sqlName(login)
  const revoke = (roles: string[]) => `REVOKE ${roles.map(sqlName).join(', ')} FROM ${who}`
  if (change.to === undefined) return [revoke([...(change.from ? [names[change.from]] : []), base])]
  return [
    ...(change.from && change.from !== change.to ? [revoke([names[change.from]])] : []),
    `GRANT ${sqlName(names[change.to])} TO ${who}`,
  ]
}

/** A role name as SQL: bare when plainly safe, else quoted (a name holding `"` is refused). */
export function sqlName(name: string): string {
  if (/^[a-z_][a-z0-9_]{0,62}$/.test(name)) return name
  if (name === '' || /["\p{Cc}]/u.test(name) || Buffer.byteLength(name) > 63)
    throw new BridgekeepError(
      'VALIDATION',
      `${JSON.stringify(name.slice(0, 70))} is not a PostgreSQL login name: 1 to 63 bytes, no double quote or control character.`,
      'Give the login as the database knows it, e.g. --db-login bob_login',
    )
  return `"${name}"`
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a safe identifier: ${name}`)
  return `"${name}"`
}

/** The database role of a team: its id's hex, so one team's name never collides with another's. */
export function teamRoleName(teamId: string): string {
  return `bridgekeep_team_${teamId.replace(/-/g, '').slice(0, 16)}`
}
