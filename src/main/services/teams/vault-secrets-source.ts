import type { ConnectionsService } from '../connections/connections-service'
import type { AuthorizationsService } from '../environments/authorizations-service'
import type { EnvironmentsService } from '../environments/environments-service'
import type { UseSecrets } from '../references/secrets-for-use'
import type { ResolutionService } from '../resolution/resolution-service'
import type { TeamSecretsSource } from './team-runner'

/**
 * A team runner's connections taken from the runner admin's own vault: the connection of the
 * requested name (or slug), and the vault's authorization matrix standing in for the team's.
 * This is the source until team connections (sealed in the team database, keys wrapped to full
 * members) are wired in through the same interface; it is honest meanwhile: the secret is read
 * for one use, in this process, authorized by the one resolution path every use takes.
 */
export function vaultSecretsSource(services: {
  connections: ConnectionsService
  environments: EnvironmentsService
  authorizations: AuthorizationsService
  resolution: ResolutionService
  useSecrets: UseSecrets
}): TeamSecretsSource {
  const find = (name: string) => {
    const wanted = name.toLowerCase()
    return services.connections
      .list()
      .find((c) => c.slug === wanted || c.name.toLowerCase() === wanted)
  }
  return {
    async describe(_teamId, name) {
      const connection = find(name)
      if (!connection) return undefined
      const authorized = new Set(
        services.authorizations.authorizationsFor(connection.id).environmentIds,
      )
      return {
        id: connection.id,
        name: connection.name,
        provider: connection.provider,
        environments: services.environments
          .list()
          .filter((env) => authorized.has(env.id))
          .flatMap((env) => [env.slug, env.name]),
      }
    },
    async open(_teamId, name, environment) {
      const connection = find(name)!
      const resolved = services.resolution.resolve(
        connection.provider,
        environment,
        connection.slug,
      )
      const { secrets } = await services.useSecrets(resolved.connection.id, {
        environment: resolved.environment,
        env: {},
      })
      return {
        connection: {
          id: connection.id,
          name: connection.name,
          provider: connection.provider,
          authMode: connection.authMode,
        },
        config: services.connections.get(connection.id).config,
        secrets,
      }
    },
  }
}
