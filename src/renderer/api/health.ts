import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { ConnectionHealth, VerifyProgress } from '../../shared/health'
import { api } from './client'
import { queryKeys } from './queries'

export type { ConnectionHealth, VerifyProgress } from '../../shared/health'

const healthKeys = {
  list: [...queryKeys.health, 'list'] as const,
}

/**
 * The health of every live connection (status dots, "Last verified"), refetched when main says
 * a result changed: one verify, a batch of a Verify all, a scheduled check.
 */
export function useHealthList() {
  const client = useQueryClient()
  useEffect(
    () =>
      api.health.onChanged(() => {
        void client.invalidateQueries({ queryKey: healthKeys.list })
      }),
    [client],
  )
  return useQuery({ queryKey: healthKeys.list, queryFn: () => api.health.list() })
}

/** One connection's health, read from the list (one query, kept fresh by the same pushes). */
export function useConnectionHealth(connectionId: string) {
  const list = useHealthList()
  return { ...list, data: list.data?.find((health) => health.connectionId === connectionId) }
}

export function useVerify() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { connectionId: string; environmentId?: string }) =>
      api.health.verify(input),
    onSuccess: (health: ConnectionHealth) => {
      client.setQueryData<ConnectionHealth[]>(healthKeys.list, (list) =>
        list?.map((item) => (item.connectionId === health.connectionId ? health : item)),
      )
    },
    // A verify is not a use: "Last used" and the usage counts stay as they were; only the
    // health list ("Last verified") changes, set above and pushed by health:changed.
  })
}

export function useSetCheckInterval() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { connectionId: string; intervalMinutes: number | null }) =>
      api.health.setInterval(input),
    onSettled: () => client.invalidateQueries({ queryKey: healthKeys.list }),
  })
}

/**
 * Verify all: starts the job, follows its progress pushes, and cancels it. `progress` is the
 * latest push of the job this hook started (null before the first one and after `reset`).
 */
export function useVerifyAll() {
  const [jobId, setJobId] = useState<string | null>(null)
  const [progress, setProgress] = useState<VerifyProgress | null>(null)
  // Results arrive as health:changed pushes (useHealthList); checks are not uses, so the
  // connection list's "Last used" and the usage counts need no refetch.
  useEffect(() => {
    if (!jobId) return
    return api.health.onProgress((update) => {
      if (update.jobId !== jobId) return
      setProgress(update)
    })
  }, [jobId])
  const start = useMutation({
    mutationFn: () => api.health.verifyAll({}),
    onSuccess: (job) => {
      setProgress({
        jobId: job.jobId,
        total: job.total,
        done: 0,
        healthy: 0,
        failing: 0,
        skipped: 0,
        state: 'running',
      })
      setJobId(job.jobId)
    },
  })
  const cancel = useMutation({ mutationFn: (id: string) => api.health.cancel({ jobId: id }) })
  return {
    start,
    cancel: () => {
      if (jobId) cancel.mutate(jobId)
    },
    cancelling: cancel.isPending || cancel.isSuccess,
    progress,
    reset: () => {
      setJobId(null)
      setProgress(null)
      cancel.reset()
    },
  }
}

/**
 * A connection turned failing or recovered (a scheduled check, a Verify all): shown in the
 * window too, beside the desktop notification the Electron shell shows.
 */
export function useHealthTransitions(show: (message: string, failing: boolean) => void) {
  useEffect(
    () =>
      api.health.onTransition((transition) =>
        show(
          transition.to === 'failing'
            ? `${transition.connectionName} is failing. ${transition.message}`
            : `${transition.connectionName} works again. ${transition.message}`,
          transition.to === 'failing',
        ),
      ),
    [show],
  )
}
