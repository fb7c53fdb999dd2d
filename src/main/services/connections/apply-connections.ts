import {
  connectionUpdateSchema,
  type ConnectionCreate,
  type ConnectionUpdate,
} from '../../../shared/connections'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import { parseInput } from '../../../shared/validation'
import { writeTransaction } from '../../db/database'
import { createAuthorized, type CreateAuthorizedParts } from '../environments/create-authorized'
import type { AuthorizationsService } from '../environments/authorizations-service'
import type { ConnectionsService } from './connections-service'

/** One connection's part of a declarative apply (`bridgekeep apply -f`): what to write, if any. */
export interface ConnectionWrite {
  /** Names the document in an error: "doc 2 (prod-db)". */
  label: string
  /** A new connection, authorized for its environmentIds as it is created. */
  create?: ConnectionCreate
  /** An existing connection: the edit of its properties, and its authorization changes. */
  update?: { id: string; patch?: ConnectionUpdate; grants: string[]; revokes: string[] }
}

export interface ApplyConnectionsParts extends CreateAuthorizedParts {
  connections: Pick<ConnectionsService, 'createMany' | 'update'>
  authorizations: Pick<AuthorizationsService, 'applyChanges'>
}

/**
 * Writes every connection of an apply in ONE transaction, through the same service methods the
 * app and `add`/`edit`/`authorize` use (so each change is validated, versioned and audited as
 * theirs are): all of it, or, when any one is refused, none. A refusal names its document.
 * Returns the ids of the connections written, in order.
 */
export function applyConnections(
  parts: ApplyConnectionsParts,
  writes: readonly ConnectionWrite[],
  options: { confirmProtected?: boolean } = {},
): string[] {
  const confirmProtected = options.confirmProtected === true
  parts.vault.requireKey()
  return writeTransaction(parts.vault.database(), () =>
    writes.flatMap(({ label, create, update }) =>
      named(label, () => {
        if (create) return createAuthorized(parts, [create], { confirmProtected })
        if (!update) return []
        if (update.patch) parts.connections.update(parseInput(connectionUpdateSchema, update.patch))
        const pairs = (environmentIds: string[]) =>
          environmentIds.map((environmentId) => ({ connectionId: update.id, environmentId }))
        if (update.grants.length + update.revokes.length > 0)
          parts.authorizations.applyChanges({
            grants: pairs(update.grants),
            revokes: pairs(update.revokes),
            confirmProtected,
          })
        return [update.id]
      }),
    ),
  )
}

/** Runs one document's writes; a refusal keeps its code, issues and hint, and names the document. */
function named<T>(label: string, write: () => T): T {
  try {
    return write()
  } catch (error) {
    if (!isBridgekeepError(error)) throw error
    throw new BridgekeepError(
      error.code,
      `${label}: ${error.message} Nothing was applied.`,
      error.hint,
      error.issues,
    )
  }
}
