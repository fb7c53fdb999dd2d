import type { DesktopHost } from '../desktop/desktop-host'
import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function appHandlers(services: Services, desktop: DesktopHost): FeatureHandlers<'app'> {
  return {
    getInfo: () => services.appInfo,
    reportActivity: () => {
      desktop.reportActivity()
      return undefined
    },
  }
}
