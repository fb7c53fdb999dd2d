import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function awsConfigHandlers(services: Services): FeatureHandlers<'awsConfig'> {
  return {
    previewProfile: (input) => services.awsConfig.preview(input),
    writeProfile: (input) => services.awsConfig.write(input),
  }
}
