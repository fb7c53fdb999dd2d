import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function importsHandlers(services: Services): FeatureHandlers<'imports'> {
  const { imports } = services
  return {
    awsProfiles: () => imports.awsPreview(),
    importAwsProfiles: ({ items }) => imports.importAws(items),
    kubeContexts: () => imports.kubePreview(),
    importKubeContexts: ({ items }) => imports.importKube(items),
  }
}
