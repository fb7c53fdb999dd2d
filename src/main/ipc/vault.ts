import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function vaultHandlers(services: Services): FeatureHandlers<'vault'> {
  const { vaultLifecycle: vault } = services
  return {
    status: () => vault.status(),
    create: (request) => vault.create(request),
    unlock: (request) => vault.unlock(request),
    lock: () => vault.lock(),
    rewrap: (request) => vault.rewrap(request),
    reencrypt: (request) => vault.reencrypt(request),
  }
}
