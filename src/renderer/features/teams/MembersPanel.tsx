import { ArrowRightLeft, UserMinus } from 'lucide-react'
import { useMemo, useState } from 'react'
import type { TeamMemberView, TeamSummary } from '../../api/teams'
import { actionsHeader, columnHelper, DataTable } from '../../components/DataTable'
import type { MemberOutcome } from './DatabaseGrant'
import { ChangeRoleDialog, RemoveMemberDialog } from './MemberDialogs'
import { roleInfo } from './roles'
import styles from './Teams.module.css'

const helper = columnHelper<TeamMemberView>()

function memberColumns(
  admin: boolean,
  actions: { role: (m: TeamMemberView) => void; remove: (m: TeamMemberView) => void },
) {
  const columns = [
    helper.accessor('name', {
      header: 'Name',
      cell: ({ row }) => (
        <>
          {row.original.name}
          {row.original.you && <span className={styles.badge}>you</span>}
        </>
      ),
    }),
    helper.display({
      id: 'fingerprint',
      header: 'Fingerprint',
      cell: ({ row }) => <span className={styles.fingerprint}>{row.original.fingerprint}</span>,
    }),
    helper.accessor('role', {
      header: 'Role',
      cell: ({ row }) => roleInfo[row.original.role].label,
    }),
    helper.accessor('sinceChange', {
      header: 'Since change',
      cell: ({ row }) => `#${row.original.sinceChange}`,
    }),
  ]
  if (!admin) return helper.columns(columns)
  return helper.columns([
    ...columns,
    helper.display({
      id: 'actions',
      header: actionsHeader,
      cell: ({ row }) => (
        <div className={styles.actions}>
          <button type="button" className="button small" onClick={() => actions.role(row.original)}>
            <ArrowRightLeft aria-hidden="true" />
            Change role<span className="visually-hidden"> of {row.original.name}</span>
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => actions.remove(row.original)}
          >
            <UserMinus aria-hidden="true" />
            Remove<span className="visually-hidden"> {row.original.name}</span>
          </button>
        </div>
      ),
    }),
  ])
}

/** The members as the verified change log says: admins change roles and remove members here. */
export function MembersPanel({
  team,
  members,
  onDone,
}: {
  team: TeamSummary
  members: readonly TeamMemberView[]
  onDone: (outcome: MemberOutcome) => void
}) {
  const admin = members.some((m) => m.you && m.role === 'admin')
  const [changing, setChanging] = useState<TeamMemberView | null>(null)
  const [removing, setRemoving] = useState<TeamMemberView | null>(null)
  const columns = useMemo(
    () => memberColumns(admin, { role: setChanging, remove: setRemoving }),
    [admin],
  )
  return (
    <section className={styles.panel} aria-labelledby="team-members-title">
      <h2 id="team-members-title" className={styles.panelTitle}>
        Members
      </h2>
      <p className={styles.intro}>
        {admin
          ? 'As an admin you add and remove members and change roles; each change is signed by you.'
          : 'Only admins change membership. Roles come from the signed changes, not the database’s own tables.'}
      </p>
      <DataTable
        columns={columns}
        data={[...members]}
        getRowId={(member) => member.fingerprint}
        label={`Members of ${team.name}`}
        rowAttributes={() => ({ 'data-testid': 'member-row' })}
      />
      {changing && (
        <ChangeRoleDialog
          team={team}
          member={changing}
          onClose={() => setChanging(null)}
          onDone={onDone}
        />
      )}
      {removing && (
        <RemoveMemberDialog
          team={team}
          member={removing}
          onClose={() => setRemoving(null)}
          onDone={onDone}
        />
      )}
    </section>
  )
}
