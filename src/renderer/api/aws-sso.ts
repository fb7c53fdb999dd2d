import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { z } from 'zod'
import type {
  ssoCreateConnectionsSchema,
  ssoInstanceSchema,
  ssoSignOutSchema,
} from '../../shared/aws-sso'
import { api } from './client'
import { queryKeys } from './queries'

/** Starts signing in to IAM Identity Center: the page to open and the code to confirm. */
export function useStartSsoSignIn() {
  return useMutation({
    mutationFn: (instance: z.input<typeof ssoInstanceSchema>) => api.awsSso.startSignIn(instance),
  })
}

/** Waits for the approval in the browser; resolves with the accounts and permission sets. */
export function useCompleteSsoSignIn() {
  return useMutation({
    mutationFn: (signInId: string) => api.awsSso.completeSignIn({ signInId }),
  })
}

export function useCreateSsoConnections() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: z.input<typeof ssoCreateConnectionsSchema>) =>
      api.awsSso.createConnections(input),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: [...queryKeys.connections, 'list'] }),
        client.invalidateQueries({ queryKey: queryKeys.environments }),
      ]),
  })
}

/** Signs out of an IAM Identity Center instance (its connections stay; using one asks to sign in). */
export function useSsoSignOut() {
  return useMutation({
    mutationFn: (instance: z.input<typeof ssoSignOutSchema>) => api.awsSso.signOut(instance),
  })
}
