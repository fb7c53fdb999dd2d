import { useInfiniteQuery, useMutation } from '@tanstack/react-query'
import type { AuditExportFormat, AuditFilter } from '../../shared/audit'
import { api } from './client'
import { queryKeys } from './queries'

const PAGE = 500

/** The timeline, newest first, a page at a time (cursor: the last id seen). */
export function useAuditTimeline(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.audit, 'timeline', filter],
    queryFn: ({ pageParam }) =>
      api.audit.query({
        filter,
        limit: PAGE,
        ...(pageParam === undefined ? {} : { before: pageParam }),
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
}

export function useVerifyAudit() {
  return useMutation({ mutationFn: () => api.audit.verify() })
}

export function useExportAudit() {
  return useMutation({
    mutationFn: (input: { format: AuditExportFormat; filter: AuditFilter }) =>
      api.audit.export(input),
  })
}
