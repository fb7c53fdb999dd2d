import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { RunnerStatus } from '../../shared/runner/status'
import { api } from './client'

export type {
  CredentialsFile,
  KnownRunner,
  RunnerLogEntry,
  RunnerMetrics,
  RunnerStatus,
} from '../../shared/runner/status'

export const runnerKeys = {
  all: ['runner'] as const,
  status: ['runner', 'status'] as const,
  metrics: ['runner', 'metrics'] as const,
  runners: ['runner', 'runners'] as const,
}

/** The local runner's status, kept current by pushes from main. */
export function useRunnerStatus() {
  const client = useQueryClient()
  useEffect(
    () =>
      api.runner.onStatus((status) => {
        client.setQueryData(runnerKeys.status, status)
        // Connections come and go with status changes: the runners list follows.
        void client.invalidateQueries({ queryKey: runnerKeys.runners })
      }),
    [client],
  )
  return useQuery({ queryKey: runnerKeys.status, queryFn: () => api.runner.status() })
}

export function useRunnerMetrics() {
  return useQuery({
    queryKey: runnerKeys.metrics,
    queryFn: () => api.runner.metrics(),
    refetchInterval: 2000,
  })
}

export function useKnownRunners() {
  return useQuery({
    queryKey: runnerKeys.runners,
    queryFn: () => api.runner.runners(),
    refetchInterval: 10_000,
  })
}

type Action = 'start' | 'stop' | 'restart'

export function useRunnerAction(action: Action) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => api.runner[action](),
    onSuccess: (status: RunnerStatus) => client.setQueryData(runnerKeys.status, status),
    onSettled: () => client.invalidateQueries({ queryKey: runnerKeys.all }),
  })
}

/**
 * The credentials file comes back once, with a private key and an API key in it: the mutation
 * is forgotten as soon as nothing shows it.
 */
export function useIssueCredentials(kind: 'generate' | 'regenerate') {
  const client = useQueryClient()
  return useMutation({
    gcTime: 0,
    mutationFn: (request: { label?: string }) =>
      kind === 'generate'
        ? api.runner.generateCredentials(request)
        : api.runner.regenerateCredentials(request),
    onSettled: () => client.invalidateQueries({ queryKey: runnerKeys.runners }),
  })
}
