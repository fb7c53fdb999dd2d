import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from './client'
import { queryKeys } from './queries'

/** Where an import reads from: ~/.aws/credentials (and config) or the kubeconfig. */
export type ImportSource = 'aws' | 'kube'

/** One profile or context found, as the import dialog lists it (no secret values). */
export interface ImportItem {
  /** The profile or context name: what main reads again from the file on import. */
  source: string
  suggestedName: string
  details: string[]
  problem?: string
}

async function preview(
  source: ImportSource,
): Promise<{ path: string; found: boolean; items: ImportItem[] }> {
  if (source === 'aws') {
    const result = await api.imports.awsProfiles()
    return {
      ...result,
      items: result.items.map((item) => ({
        source: item.profile,
        suggestedName: `aws-${item.profile}`,
        details: [
          item.accessKeyId,
          item.region ?? 'no region',
          ...(item.temporary ? ['temporary keys'] : []),
        ],
        ...(item.problem ? { problem: item.problem } : {}),
      })),
    }
  }
  const result = await api.imports.kubeContexts()
  return {
    ...result,
    items: result.items.map((item) => ({
      source: item.context,
      suggestedName: `k8s-${item.context}`,
      details: [
        item.server ?? item.cluster,
        ...(item.namespace ? [`namespace ${item.namespace}`] : []),
      ],
      ...(item.problem ? { problem: item.problem } : {}),
    })),
  }
}

/** What the file holds now: read again each time the dialog opens (the file may have changed). */
export function useImportPreview(source: ImportSource, enabled: boolean) {
  return useQuery({
    queryKey: ['imports', source],
    queryFn: () => preview(source),
    enabled,
    staleTime: 0,
  })
}

/** Imports the chosen items, all or nothing; the connections list follows. */
export function useImportConnections(source: ImportSource) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (choices: { source: string; name: string }[]) =>
      source === 'aws'
        ? api.imports.importAwsProfiles({ items: choices })
        : api.imports.importKubeContexts({ items: choices }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...queryKeys.connections, 'list'] }),
  })
}
