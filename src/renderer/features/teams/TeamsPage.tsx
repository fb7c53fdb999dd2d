import { LogIn, Users } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { useTeams } from '../../api/teams'
import { EmptyState } from '../../components/EmptyState'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Page } from '../../components/Page'
import { Spinner } from '../../components/Spinner'
import { CreateTeamDialog } from './CreateTeamDialog'
import { JoinTeamDialog } from './JoinTeamDialog'
import styles from './Teams.module.css'

/** #/teams — the team spaces this vault is in; create one or join one. */
export function TeamsPage() {
  const teams = useTeams()
  const [dialog, setDialog] = useState<'create' | 'join' | null>(null)
  const buttons = (
    <>
      <button type="button" className="button" onClick={() => setDialog('join')}>
        <LogIn aria-hidden="true" />
        Join a team…
      </button>
      <button type="button" className="button primary" onClick={() => setDialog('create')}>
        <Users aria-hidden="true" />
        Create a team…
      </button>
    </>
  )
  const empty = teams.isSuccess && teams.data.length === 0
  return (
    <Page
      title="Teams"
      description="Team spaces on PostgreSQL: members by signed changes, verified by every client."
      actions={empty ? undefined : buttons}
    >
      {teams.isPending ? (
        <Spinner label="Loading team spaces" />
      ) : teams.isError ? (
        <ErrorNotice error={teams.error} title="The team spaces could not be loaded" />
      ) : empty ? (
        <EmptyState
          icon={Users}
          title="No team space yet"
          action={<div className={styles.buttons}>{buttons}</div>}
        >
          A team space keeps your team’s members in a PostgreSQL database you already run, as
          changes signed by its admins. The database never holds a secret, and every client checks
          each change, so an edit made behind your back is shown, not trusted.
        </EmptyState>
      ) : (
        <ul className={styles.teamList} aria-label="Team spaces">
          {teams.data.map((team) => (
            <li key={team.id}>
              <Link className={styles.teamLink} to={`/teams/${team.id}`} data-testid="team-link">
                <span className={styles.teamName}>{team.name}</span>
                <span className={styles.teamWhere}>
                  Joined {new Date(team.joinedAt).toLocaleDateString()}
                </span>
                <span className={styles.teamWhere}>
                  {team.connection} in {team.environment}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {dialog === 'create' && <CreateTeamDialog onClose={() => setDialog(null)} />}
      {dialog === 'join' && <JoinTeamDialog onClose={() => setDialog(null)} />}
    </Page>
  )
}
