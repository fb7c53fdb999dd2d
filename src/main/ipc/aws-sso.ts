import type { Services } from '../services'
import { createSsoConnections } from '../services/aws-sso/sso-connections'
import type { FeatureHandlers } from './handlers'

export function awsSsoHandlers(services: Services): FeatureHandlers<'awsSso'> {
  return {
    startSignIn: async (input) => {
      const { signInId, authorization } = await services.awsSso.startSignIn(input)
      return { signInId, ...authorization }
    },
    completeSignIn: async ({ signInId }) => {
      const { instance, accounts } = await services.awsSso.completeSignIn(signInId)
      return { startUrl: instance.startUrl, region: instance.region, accounts }
    },
    createConnections: (input) => ({ connectionIds: createSsoConnections(services, input) }),
    signOut: (input) => services.awsSso.signOut(input),
  }
}
