import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type {
  ChangeRoleInput,
  CreateTeamInput,
  InviteMemberInput,
  JoinTeamInput,
  MemberRefInput,
} from '../../shared/teams'
import type {
  PushTeamConnectionInput,
  SetTeamEnvironmentsInput,
  TeamCredentialsRequest,
  TeamSessionView,
} from '../../shared/team-connections'
import { api } from './client'
import { queryKeys } from './queries'

export type {
  LoginGrantView,
  TeamMemberView,
  TeamRole,
  TeamRotationView,
  TeamSummary,
  TeamVerificationView,
} from '../../shared/teams'
export type {
  TeamConnectionList,
  TeamConnectionView,
  TeamSessionView,
} from '../../shared/team-connections'

/** Everything read for the Teams section; dropped with the vault's data when it locks. */
export const teamKeys = {
  all: queryKeys.teams,
  list: ['teams', 'list'] as const,
  members: (team: string) => ['teams', 'members', team] as const,
  connections: (team: string) => ['teams', 'connections', team] as const,
  rotations: (team: string) => ['teams', 'rotations', team] as const,
}

/**
 * Main watches each joined team and says when its log moved (another member's change, already in
 * this vault's copy): that team's members and connections are read again, no Sync needed. A team
 * created or joined elsewhere (the CLI through the app's agent) adds itself to the list.
 */
export function useTeamsPushEvents(): void {
  const client = useQueryClient()
  useEffect(() => {
    const offChanged = api.teams.onChanged(({ team }) => {
      void client.invalidateQueries({ queryKey: teamKeys.members(team) })
      void client.invalidateQueries({ queryKey: teamKeys.connections(team) })
    })
    const offList = api.teams.onListChanged(
      () => void client.invalidateQueries({ queryKey: teamKeys.list }),
    )
    return () => {
      offChanged()
      offList()
    }
  }, [client])
}

export function useTeams() {
  return useQuery({ queryKey: teamKeys.list, queryFn: () => api.teams.list() })
}

/** Members as the signed log says, and warnings: each read asks the team database. */
export function useTeamMembers(team: string) {
  return useQuery({
    queryKey: teamKeys.members(team),
    queryFn: () => api.teams.members({ team }),
  })
}

/** A write to the team database: the team's members (and the list) are read again after it. */
function useTeamMutation<I, O>(call: (input: I) => Promise<O>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: call,
    onSuccess: () => client.invalidateQueries({ queryKey: teamKeys.all }),
  })
}

export const useCreateTeam = () =>
  useTeamMutation((input: CreateTeamInput) => api.teams.create(input))
export const useJoinTeam = () => useTeamMutation((input: JoinTeamInput) => api.teams.join(input))
export const useInviteMember = () =>
  useTeamMutation((input: InviteMemberInput) => api.teams.invite(input))
export const useRemoveMember = () =>
  useTeamMutation((input: MemberRefInput) => api.teams.remove(input))
export const useChangeRole = () =>
  useTeamMutation((input: ChangeRoleInput) => api.teams.changeRole(input))

/** Verification on demand: it replays the whole log and audit trail, so it is asked for. */
export function useVerifyTeam() {
  return useMutation({ mutationFn: (team: string) => api.teams.verify({ team }) })
}

/** The team's connections from this vault's copy: no database is asked, so it works offline. */
export function useTeamConnections(team: string) {
  return useQuery({
    queryKey: teamKeys.connections(team),
    queryFn: () => api.teams.connections({ team }),
  })
}

/**
 * What members who left could read and nobody rotated yet (from this vault alone): a removal or
 * a push changes it, and both read the team again after them.
 */
export function useTeamRotations(team: string) {
  return useQuery({
    queryKey: teamKeys.rotations(team),
    queryFn: () => api.teams.rotations({ team }),
  })
}

/** "I rotated it elsewhere": off the list, audited. */
export const useDismissRotation = () =>
  useTeamMutation((input: { team: string; connection: string }) => api.teams.dismissRotation(input))

/** Sync, push and the matrix write the copy (and the database): the team is read again after. */
export const useSyncTeam = () => useTeamMutation((team: string) => api.teams.sync({ team }))
export const usePushTeamConnection = () =>
  useTeamMutation((input: PushTeamConnectionInput) => api.teams.push(input))
export const useSetTeamEnvironments = () =>
  useTeamMutation((input: SetTeamEnvironmentsInput) => api.teams.setEnvironments(input))

/**
 * Asks the team runner for 15-minute AWS credentials. A plain call, not a query or a mutation:
 * the answer holds a secret, so it lives only in the dialog that shows it, never in a cache.
 */
export function askTeamCredentials(input: TeamCredentialsRequest): Promise<TeamSessionView> {
  return api.teams.credentials(input)
}
