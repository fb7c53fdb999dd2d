import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { Settings, SettingsPatch } from '../../shared/settings'
import { api } from './client'

export const queryKeys = {
  appInfo: ['app', 'info'] as const,
  settings: ['settings'] as const,
  vaultStatus: ['vault', 'status'] as const,
  /** Everything read from the vault's connections: dropped as a whole when the vault locks. */
  connections: ['connections'] as const,
  connectionList: (trash: boolean) => ['connections', 'list', { trash }] as const,
  connection: (id: string) => ['connections', 'detail', id] as const,
  /** Environments, the matrix, authorizations and usage: also vault data, also dropped on lock. */
  environments: ['environments'] as const,
  environmentList: ['environments', 'list'] as const,
  matrix: ['environments', 'matrix'] as const,
  authorizationsFor: (id: string) => ['environments', 'authorizations', id] as const,
  usage: (id: string) => ['environments', 'usage', id] as const,
  defaults: ['environments', 'defaults'] as const,
  audit: ['audit'] as const,
  sharing: ['sharing'] as const,
  /** Team spaces and their members (read from the team databases): vault data too. */
  teams: ['teams'] as const,
  /** Connection health: also vault data. */
  health: ['health'] as const,
  /** The app's agent and the command-line tool: not vault data (shown while locked too). */
  commandLine: ['commandLine'] as const,
  /** The backup schedule and its folder's newest backup: settings, not vault data. */
  backupStatus: ['backup', 'status'] as const,
}

/** Every query that reads the vault's content: none of it may outlive an unlock. */
export const vaultDataKeys = [
  queryKeys.connections,
  queryKeys.environments,
  queryKeys.audit,
  queryKeys.sharing,
  queryKeys.teams,
  queryKeys.health,
]

export function useAppInfo() {
  return useQuery({
    queryKey: queryKeys.appInfo,
    queryFn: () => api.app.getInfo(),
    staleTime: Infinity,
  })
}

/** Settings for the shell (the theme): never throws, so a bad settings file cannot blank the app. */
export function useSettingsQuery() {
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => api.settings.get() })
}

/** Settings for the Settings page: suspends, and lets its error boundary show what is wrong. */
export function useSettings() {
  return useSuspenseQuery({ queryKey: queryKeys.settings, queryFn: () => api.settings.get() })
}

/** Applies the change at once (a theme switch must feel instant) and rolls back if main refuses. */
export function useUpdateSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (patch: SettingsPatch) => api.settings.update(patch),
    onMutate: async (patch) => {
      await client.cancelQueries({ queryKey: queryKeys.settings })
      const previous = client.getQueryData<Settings>(queryKeys.settings)
      if (previous) client.setQueryData<Settings>(queryKeys.settings, { ...previous, ...patch })
      return { previous }
    },
    onError: (_error, _patch, context) => {
      if (context?.previous) client.setQueryData(queryKeys.settings, context.previous)
    },
    onSuccess: (settings) => client.setQueryData(queryKeys.settings, settings),
  })
}

/** Keeps the cache in step with pushes from main (another window, the CLI, a test). */
export function usePushEvents(): void {
  const client = useQueryClient()
  useEffect(
    () => api.settings.onChanged((settings) => client.setQueryData(queryKeys.settings, settings)),
    [client],
  )
  // The CLI (or the agent serving it) changed the vault: the screens showing its data refetch.
  useEffect(
    () =>
      api.vault.onDataChanged(() => {
        for (const queryKey of vaultDataKeys) void client.invalidateQueries({ queryKey })
      }),
    [client],
  )
}
