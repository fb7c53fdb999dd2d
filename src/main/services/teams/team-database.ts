import type { ConnectionsService } from '../connections/connections-service'
import type { UseSecrets } from '../references/secrets-for-use'
import type { Resolved } from '../../../shared/environments'
import type { ResolutionService } from '../resolution/resolution-service'
import type { TeamStore } from './team-database-repository'

/** Where a team database is: a PostgreSQL connection of this vault and the environment it is used in. */
export interface TeamDatabase {
  connection: string
  environment: string
}

/** The connection and environment a use resolved to (what a joined team remembers). */
export interface UsedDatabase {
  connectionId: string
  environmentId: string
}

/** The services a use of the team database goes through. */
export interface TeamDatabaseServices {
  resolution: ResolutionService
  connections: ConnectionsService
  useSecrets: UseSecrets
}

/**
 * When a use of the team database is audited: when `work` is done (a command: the entry says
 * whether it worked), or as soon as the connection is open (a watch, which may run for hours
 * and is ended by a lock: its entry must not wait for the vault's key to be gone).
 */
export type RecordedWhen = 'done' | 'open'

/**
 * Runs `work` with the team database opened through the PostgreSQL connection, resolved in the
 * environment like any use: refused unless authorized, recorded as usage, audited as
 * `team.connect` (the detail says what was done). The login's password is read for this use
 * only (references included) and goes to the server, nowhere else.
 */
export async function useTeamDatabase<T>(
  services: TeamDatabaseServices,
  database: TeamDatabase,
  detail: string,
  work: (store: TeamStore, used: UsedDatabase) => Promise<T>,
  recorded: RecordedWhen = 'done',
): Promise<T> {
  const use = {
    provider: 'postgres',
    environment: database.environment,
    name: database.connection,
    operation: 'team.connect',
    refusedDetail: `Refused: ${detail}`,
  } as const
  const run = async (opened: OpenedDatabase) => {
    try {
      return await work(opened.store, opened.used)
    } finally {
      await opened.store.close()
    }
  }
  if (recorded === 'open') {
    const opened = await services.resolution.useAudited(use, async (resolved) => ({
      value: await openDatabase(services, resolved),
      detail,
    }))
    return run(opened)
  }
  return services.resolution.useAudited(use, async (resolved) => ({
    value: await run(await openDatabase(services, resolved)),
    detail,
  }))
}

interface OpenedDatabase {
  store: TeamStore
  used: UsedDatabase
}

async function openDatabase(
  services: TeamDatabaseServices,
  resolved: Resolved,
): Promise<OpenedDatabase> {
  const config = services.connections.get(resolved.connection.id).config
  const { secrets } = await services.useSecrets(resolved.connection.id, {
    environment: resolved.environment,
    env: process.env,
  })
  // Loaded on a team's first use: node-postgres is no part of the app's or CLI's start.
  const { TeamStore } = await import('./team-database-repository')
  const store = await TeamStore.open({
    host: config.host ?? '',
    port: Number(config.port ?? 5432),
    database: config.database ?? '',
    user: config.user ?? '',
    password: secrets.password ?? '',
    sslmode: config.sslmode ?? 'prefer',
    ca: config.ca_certificate,
  })
  return {
    store,
    used: { connectionId: resolved.connection.id, environmentId: resolved.environment.id },
  }
}
