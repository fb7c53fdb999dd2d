import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function auditHandlers(services: Services): FeatureHandlers<'audit'> {
  const { audit } = services
  return {
    query: (input) => audit.query(input),
    export: (input) => audit.export(input),
    verify: () => audit.verify(),
  }
}
