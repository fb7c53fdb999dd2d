import type { VaultCore } from '../services/vault-core'

/** Environment names per connection id, in column order, from one matrix read. */
export function environmentsByConnection(services: VaultCore): Map<string, string[]> {
  const matrix = services.authorizations.getMatrix()
  const result = new Map<string, string[]>()
  matrix.connections.forEach((connection, index) => {
    result.set(
      connection.id,
      (matrix.authorized[index] ?? []).map((column) => matrix.environments[column]!.name),
    )
  })
  return result
}
