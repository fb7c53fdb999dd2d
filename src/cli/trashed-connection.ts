import type { ConnectionSummary } from '../shared/connections'
import type { Services } from '../main/services'
import {
  ambiguousConnection,
  connectionNotFound,
  connectionsNamed,
} from '../main/services/find-by-ref'

/**
 * The connection `restore` and `purge` act on: the trashed one `ref` names (slug, else name in
 * any case; several with that name are told apart by slug, as everywhere), else the live one, so
 * that restoring it says it is not in the trash and purging it gets the service's refusal.
 */
export function findTrashedOrLive(services: Services, ref: string): ConnectionSummary {
  const trashed = connectionsNamed(services.connections.list({ trash: true }), ref)
  if (trashed.length > 1) throw ambiguousConnection(ref, trashed)
  if (trashed.length === 1) return trashed[0]!
  const live = connectionsNamed(services.connections.list(), ref)
  if (live.length > 1) throw ambiguousConnection(ref, live)
  if (live.length === 1) return live[0]!
  throw connectionNotFound(ref)
}
