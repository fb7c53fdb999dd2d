import type { ConnectionsService } from '../connections/connections-service'
import type { UseSecrets } from '../references/secrets-for-use'
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
 * Runs `work` with the team database opened through the PostgreSQL connection, resolved in the
 * environment like any use: refused unless authorized, recorded as usage, audited as
 * `team.connect` (the detail says what was done). The login's password is read for this use
 * only (references included) and goes to the server, nowhere else.
 */
export function useTeamDatabase<T>(
  services: TeamDatabaseServices,
  database: TeamDatabase,
  detail: string,
  work: (store: TeamStore, used: UsedDatabase) => Promise<T>,
): Promise<T> {
  return services.resolution.useAudited(
    {
      provider: 'postgres',
      environment: database.environment,
      name: database.connection,
      operation: 'team.connect',
      refusedDetail: `Refused: ${detail}`,
    },
    async (resolved) => {
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
      try {
        const value = await work(store, {
          connectionId: resolved.connection.id,
          environmentId: resolved.environment.id,
        })
        return { value, detail }
      } finally {
        await store.close()
      }
    },
  )
}
