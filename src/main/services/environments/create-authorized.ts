import { connectionCreateSchema, type ConnectionCreate } from '../../../shared/connections'
import { parseInput } from '../../../shared/validation'
import { writeTransaction } from '../../db/database'
import type { ConnectionsService } from '../connections/connections-service'
import type { Vault } from '../vault/vault'
import type { AuthorizationsService } from './authorizations-service'

export interface CreateAuthorizedParts {
  vault: Vault
  connections: Pick<ConnectionsService, 'createMany'>
  authorizations: Pick<AuthorizationsService, 'applyChanges'>
}

/**
 * Creates connections and authorizes each for its `environmentIds`, in one transaction: the
 * connections' create entries and one authorization change set (audited, undoable like a matrix
 * edit). A protected environment without `confirmProtected` throws CONFIRMATION_REQUIRED from
 * the one rule for authorizations, and then not even the connections are created.
 * Returns the new connections' ids in order.
 */
export function createAuthorized(
  parts: CreateAuthorizedParts,
  raws: readonly ConnectionCreate[],
  options: { confirmProtected?: boolean } = {},
): string[] {
  const inputs = raws.map((raw) => parseInput(connectionCreateSchema, raw))
  parts.vault.requireKey()
  return writeTransaction(parts.vault.database(), () => {
    const ids = parts.connections.createMany(
      inputs.map(({ environmentIds: _, confirmProtected: __, ...connection }) => connection),
    )
    const grants = inputs.flatMap((input, index) =>
      [...new Set(input.environmentIds)].map((environmentId) => ({
        connectionId: ids[index]!,
        environmentId,
      })),
    )
    const confirmProtected =
      options.confirmProtected === true || inputs.some((input) => input.confirmProtected === true)
    if (grants.length > 0) parts.authorizations.applyChanges({ grants, confirmProtected })
    return ids
  })
}
