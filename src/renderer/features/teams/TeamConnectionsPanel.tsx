import { CloudUpload, KeyRound, RefreshCw } from 'lucide-react'
import { useMemo, useState } from 'react'
import {
  useSyncTeam,
  useTeamConnections,
  type TeamConnectionList,
  type TeamConnectionView,
  type TeamRole,
  type TeamSummary,
} from '../../api/teams'
import { issuesCredentials } from '../../../shared/operations'
import { columnHelper, DataTable } from '../../components/DataTable'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Spinner } from '../../components/Spinner'
import { PushConnectionDialog } from './PushConnectionDialog'
import { TeamCredentialsDialog } from './TeamCredentialsDialog'
import { TeamMatrix } from './TeamMatrix'
import { TeamRotationsPanel } from './TeamRotationsPanel'
import styles from './Teams.module.css'

const helper = columnHelper<TeamConnectionView>()

/** The table's columns; a connection whose provider issues credentials gets "Get credentials…". */
const connectionColumns = (ask: (c: TeamConnectionView) => void) =>
  helper.columns([
    helper.accessor('name', {
      header: 'Name',
      cell: ({ row }) => (
        <>
          {row.original.name}
          {row.original.problem && <span className={styles.badge}>not usable</span>}
        </>
      ),
    }),
    helper.accessor('provider', { header: 'Provider' }),
    helper.accessor('version', {
      header: 'Version',
      cell: ({ row }) => `v${row.original.version}`,
    }),
    helper.display({
      id: 'environments',
      header: 'Environments',
      cell: ({ row }) => row.original.environments.join(', ') || 'none',
    }),
    helper.display({
      id: 'pushed',
      header: 'Pushed by',
      cell: ({ row }) => `${row.original.updatedBy}, ${when(row.original.updatedAt)}`,
    }),
    helper.display({
      id: 'use',
      header: () => <span className="visually-hidden">Use</span>,
      cell: ({ row }) => <GetCredentialsButton connection={row.original} onAsk={ask} />,
    }),
  ])

const when = (iso: string) => new Date(iso).toLocaleString()

/**
 * The team's connections from this vault's copy (it lists offline, and says so), Sync to read
 * the team database again, and for admins Push and the matrix. Never a secret.
 */
export function TeamConnectionsPanel({
  team,
  role,
  focusRotations = false,
  onRotationsFocused,
}: {
  team: TeamSummary
  /** This vault's role as the team database said, until the copy (never synced) says it. */
  role: TeamRole | undefined
  /** The removal outcome's link: the secrets to rotate take the focus once shown. */
  focusRotations?: boolean
  onRotationsFocused?: () => void
}) {
  const list = useTeamConnections(team.name)
  const sync = useSyncTeam()
  const [pushing, setPushing] = useState(false)
  if (list.isPending) return <Spinner label="Reading this vault’s copy of the team" />
  if (list.isError)
    return <ErrorNotice error={list.error} title="The team’s connections could not be read" />
  const copy = { ...list.data, you: list.data.you ?? role ?? null }
  const admin = copy.you === 'admin'
  return (
    <section className={styles.panel} aria-labelledby="team-connections-title">
      <div className={styles.panelHeader}>
        <h2 id="team-connections-title" className={styles.panelTitle}>
          Connections
        </h2>
        <div className={styles.actions}>
          <button
            type="button"
            className="button"
            disabled={sync.isPending}
            onClick={() => sync.mutate(team.name)}
          >
            <RefreshCw aria-hidden="true" />
            {sync.isPending ? 'Syncing…' : 'Sync'}
          </button>
          {admin && (
            <button type="button" className="button primary" onClick={() => setPushing(true)}>
              <CloudUpload aria-hidden="true" />
              Push a connection…
            </button>
          )}
        </div>
      </div>
      <p className={styles.intro} data-testid="team-copy-status" role="status">
        {copy.syncedAt
          ? `From this vault’s copy, synced ${when(copy.syncedAt)}: it lists without the team database; Sync reads it again.`
          : 'This vault has not synced the team yet: Sync reads its connections into a local copy (ciphertext and your wrapped keys only).'}
      </p>
      {sync.isPending && (
        <Spinner label="Syncing: verifying the team’s changes and copying sealed versions" />
      )}
      {sync.isError && (
        <ErrorNotice
          error={sync.error}
          title="The team could not be synced: what is shown is this vault’s copy"
        />
      )}
      {sync.data && !sync.isPending && (
        <p className={styles.explain} data-testid="team-sync-result">
          Synced: {sync.data.connections} connection{sync.data.connections === 1 ? '' : 's'},{' '}
          {sync.data.changes} change{sync.data.changes === 1 ? '' : 's'} in the log.
        </p>
      )}
      {admin && (
        <TeamRotationsPanel
          team={team}
          focus={focusRotations}
          {...(onRotationsFocused ? { onFocused: onRotationsFocused } : {})}
        />
      )}
      <ConnectionsBody copy={copy} team={team} />
      {pushing && (
        <PushConnectionDialog
          team={team}
          teamConnections={copy.connections}
          onClose={() => setPushing(false)}
        />
      )}
    </section>
  )
}

