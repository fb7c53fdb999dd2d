import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function settingsHandlers(services: Services): FeatureHandlers<'settings'> {
  return {
    get: () => services.settings.get(),
    update: (patch) => services.settings.update(patch),
  }
}
