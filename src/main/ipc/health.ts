import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function healthHandlers(services: Services): FeatureHandlers<'health'> {
  const { health } = services
  return {
    list: () => health.list(),
    get: ({ connectionId }) => health.get(connectionId),
    verify: (input) => health.verify(input),
    verifyAll: (input) => health.verifyAll(input),
    cancel: ({ jobId }) => health.cancel(jobId),
    setInterval: ({ connectionId, intervalMinutes }) =>
      health.setInterval(connectionId, intervalMinutes),
  }
}
