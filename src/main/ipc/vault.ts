import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function vaultHandlers(services: Services): FeatureHandlers<'vault'> {
  const { vault, events, connections, clipboard } = services
  const changed = () => {
    const status = vault.status()
    events.emit('vault:changed', status)
    return status
  }
  return {
    status: () => vault.status(),
    create: async (request) => {
      const result = await vault.create(request)
      changed()
      return result
    },
    unlock: async (request) => {
      const result = await vault.unlock(request)
      connections.purgeExpired()
      changed()
      return result
    },
    lock: () => {
      clipboard.clearNow()
      vault.lock()
      return changed()
    },
    rewrap: async (request) => {
      if (request.with === 'keychain') await vault.rewrapWithKeychain()
      else await vault.rewrapWithPassphrase(request.passphrase)
      return changed()
    },
    reencrypt: ({ passphrase }) =>
      vault.replaceDataKey(
        (oldKey, newKey) => connections.reencryptAll(oldKey, newKey),
        passphrase,
      ),
  }
}
