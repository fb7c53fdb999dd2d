import type { ConnectionSummary } from '../../shared/connections'
import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

export function importsHandlers(services: Services): FeatureHandlers<'imports'> {
  const { imports, vault, audit } = services
  /** One summary entry per import (each connection also gets its own create entry). */
  const audited = (source: string, items: { source: string }[], run: () => ConnectionSummary[]) => {
    const detail = `${items.length} from ${source}: ${items.map((item) => item.source).join(', ')}`
    let created: ConnectionSummary[]
    try {
      created = run()
    } catch (error) {
      audit.recordFailure({ action: 'connection.import', detail }, error)
      throw error
    }
    audit.record({
      action: 'connection.import',
      ...(created.length === 1
        ? { target: { type: 'connection' as const, id: created[0]!.id, name: created[0]!.name } }
        : {}),
      detail,
    })
    return created
  }
  return {
    awsProfiles: () => {
      vault.requireKey()
      return imports.awsPreview()
    },
    importAwsProfiles: ({ items }) =>
      audited('AWS profiles', items, () => imports.importAws(items)),
    kubeContexts: () => {
      vault.requireKey()
      return imports.kubePreview()
    },
    importKubeContexts: ({ items }) =>
      audited('kubeconfig contexts', items, () => imports.importKube(items)),
  }
}
