import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function environmentsHandlers(services: Services): FeatureHandlers<'environments'> {
  const { environments, authorizations, resolution, usage } = services
  return {
    list: () => environments.list(),
    create: (input) => environments.create(input),
    update: (input) => environments.update(input),
    setProtected: ({ id, protected: on }) => environments.setProtected(id, on),
    reorder: (input) => environments.reorder(input),
    delete: (input) => environments.delete(input),
    matrix: () => authorizations.getMatrix(),
    applyChanges: (input) => authorizations.applyChanges(input),
    undoLastChange: (input) => authorizations.undoLastChange(input ?? {}),
    authorizationsFor: ({ connectionId }) => authorizations.authorizationsFor(connectionId),
    setAuthorizations: (input) => authorizations.setAuthorizations(input),
    setDefault: (input) => environments.setDefault(input),
    defaults: () => environments.defaults(),
    resolve: ({ provider, environment, name }) => resolution.resolve(provider, environment, name),
    usage: ({ connectionId }) => usage.usageFor(connectionId),
  }
}
