import type { z } from 'zod'
import type { environmentsChangedSchema } from '../../shared/environments'
import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function environmentsHandlers(services: Services): FeatureHandlers<'environments'> {
  const { environments, resolution, usage, events } = services
  /** Tells every window to refetch what it shows of environments and the matrix. */
  const changed = <T>(payload: z.input<typeof environmentsChangedSchema>, value: T): T => {
    events.emit('environments:changed', payload)
    return value
  }
  return {
    list: () => environments.list(),
    create: (input) => changed({ reason: 'environments' }, environments.create(input)),
    update: (input) => changed({ reason: 'environments' }, environments.update(input)),
    setProtected: ({ id, protected: on }) =>
      changed({ reason: 'environments' }, environments.setProtected(id, on)),
    reorder: (input) => changed({ reason: 'environments' }, environments.reorder(input)),
    delete: (input) => changed({ reason: 'environments' }, environments.delete(input)),
    matrix: () => environments.getMatrix(),
    applyChanges: (input) => {
      const result = environments.applyChanges(input)
      if (result.changeId) changed({ reason: 'authorizations', changeId: result.changeId }, null)
      return result
    },
    undoLastChange: (input) => {
      const result = environments.undoLastChange(input ?? {})
      return changed({ reason: 'authorizations', changeId: result.changeId }, result)
    },
    authorizationsFor: ({ connectionId }) => environments.authorizationsFor(connectionId),
    setAuthorizations: (input) => {
      const result = environments.setAuthorizations(input)
      if (result.changeId) changed({ reason: 'authorizations', changeId: result.changeId }, null)
      return result
    },
    setDefault: (input) => changed({ reason: 'defaults' }, environments.setDefault(input)),
    defaults: () => environments.defaults(),
    resolve: ({ provider, environment, name }) => resolution.resolve(provider, environment, name),
    usage: ({ connectionId }) => usage.usageFor(connectionId),
  }
}
