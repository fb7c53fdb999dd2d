import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type {
  ConnectionDetail,
  ConnectionCreate,
  ConnectionSummary,
  ConnectionUpdate,
} from '../../shared/connections'
import type { CheckAwsRoleInput } from '../../shared/aws-role-check'
import type { OpenAwsConsoleInput } from '../../shared/aws-console'
import { api } from './client'
import { queryKeys } from './queries'

export type { ConnectionDetail, ConnectionSummary }

export function useConnections(options: { trash?: boolean } = {}) {
  const trash = options.trash ?? false
  return useQuery({
    queryKey: queryKeys.connectionList(trash),
    queryFn: () => api.connections.list({ trash }),
  })
}

/** One connection's detail query, for `useQuery` or, for several, `useQueries`. */
export const connectionQuery = (id: string) => ({
  queryKey: queryKeys.connection(id),
  queryFn: () => api.connections.get({ id }),
})

export function useConnection(id: string) {
  return useQuery(connectionQuery(id))
}

/** After any write: the written detail is fresh; every list (live and trash) may have changed. */
function afterWrite(client: QueryClient, detail?: ConnectionDetail): Promise<void> {
  if (detail) client.setQueryData(queryKeys.connection(detail.id), detail)
  return Promise.all([
    client.invalidateQueries({ queryKey: [...queryKeys.connections, 'list'] }),
    // The matrix lists live connections, and environments count them.
    client.invalidateQueries({ queryKey: queryKeys.environments }),
  ]).then(() => undefined)
}

export function useCreateConnection() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: ConnectionCreate) => api.connections.create(input),
    onSuccess: (detail) => afterWrite(client, detail),
  })
}

export function useUpdateConnection() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: ConnectionUpdate) => api.connections.update(input),
    onSuccess: (detail) => afterWrite(client, detail),
  })
}

export function useRotateConnection() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { id: string; secrets: Record<string, string> }) =>
      api.connections.rotate(input),
    onSuccess: async (detail) => {
      await afterWrite(client, detail)
      // The shares page compares the version each recipient holds with the current one.
      await client.invalidateQueries({ queryKey: [...queryKeys.sharing, 'holdings'] })
    },
  })
}

/** "Create a new key in AWS": the runner creates it, main stores it as the next version. */
export function useRotateAwsKey() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (connectionId: string) => api.connections.rotateAwsKey({ connectionId }),
    onSuccess: async (result) => {
      await client.invalidateQueries({ queryKey: queryKeys.connection(result.connectionId) })
      await afterWrite(client)
      await client.invalidateQueries({ queryKey: [...queryKeys.sharing, 'holdings'] })
    },
  })
}

/** A cross-account role, pasted or read from its stack, assumed and (if it worked) saved. */
export function useCheckAwsRole() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: CheckAwsRoleInput) => api.connections.checkAwsRole(input),
    onSuccess: async (result, input) => {
      if (!result.saved) return
      await client.invalidateQueries({ queryKey: queryKeys.connection(input.connectionId) })
      await afterWrite(client)
    },
  })
}

/** "Open console": a sign-in URL, a use of the connection (usage and audit change). */
export function useOpenAwsConsole() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: OpenAwsConsoleInput) => api.connections.openAwsConsole(input),
    onSuccess: () => afterWrite(client),
  })
}

/** Trash, restore and purge: the detail is dropped (it changes state) and lists refetch. */
function useLifecycle(call: (input: { id: string }) => Promise<unknown>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => call({ id }),
    onSuccess: (_result, id) => {
      client.removeQueries({ queryKey: queryKeys.connection(id) })
      return afterWrite(client)
    },
  })
}

export const useTrashConnection = () => useLifecycle((input) => api.connections.trash(input))
export const useRestoreConnection = () => useLifecycle((input) => api.connections.restore(input))
export const usePurgeConnection = () => useLifecycle((input) => api.connections.purge(input))

/**
 * Reveal is a plain function, not a query or mutation hook, on purpose: React Query would keep
 * the value in its caches; this way it lives only in the state of the component showing it.
 */
export function revealSecret(input: { id: string; field: string }): Promise<{ value: string }> {
  return api.connections.reveal(input)
}

/** Copy is a plain call: main puts the value on the clipboard, the page never sees it. */
export function useCopySecret() {
  return useMutation({
    mutationFn: (input: { id: string; field: string }) => api.connections.copy(input),
  })
}
