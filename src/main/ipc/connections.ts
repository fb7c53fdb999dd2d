import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function connectionsHandlers(services: Services): FeatureHandlers<'connections'> {
  const { connections, clipboard, log } = services
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
      const value = connections.reveal(id, field)
      log.info('connection.revealed', { field })
      return { value }
    },
    copy: ({ id, field }) => {
      const clearAfterSeconds = clipboard.copy(connections.reveal(id, field))
      log.info('connection.copied', { field })
      return { clearAfterSeconds }
    },
  }
}
