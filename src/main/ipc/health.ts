import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function healthHandlers(services: Services): FeatureHandlers<'health'> {
  const { health, healthStatus } = services
  return {
    list: () => healthStatus.list(),
    get: ({ connectionId }) => healthStatus.get(connectionId),
    // Started by a person at the window: a role behind MFA is assumed with the code it asks for.
    verify: (input) => health.verify(input, { askMfa: services.mfaPrompts.ask }),
    verifyAll: (input) => health.verifyAll(input),
    cancel: ({ jobId }) => health.cancel(jobId),
    setInterval: ({ connectionId, intervalMinutes }) =>
      healthStatus.setInterval(connectionId, intervalMinutes),
  }
}
