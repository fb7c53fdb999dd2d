import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function mfaHandlers(services: Services): FeatureHandlers<'mfa'> {
  return {
    answer: ({ requestId, code }) => {
      services.mfaPrompts.answer(requestId, code)
      return undefined
    },
    cancel: ({ requestId }) => {
      services.mfaPrompts.cancel(requestId)
      return undefined
    },
  }
}
