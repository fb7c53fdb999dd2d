import type { Services } from '../services'
import { createAuthorized } from '../services/environments/create-authorized'
import type { FeatureHandlers } from './handlers'

export function connectionsHandlers(services: Services): FeatureHandlers<'connections'> {
  const { connections } = services
  return {
    list: (filter) => connections.list(filter ?? {}),
    get: ({ id }) => connections.get(id),
    create: (input) => connections.get(createAuthorized(services, [input])[0]!),
    update: (input) => connections.update(input),
    rotate: (input) => connections.rotate(input),
    trash: ({ id }) => connections.trash(id),
    restore: ({ id }) => connections.restore(id),
    purge: ({ id }) => {
      connections.purge(id)
      return null
    },
    reveal: ({ id, field }) => ({ value: connections.reveal(id, field) }),
    copy: ({ id, field }) => connections.copy(id, field),
  }
}
