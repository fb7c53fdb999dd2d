import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function vaultHandlers(services: Services): FeatureHandlers<'vault'> {
  const { vault, events, connections, clipboard, audit, runner } = services
  const changed = () => {
    const status = vault.status()
    events.emit('vault:changed', status)
    return status
  }
  /** Runs a vault action; a failure is recorded (no secret: the method and the error code). */
  const audited = async <T>(
    action: 'vault.unlock' | 'vault.rewrap' | 'vault.reencrypt',
    detail: string,
    run: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      audit.recordFailure({ action, detail }, error)
      throw error
    }
  }
  return {
    status: () => vault.status(),
    create: async (request) => {
      const result = await vault.create(request)
      audit.record({ action: 'vault.create', detail: `Created (${request.mode})` })
      changed()
      return result
    },
    unlock: async (request) => {
      const detail = `With ${request.method}`
      const result = await audited('vault.unlock', detail, () => vault.unlock(request))
      audit.record({
        action: 'vault.unlock',
        detail: result.resealedKeychain ? `${detail}; keychain item re-sealed` : detail,
      })
      connections.purgeExpired()
      changed()
      return result
    },
    lock: () => {
      clipboard.clearNow()
      if (vault.status().state === 'unlocked')
        audit.record({ action: 'vault.lock', detail: 'Locked' })
      vault.lock()
      return changed()
    },
    rewrap: async (request) => {
      const detail = `With ${request.with}`
      await audited('vault.rewrap', detail, () =>
        request.with === 'keychain'
          ? vault.rewrapWithKeychain()
          : vault.rewrapWithPassphrase(request.passphrase),
      )
      audit.record({ action: 'vault.rewrap', detail })
      return changed()
    },
    reencrypt: ({ passphrase }) =>
      audited('vault.reencrypt', 'New data key', () =>
        vault.replaceDataKey((oldKey, newKey) => {
          connections.reencryptAll(oldKey, newKey)
          runner.identity.rewrapCa(oldKey, newKey)
          services.sharing.reencryptIdentity(oldKey, newKey)
          // In the re-encryption's own transaction: recorded if and only if it happened.
          audit.record({
            action: 'vault.reencrypt',
            detail: 'New data key; every secret re-encrypted',
          })
        }, passphrase),
      ),
  }
}
