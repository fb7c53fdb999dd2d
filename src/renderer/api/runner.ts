import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { RunnerLogEntry, RunnerStatus } from '../../shared/runner-protocol/status'
import { api } from './client'

export type {
  EnrollmentFile,
  KnownRunner,
  RunnerLogEntry,
  RunnerStatus,
} from '../../shared/runner-protocol/status'

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
    mutationFn: (request: { name: string }) =>
      kind === 'generate'
        ? api.runner.generateCredentials(request)
        : api.runner.regenerateCredentials(request),
    onSettled: () => client.invalidateQueries({ queryKey: runnerKeys.runners }),
  })
}

/** Revokes a remote runner and forgets it; main refuses while connections name it, unless `force`. */
export function useDeleteRunner() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (request: { name: string; force?: boolean }) => api.runner.deleteRunner(request),
    onSettled: () => client.invalidateQueries({ queryKey: runnerKeys.runners }),
  })
}

type LogLevel = RunnerLogEntry['level']
const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error']

/** The same test main applies (src/main/runner-host/runner-log.ts), for lines pushed live. */
function matches(line: RunnerLogEntry, filter: LogFilter): boolean {
  const { level, search, runnerId } = filter
  if (runnerId && line.runnerId !== runnerId) return false
  if (level && LOG_LEVELS.indexOf(line.level) < LOG_LEVELS.indexOf(level)) return false
  const needle = search.trim().toLowerCase()
  if (!needle) return true
  const fields = Object.entries(line.fields).map(([key, value]) => `${key}=${String(value)}`)
  return `${line.event} ${line.runnerId ?? ''} ${fields.join(' ')}`.toLowerCase().includes(needle)
}

interface LogFilter {
  level: LogLevel | ''
  search: string
  /** One runner's lines; '' for every runner's and the app's. */
  runnerId: string
}

/**
 * The live tail of the runner log: the last `limit` lines matching the filters, then every line
 * main pushes that matches them. Not a React Query cache on purpose: a tail is a stream, kept
 * only while the panel shows it, and pushed lines that arrive before the first read are merged
 * after it by sequence number.
 */
export function useRunnerLogs(filter: LogFilter, limit: number) {
  const { level, search, runnerId } = filter
  const [lines, setLines] = useState<RunnerLogEntry[]>([])
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    let live = true
    const pushed: RunnerLogEntry[] = []
    let loaded: RunnerLogEntry[] | undefined
    const merge = () =>
      setLines(
        (loaded ?? [])
          .concat(pushed.filter((line) => line.seq > (loaded?.at(-1)?.seq ?? 0)))
          .slice(-limit),
      )
    const unsubscribe = api.runner.onLog((line) => {
      if (!live || !matches(line, { level, search, runnerId })) return
      pushed.push(line)
      if (loaded) merge()
    })
    api.runner
      .logs({
        ...(level ? { level } : {}),
        ...(search.trim() ? { search: search.trim() } : {}),
        ...(runnerId ? { runnerId } : {}),
        limit,
      })
      .then(
        (result) => {
          if (!live) return
          loaded = result
          setError(null)
          merge()
        },
        (failure: unknown) => live && setError(failure),
      )
    return () => {
      live = false
      unsubscribe()
    }
  }, [level, search, runnerId, limit])
  return { lines, error }
}
