import type { StoredVersion, TeamStore } from './team-database-repository'

/**
 * SQL for team connections' keys (schema version 2): the sealed versions and the keys wrapped to
 * members, on a team store's connection. Rows in, rows out: it verifies nothing
 * (team-connection-versions.ts and team-connection-keys.ts do).
 */
export async function appendWraps(
  store: TeamStore,
  at: { teamId: string; connectionId: string; version: number },
  wraps: ReadonlyMap<string, Uint8Array>,
): Promise<void> {
  for (const [recipient, wrapped] of wraps)
    await store.query(
      `INSERT INTO bridgekeep.key_wraps (team_id, connection_id, version, recipient, wrapped)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [at.teamId, at.connectionId, at.version, recipient, Buffer.from(wrapped)],
    )
}

/** One sealed version, with the key wrapped to `recipient` if there is one; undefined if none. */
export async function sealedVersion(
  store: TeamStore,
  at: { teamId: string; connectionId: string; version: number },
  recipient: string,
): Promise<StoredVersion | undefined> {
  // By primary key: a runner reads this for each request.
  const [row] = await store.query<{ ciphertext: Buffer; wrapped: Buffer | null }>(
    `SELECT s.ciphertext, w.wrapped
       FROM bridgekeep.sealed_secrets s
       LEFT JOIN bridgekeep.key_wraps w
         ON w.team_id = s.team_id AND w.connection_id = s.connection_id
        AND w.version = s.version AND w.recipient = $2
      WHERE s.team_id = $1 AND s.connection_id = $3 AND s.version = $4`,
    [at.teamId, recipient, at.connectionId, at.version],
  )
  return (
    row && {
      connectionId: at.connectionId,
      version: at.version,
      ciphertext: row.ciphertext,
      wrapped: row.wrapped ?? undefined,
    }
  )
}

/**
 * Every sealed version of a team (or only the versions `only` names), with the key wrapped to
 * `recipient` where there is one. Two scans joined here, not in SQL: right after thousands of
 * versions are written the planner's statistics are stale, and its join became a nested loop
 * (seconds for 1,000 versions).
 */
export async function sealedVersions(
  store: TeamStore,
  teamId: string,
  recipient: string,
  only?: readonly { id: string; version: number }[],
): Promise<StoredVersion[]> {
  // A version as `connection/version`: PostgreSQL hashes a long `= ANY` list, one scan.
  const which = only ? "AND connection_id || '/' || version = ANY ($2::text[])" : ''
  const keys = only?.map((o) => `${o.id.toLowerCase()}/${o.version}`)
  const sealed = await store.query<{ connection_id: string; version: number; ciphertext: Buffer }>(
    `SELECT connection_id, version, ciphertext FROM bridgekeep.sealed_secrets
      WHERE team_id = $1 ${which} ORDER BY connection_id, version`,
    keys ? [teamId, keys] : [teamId],
  )
  const wraps = await store.query<{ connection_id: string; version: number; wrapped: Buffer }>(
    `SELECT connection_id, version, wrapped FROM bridgekeep.key_wraps
      WHERE team_id = $1 AND recipient = $${keys ? 3 : 2} ${which}`,
    keys ? [teamId, keys, recipient] : [teamId, recipient],
  )
  const mine = new Map(wraps.map((w) => [`${w.connection_id}/${w.version}`, w.wrapped]))
  return sealed.map((r) => ({
    connectionId: r.connection_id,
    version: r.version,
    ciphertext: r.ciphertext,
    wrapped: mine.get(`${r.connection_id}/${r.version}`),
  }))
}

/**
 * Who each version's key is wrapped to (no key), but for the recipients in `except`: what the
 * check for stray wraps reads (the wraps to members who hold keys are expected).
 */
export async function wrapRecipients(
  store: TeamStore,
  teamId: string,
  { except }: { except: readonly string[] },
): Promise<{ connectionId: string; version: number; recipient: string }[]> {
  const rows = await store.query<{ connection_id: string; version: number; recipient: string }>(
    `SELECT connection_id, version, recipient FROM bridgekeep.key_wraps
      WHERE team_id = $1 AND NOT (recipient = ANY ($2::text[]))
      ORDER BY connection_id, version, recipient`,
    [teamId, except],
  )
  return rows.map((r) => ({
    connectionId: r.connection_id,
    version: r.version,
    recipient: r.recipient,
  }))
}
