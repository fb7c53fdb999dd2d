import { ArrowLeft, ShieldCheck, UserPlus } from 'lucide-react'
import { useCallback, useState } from 'react'
import { Link, useParams } from 'react-router'
import { useTeamMembers, useTeams, useVerifyTeam, type TeamSummary } from '../../api/teams'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Page } from '../../components/Page'
import { Spinner } from '../../components/Spinner'
import { MemberOutcomeDialog, type MemberOutcome } from './DatabaseGrant'
import { InviteDialog } from './InviteDialog'
import { MembersPanel } from './MembersPanel'
import { TeamConnectionsPanel } from './TeamConnectionsPanel'
import { TeamTabs, type TeamTab } from './TeamTabs'
import { TeamWarnings, VerificationPanel } from './TeamWarnings'
import styles from './Teams.module.css'

/** #/teams/:id — one team space: its members, warnings about its database, verification. */
export function TeamPage() {
  const { id } = useParams()
  const teams = useTeams()
  const team = teams.data?.find((t) => t.id === id)
  if (teams.isPending) return <Spinner label="Loading the team space" />
  if (teams.isError)
    return <ErrorNotice error={teams.error} title="The team spaces could not be loaded" />
  if (!team)
    return (
      <Page
        title="Team space not found"
        description="This vault is in no team space with this address."
      >
        <Link to="/teams">Back to Teams</Link>
      </Page>
    )
  return <TeamSpace team={team} />
}

function TeamSpace({ team }: { team: TeamSummary }) {
  const members = useTeamMembers(team.name)
  const verify = useVerifyTeam()
  const [inviting, setInviting] = useState(false)
  const [outcome, setOutcome] = useState<MemberOutcome | null>(null)
  const [tab, setTab] = useState('members')
  // The removal outcome's link: the Connections tab, its Secrets to rotate focused once shown.
  const [focusRotations, setFocusRotations] = useState(false)
  const rotationsFocused = useCallback(() => setFocusRotations(false), [])
  const admin = members.data?.members.some((m) => m.you && m.role === 'admin') ?? false
  // The newest read says what is wrong now: a verification after the members were read, or
  // the members read again after it (a write, a refetch).
  const report =
    verify.data && verify.submittedAt >= members.dataUpdatedAt ? verify.data : undefined
  const warnings = report?.warnings ?? members.data?.warnings ?? []

  const tabs: TeamTab[] = [
    {
      id: 'members',
      label: 'Members',
      panel: members.isPending ? (
        <Spinner label="Asking the team database" />
      ) : members.isError ? (
        <ErrorNotice
          error={members.error}
          title="The members could not be read"
          action={
            <button type="button" className="button" onClick={() => void members.refetch()}>
              Try again
            </button>
          }
        />
      ) : (
        <MembersPanel team={team} members={members.data.members} onDone={setOutcome} />
      ),
    },
    {
      id: 'connections',
      label: 'Connections',
      panel: (
        <TeamConnectionsPanel
          team={team}
          role={members.data?.members.find((m) => m.you)?.role}
          focusRotations={focusRotations}
          onRotationsFocused={rotationsFocused}
        />
      ),
    },
  ]

  return (
    <Page
      title={team.name}
      description={`Team space reached through ${team.connection} in ${team.environment}.`}
      actions={
        <>
          <Link to="/teams" className="button quiet">
            <ArrowLeft aria-hidden="true" />
            All teams
          </Link>
          <button
            type="button"
            className="button"
            disabled={verify.isPending}
            onClick={() => verify.mutate(team.name)}
          >
            <ShieldCheck aria-hidden="true" />
            {verify.isPending ? 'Verifying…' : 'Verify'}
          </button>
          {admin && (
            <button type="button" className="button primary" onClick={() => setInviting(true)}>
              <UserPlus aria-hidden="true" />
              Invite…
            </button>
          )}
        </>
      }
    >
      <div className={styles.stack}>
        {verify.isPending && <Spinner label="Replaying the team’s change log and audit trail" />}
        {/* What was read before shows meanwhile: say that it is being read again. */}
        {members.isFetching && !members.isPending && (
          <Spinner label="Reading the team database again" />
        )}
        {verify.isError && (
          <ErrorNotice error={verify.error} title="The team could not be verified" />
        )}
        <TeamWarnings warnings={warnings} />
        {report && <VerificationPanel report={report} />}
        <dl className={styles.facts}>
          <dt>Database roles</dt>
          <dd>
            Each member’s login holds the role of their team role: admins{' '}
            <code>{team.databaseRoles.admin}</code>, members{' '}
            <code>{team.databaseRoles.member}</code>, use-only members{' '}
            <code>{team.databaseRoles['use-only']}</code>. Inviting, changing a role and removing
            show the exact statements, and run them when given the login.
          </dd>
        </dl>
        <TeamTabs tabs={tabs} label={`${team.name} team space`} selected={tab} onSelect={setTab} />
      </div>
      {inviting && (
        <InviteDialog team={team} onClose={() => setInviting(false)} onDone={setOutcome} />
      )}
      {outcome && (
        <MemberOutcomeDialog
          outcome={outcome}
          onClose={() => setOutcome(null)}
          onShowRotations={() => {
            setOutcome(null)
            setTab('connections')
            setFocusRotations(true)
          }}
        />
      )}
    </Page>
  )
}
