import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { VaultStatusView } from '../../shared/ipc/features/vault'
import { api } from './client'
import { queryKeys } from './queries'

export type VaultStatus = VaultStatusView
type CreateRequest = Parameters<typeof api.vault.create>[0]
type UnlockRequest = Parameters<typeof api.vault.unlock>[0]
type RewrapRequest = Parameters<typeof api.vault.rewrap>[0]

/**
 * Mutations here carry passphrases and recovery keys (in their variables or results). React Query
 * keeps a finished mutation for five minutes by default; these are dropped as soon as no component
 * shows them.
 */
const forgetAtOnce = { gcTime: 0 } as const

export function useVaultStatus() {
  return useQuery({ queryKey: queryKeys.vaultStatus, queryFn: () => api.vault.status() })
}

/**
 * Records a new vault status. When the vault is no longer open, everything read from it leaves
 * the cache, so a locked window holds no connection data at all.
 */
function applyStatus(client: QueryClient, status: VaultStatus): void {
  client.setQueryData(queryKeys.vaultStatus, status)
  if (status.state !== 'unlocked') {
    client.removeQueries({ queryKey: queryKeys.connections })
    client.removeQueries({ queryKey: ['sharing'] })
  }
}

/** Follows locks and unlocks made elsewhere (another window, the CLI, an idle timeout in main). */
export function useVaultPushEvents(): void {
  const client = useQueryClient()
  useEffect(() => api.vault.onChanged((status) => applyStatus(client, status)), [client])
}

export function useCreateVault() {
  const client = useQueryClient()
  return useMutation({
    ...forgetAtOnce,
    mutationFn: (request: CreateRequest) => api.vault.create(request),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.vaultStatus }),
  })
}

export function useUnlockVault() {
  const client = useQueryClient()
  return useMutation({
    ...forgetAtOnce,
    mutationFn: (request: UnlockRequest) => api.vault.unlock(request),
    // Settled, not success: a failed keychain attempt updates lastError on the unlock screen.
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.vaultStatus }),
  })
}

export function useLockVault() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => api.vault.lock(),
    onSuccess: (status) => applyStatus(client, status),
  })
}

export function useRewrapVault() {
  const client = useQueryClient()
  return useMutation({
    ...forgetAtOnce,
    mutationFn: (request: RewrapRequest) => api.vault.rewrap(request),
    onSuccess: (status) => applyStatus(client, status),
  })
}

export function useReencryptVault() {
  return useMutation({
    ...forgetAtOnce,
    mutationFn: (request: { passphrase?: string }) => api.vault.reencrypt(request),
  })
}