/**
 * Offered where the provider issues short-lived credentials (AWS sessions, GCP and Azure tokens):
 * the team runner refuses the others.
 */
function GetCredentialsButton({
  connection,
  onAsk,
}: {
  connection: TeamConnectionView
  onAsk: (c: TeamConnectionView) => void
}) {
  if (!issuesCredentials(connection.provider)) return null
  return (
    <button
      type="button"
      className="button small"
      aria-label={`Get credentials for ${connection.name}…`}
      onClick={() => onAsk(connection)}
    >
      <KeyRound aria-hidden="true" />
      Get credentials…
    </button>
  )
}

function ConnectionsBody({ copy, team }: { copy: TeamConnectionList; team: TeamSummary }) {
  const rows = useMemo(() => [...copy.connections], [copy.connections])
  const [asking, setAsking] = useState<TeamConnectionView | null>(null)
  const columns = useMemo(() => connectionColumns(setAsking), [])
  const problems = copy.connections.filter((c) => c.problem)
  const dialog = asking && (
    <TeamCredentialsDialog team={team} connection={asking} onClose={() => setAsking(null)} />
  )
  if (copy.connections.length === 0)
    return (
      <p className={styles.explain}>
        {copy.syncedAt
          ? `${team.name} has no connections yet.${copy.you === 'admin' ? ' Push one of yours: its secrets are sealed for the full members only.' : ' An admin pushes them.'}`
          : 'Nothing here until the first sync.'}
      </p>
    )
  if (copy.you === 'use-only')
    return (
      <>
        <p className={styles.explain} data-testid="use-only-note">
          As a use-only member you see the names only: uses go through the team runner, which gives
          you short-lived credentials, never a secret or a key.
        </p>
        <ul aria-label={`Connections of ${team.name}`} className={styles.names}>
          {copy.connections.map((c) => (
            <li key={c.id}>
              {c.name} <GetCredentialsButton connection={c} onAsk={setAsking} />
            </li>
          ))}
        </ul>
        {dialog}
      </>
    )
  return (
    <>
      <DataTable
        columns={columns}
        data={rows}
        getRowId={(c) => c.id}
        label={`Connections of ${team.name}`}
        rowAttributes={() => ({ 'data-testid': 'team-connection-row' })}
      />
      {problems.length > 0 && (
        <ErrorNotice
          title="Not usable until an admin pushes them again"
          error={{ code: 'TEAM_TAMPERED', message: problems.map((c) => c.problem).join(' ') }}
        />
      )}
      <TeamMatrix team={team} connections={copy.connections} admin={copy.you === 'admin'} />
      {dialog}
    </>
  )
}
