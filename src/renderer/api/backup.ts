import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { BackupSchedulePatch } from '../../shared/backup'
import { api } from './client'
import { queryKeys, vaultDataKeys } from './queries'

type RestoreRequest = Parameters<typeof api.backup.restore>[0]

/** The schedule, the newest backup in its folder, when the next is due and the last failure. */
export function useBackupStatus() {
  return useQuery({
    queryKey: queryKeys.backupStatus,
    queryFn: () => api.backup.status(),
    // The schedule writes backups by itself while the page is open.
    refetchInterval: 60_000,
  })
}

/**
 * The backup's bytes come back in the result (encrypted, but still the whole vault): the
 * finished mutation is dropped as soon as no component shows it.
 */
export function useCreateBackup() {
  return useMutation({ gcTime: 0, mutationFn: () => api.backup.create() })
}

/**
 * A restore replaces the whole vault and opens the restored one: everything read from the old
 * vault is stale, and the vault's status has changed. The recovery key is in the variables, so
 * the mutation is forgotten at once.
 */
export function useRestoreBackup() {
  const client = useQueryClient()
  return useMutation({
    gcTime: 0,
    mutationFn: (request: RestoreRequest) => api.backup.restore(request),
    onSuccess: async () => {
      for (const queryKey of vaultDataKeys) client.removeQueries({ queryKey })
      await client.invalidateQueries({ queryKey: queryKeys.backupStatus })
    },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.vaultStatus }),
  })
}

export function useSetBackupSchedule() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (patch: BackupSchedulePatch) => api.backup.setSchedule(patch),
    onSuccess: (status) => client.setQueryData(queryKeys.backupStatus, status),
  })
}

/** A failure is kept in the status (lastError) too, so the status is read again either way. */
export function useRunBackupNow() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => api.backup.runNow(),
    onSuccess: (status) => client.setQueryData(queryKeys.backupStatus, status),
    onError: () => client.invalidateQueries({ queryKey: queryKeys.backupStatus }),
  })
}
