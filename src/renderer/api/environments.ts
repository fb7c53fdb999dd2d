import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type {
  ApplyChangesInput,
  ChangeResult,
  Environment,
  EnvironmentInput,
  EnvironmentUpdate,
  Matrix,
} from '../../shared/environments'
import { api } from './client'
import { queryKeys } from './queries'

export type { Environment, Matrix }

export function useEnvironments() {
  return useQuery({ queryKey: queryKeys.environmentList, queryFn: () => api.environments.list() })
}

export function useMatrix() {
  return useQuery({ queryKey: queryKeys.matrix, queryFn: () => api.environments.matrix() })
}

/** The environments a connection is authorized for; with no connection (undefined), idle. */
export function useAuthorizationsFor(connectionId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.authorizationsFor(connectionId ?? ''),
    queryFn: () => api.environments.authorizationsFor({ connectionId: connectionId! }),
    enabled: connectionId !== undefined,
  })
}

export function useUsage(connectionId: string) {
  return useQuery({
    queryKey: queryKeys.usage(connectionId),
    queryFn: () => api.environments.usage({ connectionId }),
  })
}

export function useDefaults() {
  return useQuery({ queryKey: queryKeys.defaults, queryFn: () => api.environments.defaults() })
}

/**
 * Every environment write changes what several screens show (counts, matrix columns, a
 * connection's "Authorized for", the list's environment filter): refetch all of it.
 */
function useEnvironmentsMutation<I, O>(call: (input: I) => Promise<O>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: call,
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.environments }),
  })
}

export const useCreateEnvironment = () =>
  useEnvironmentsMutation((input: EnvironmentInput) => api.environments.create(input))
export const useUpdateEnvironment = () =>
  useEnvironmentsMutation((input: EnvironmentUpdate) => api.environments.update(input))
export const useSetProtected = () =>
  useEnvironmentsMutation((input: { id: string; protected: boolean }) =>
    api.environments.setProtected(input),
  )
export const useReorderEnvironments = () =>
  useEnvironmentsMutation((ids: string[]) => api.environments.reorder({ ids }))
export const useDeleteEnvironment = () =>
  useEnvironmentsMutation((input: { id: string; force?: boolean; confirmProtected?: boolean }) =>
    api.environments.delete(input),
  )
export const useApplyChanges = () =>
  useEnvironmentsMutation((input: ApplyChangesInput): Promise<ChangeResult> =>
    api.environments.applyChanges(input),
  )
export const useUndoLastChange = () =>
  useEnvironmentsMutation((input: { confirmProtected?: boolean }) =>
    api.environments.undoLastChange(input),
  )
export const useSetAuthorizations = () =>
  useEnvironmentsMutation(
    (input: { connectionId: string; environmentIds: string[]; confirmProtected?: boolean }) =>
      api.environments.setAuthorizations(input),
  )
export const useSetDefault = () =>
  useEnvironmentsMutation(
    (input: { environmentId: string; provider: string; connectionId: string | null }) =>
      api.environments.setDefault(input),
  )

/** Changes made elsewhere (another window, the CLI) reach every screen that shows them. */
export function useEnvironmentsPushEvents(): void {
  const client = useQueryClient()
  useEffect(
    () =>
      api.environments.onChanged(
        () => void client.invalidateQueries({ queryKey: queryKeys.environments }),
      ),
    [client],
  )
}
