import { useMutation } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { MfaAsked } from '../../shared/ipc/features/mfa'
import { api } from './client'

/**
 * The MFA codes main is waiting for (a CLI call through the app's agent), oldest first; a request
 * leaves the list when main says it was settled, here or in another window.
 */
export function useMfaRequests(): MfaAsked[] {
  const [requests, setRequests] = useState<MfaAsked[]>([])
  useEffect(() => api.mfa.onAsked((asked) => setRequests((list) => [...list, asked])), [])
  useEffect(
    () =>
      api.mfa.onSettled(({ requestId }) =>
        setRequests((list) => list.filter((asked) => asked.requestId !== requestId)),
      ),
    [],
  )
  return requests
}

export function useAnswerMfa() {
  return useMutation({
    mutationFn: (input: { requestId: string; code: string }) => api.mfa.answer(input),
  })
}

export function useCancelMfa() {
  return useMutation({
    mutationFn: (input: { requestId: string }) => api.mfa.cancel(input),
  })
}
