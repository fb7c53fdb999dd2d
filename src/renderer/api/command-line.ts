import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from './client'
import { queryKeys } from './queries'

/** Whether the app's agent serves the bridgekeep command, and whether the command is on PATH. */
export function useCommandLineStatus() {
  return useQuery({
    queryKey: queryKeys.commandLine,
    queryFn: () => api.commandLine.status(),
    // Another agent may stop, or the user may remove the link, while the page is open.
    refetchInterval: 10_000,
  })
}

export function useInstallCommandLineTool() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (request: { replace: boolean }) => api.commandLine.installTool(request),
    onSuccess: (status) => client.setQueryData(queryKeys.commandLine, status),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.commandLine }),
  })
}
