import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type {
  ContactInput,
  ExportInput,
  ImportApplyInput,
  ShareSourceInput,
} from '../../shared/sharing'
import { api } from './client'
import { queryKeys } from './queries'

export type {
  Contact,
  ExportResult,
  ImportResult,
  ShareHolding,
  SharePreview,
  ShareRecord,
} from '../../shared/sharing'

/** Everything read for the Sharing page; dropped with the vault's data when it locks. */
export const sharingKeys = {
  all: queryKeys.sharing,
  identity: ['sharing', 'identity'] as const,
  contacts: ['sharing', 'contacts'] as const,
  shares: ['sharing', 'shares'] as const,
  holdings: ['sharing', 'holdings'] as const,
  resendTargets: (connectionId: string) => ['sharing', 'resend-targets', connectionId] as const,
}

/** Exports and imports carry a passphrase in their variables: forgotten as soon as unused. */
const forgetAtOnce = { gcTime: 0 } as const

export function useIdentity() {
  return useQuery({ queryKey: sharingKeys.identity, queryFn: () => api.sharing.identity() })
}

export function useSetIdentityName() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (name: string) => api.sharing.setName({ name }),
    onSuccess: (identity) => client.setQueryData(sharingKeys.identity, identity),
  })
}

export function useContacts() {
  return useQuery({ queryKey: sharingKeys.contacts, queryFn: () => api.sharing.contacts() })
}

function useContactMutation<T, R>(call: (input: T) => Promise<R>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: call,
    onSuccess: () => client.invalidateQueries({ queryKey: sharingKeys.contacts }),
  })
}

export const useAddContact = () =>
  useContactMutation((input: ContactInput) => api.sharing.addContact(input))
export const useVerifyContact = () =>
  useContactMutation((input: { id: string; verified: boolean }) => api.sharing.verifyContact(input))
export const useDeleteContact = () =>
  useContactMutation((id: string) => api.sharing.deleteContact({ id }))

export function useShares() {
  return useQuery({ queryKey: sharingKeys.shares, queryFn: () => api.sharing.shares() })
}

export function useExportShare() {
  const client = useQueryClient()
  return useMutation({
    ...forgetAtOnce,
    mutationFn: (input: ExportInput) => api.sharing.export(input),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: sharingKeys.shares }),
        client.invalidateQueries({ queryKey: sharingKeys.holdings }),
      ]),
  })
}

export function useRevokeShare() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.sharing.revoke({ id }),
    onSuccess: () => client.invalidateQueries({ queryKey: sharingKeys.shares }),
  })
}

/** Who a re-send of the connection would reach; read when `enabled` (after a rotation). */
export function useResendTargets(connectionId: string, enabled = true) {
  return useQuery({
    queryKey: sharingKeys.resendTargets(connectionId),
    queryFn: () => api.sharing.resendTargets({ id: connectionId }),
    enabled,
    staleTime: 0,
  })
}

export function useResend() {
  const client = useQueryClient()
  return useMutation({
    ...forgetAtOnce,
    mutationFn: (connectionId: string) => api.sharing.resend({ id: connectionId }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: sharingKeys.shares }),
        client.invalidateQueries({ queryKey: sharingKeys.holdings }),
      ]),
  })
}

export function useHoldings() {
  return useQuery({ queryKey: sharingKeys.holdings, queryFn: () => api.sharing.holdings() })
}

export function useImportPreview() {
  return useMutation({
    ...forgetAtOnce,
    mutationFn: (source: ShareSourceInput) => api.sharing.importPreview(source),
  })
}

export function useImportApply() {
  const client = useQueryClient()
  return useMutation({
    ...forgetAtOnce,
    mutationFn: (input: ImportApplyInput) => api.sharing.importApply(input),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.connections }),
        client.invalidateQueries({ queryKey: sharingKeys.contacts }),
      ]),
  })
}
