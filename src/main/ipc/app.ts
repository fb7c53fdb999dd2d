import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function appHandlers(services: Services): FeatureHandlers<'app'> {
  return {
    getInfo: () => services.appInfo,
  }
}
