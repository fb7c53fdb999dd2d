import type { Services } from '../main/services'
import type { ConnectionSummary } from '../shared/connections'
import type { Environment } from '../shared/environments'
import { BridgekeepError } from '../shared/errors'

/**
 * A live connection by slug, or by name (any case), as people type them. Several with that name
 * must be told apart by slug; a trashed one is named as such.
 */
export function findConnection(services: Services, ref: string): ConnectionSummary {
  return findIn(services, services.connections.list(), ref)
}

/** Several at once, from one read of the list (a share of 1,000 names them all). */
export function findConnections(services: Services, refs: readonly string[]): ConnectionSummary[] {
  const live = services.connections.list()
  return refs.map((ref) => findIn(services, live, ref))
}

function findIn(
  services: Services,
  live: readonly ConnectionSummary[],
  ref: string,
): ConnectionSummary {
  const wanted = ref.trim()
  const bySlug = live.find((connection) => connection.slug === wanted.toLowerCase())
  if (bySlug) return bySlug
  const byName = live.filter((connection) => connection.name.toLowerCase() === wanted.toLowerCase())
  if (byName.length === 1) return byName[0]!
  if (byName.length > 1) {
    throw new BridgekeepError(
      'AMBIGUOUS_CONNECTION',
      `Several connections are named ${ref}: ${byName.map((c) => `${c.name} (${c.slug})`).join(', ')}`,
      'Use the slug of the one you mean.',
    )
  }
  const trashed = services.connections
    .list({ trash: true })
    .find((c) => c.slug === wanted.toLowerCase() || c.name.toLowerCase() === wanted.toLowerCase())
  if (trashed) {
    throw new BridgekeepError(
      'CONFLICT',
      `Connection ${trashed.name} is in the trash.`,
      'Restore it in the app to use it again.',
    )
  }
  throw new BridgekeepError(
    'NOT_FOUND',
    `Connection ${ref} does not exist.`,
    "Check the name or slug: 'bridgekeep ls' lists both.",
  )
}

/** An environment by slug or name (any case). */
export function findEnvironment(services: Services, ref: string): Environment {
  const wanted = ref.trim().toLowerCase()
  const all = services.environments.list()
  const env = all.find((e) => e.slug === wanted) ?? all.find((e) => e.name.toLowerCase() === wanted)
  if (env) return env
  throw new BridgekeepError(
    'NOT_FOUND',
    `Environment ${ref} does not exist.`,
    all.length > 0 ? `Environments: ${all.map((e) => e.name).join(', ')}.` : 'Create one first.',
  )
}

/** Environment names per connection id, in column order, from one matrix read. */
export function environmentsByConnection(services: Services): Map<string, string[]> {
  const matrix = services.environments.getMatrix()
  const result = new Map<string, string[]>()
  matrix.connections.forEach((connection, index) => {
    result.set(
      connection.id,
      (matrix.authorized[index] ?? []).map((column) => matrix.environments[column]!.name),
    )
  })
  return result
}
