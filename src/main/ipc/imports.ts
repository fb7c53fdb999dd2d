import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function importsHandlers(services: Services): FeatureHandlers<'imports'> {
  const { imports, vault } = services
  return {
    awsProfiles: () => {
      vault.requireKey()
      return imports.awsPreview()
    },
    importAwsProfiles: ({ items }) => imports.importAws(items),
    kubeContexts: () => {
      vault.requireKey()
      return imports.kubePreview()
    },
    importKubeContexts: ({ items }) => imports.importKube(items),
  }
}
