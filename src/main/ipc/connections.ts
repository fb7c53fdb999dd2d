import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function connectionsHandlers(services: Services): FeatureHandlers<'connections'> {
  const { connections, clipboard, log, audit } = services
  /** Reads one secret for reveal or copy; the audit entry is written before it leaves main. */
  const readAudited = (
    action: 'connection.reveal' | 'connection.copy',
    id: string,
    field: string,
  ) => {
    const target = { type: 'connection' as const, id }
    let value: string
    try {
      value = connections.reveal(id, field)
    } catch (error) {
      audit.recordFailure({ action, target, detail: `Field ${field.slice(0, 64)}` }, error)
      throw error
    }
    audit.record({ action, target, detail: `Field ${field.slice(0, 64)}` })
    return value
  }
  return {
    list: (filter) => connections.list(filter ?? {}),
    get: ({ id }) => connections.get(id),
    create: (input) => connections.create(input),
    update: (input) => connections.update(input),
    rotate: (input) => connections.rotate(input),
    trash: ({ id }) => connections.trash(id),
    restore: ({ id }) => connections.restore(id),
    purge: ({ id }) => {
      connections.purge(id)
      return null
    },
    reveal: ({ id, field }) => {
      const value = readAudited('connection.reveal', id, field)
      log.info('connection.revealed', { field })
      return { value }
    },
    copy: ({ id, field }) => {
      const clearAfterSeconds = clipboard.copy(readAudited('connection.copy', id, field))
      log.info('connection.copied', { field })
      return { clearAfterSeconds }
    },
  }
}
