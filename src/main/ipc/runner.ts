import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function runnerHandlers(services: Services): FeatureHandlers<'runner'> {
  const { runner } = services
  return {
    status: () => runner.status(),
    start: () => runner.start(),
    stop: () => runner.stop(),
    restart: () => runner.restart(),
    logs: (query) => runner.logs(query),
    metrics: () => runner.metrics(),
    runners: () => runner.runners(),
    generateCredentials: (request) => runner.generateCredentials(request ?? {}),
    regenerateCredentials: (request) => runner.regenerateCredentials(request ?? {}),
    deleteRunner: ({ name, force }) => runner.deleteRunner(name, { force: force === true }),
  }
}
