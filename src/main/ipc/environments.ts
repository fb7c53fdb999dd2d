import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function environmentsHandlers(services: Services): FeatureHandlers<'environments'> {
  const { environments, resolution, usage } = services
  return {
    list: () => environments.list(),
    create: (input) => environments.create(input),
    update: (input) => environments.update(input),
    setProtected: ({ id, protected: on }) => environments.setProtected(id, on),
    reorder: (input) => environments.reorder(input),
    delete: (input) => environments.delete(input),
    matrix: () => environments.getMatrix(),
    applyChanges: (input) => environments.applyChanges(input),
    undoLastChange: (input) => environments.undoLastChange(input ?? {}),
    authorizationsFor: ({ connectionId }) => environments.authorizationsFor(connectionId),
    setAuthorizations: (input) => environments.setAuthorizations(input),
    setDefault: (input) => environments.setDefault(input),
    defaults: () => environments.defaults(),
    resolve: ({ provider, environment, name }) => resolution.resolve(provider, environment, name),
    usage: ({ connectionId }) => usage.usageFor(connectionId),
  }
}
