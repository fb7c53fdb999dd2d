import { useState } from 'react'
import {
  useChangeRole,
  useRemoveMember,
  type TeamMemberView,
  type TeamRole,
  type TeamSummary,
} from '../../api/teams'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { DatabaseLoginField, type MemberOutcome } from './DatabaseGrant'
import { roleInfo, RolePicker } from './roles'
import styles from './Teams.module.css'

interface Props {
  team: TeamSummary
  member: TeamMemberView
  onClose: () => void
  /** The change is done: show what it did and the database statements it returned. */
  onDone: (outcome: MemberOutcome) => void
}

const roleLabel = (role: TeamRole) => roleInfo[role].label.toLowerCase()

/** Gives a member another role, as a change signed by you (an admin). */
export function ChangeRoleDialog({ team, member, onClose, onDone }: Props) {
  const [role, setRole] = useState<TeamRole>(member.role)
  const [login, setLogin] = useState('')
  const change = useChangeRole()
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Change ${member.name}’s role`}
      description={
        <p>
          {member.name} is {roleLabel(member.role)} of {team.name}. The change is signed by you and
          checked by every member’s client; their database login then needs the database role of the
          new team role instead of <code>{team.databaseRoles[member.role]}</code>.
        </p>
      }
      confirmLabel="Change role"
      onConfirm={async () => {
        const result = await change.mutateAsync({
          team: team.name,
          member: member.fingerprint,
          role,
          ...(login.trim() ? { dbLogin: login.trim() } : {}),
        })
        onDone({
          title: result.changed ? 'Role changed' : 'Role unchanged',
          message: result.changed
            ? `${result.name} is now ${roleLabel(result.role)} (was ${roleLabel(result.was)}).`
            : `${result.name} already is ${roleLabel(result.role)}: nothing was written in the team’s log.`,
          database: result.database,
          rotate: result.rotate,
        })
      }}
    >
      <RolePicker
        name="member-role"
        legend="New role"
        value={role}
        onChange={setRole}
        className={styles.roles}
      />
      <DatabaseLoginField id="role-db-login" value={login} onChange={setLogin} />
    </ConfirmDialog>
  )
}

/** Removes a member, saying what removal undoes at once and what it never can (docs/teams.md). */
export function RemoveMemberDialog({ team, member, onClose, onDone }: Props) {
  const [login, setLogin] = useState('')
  const remove = useRemoveMember()
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Remove ${member.name} from ${team.name}?`}
      tone="danger"
      description={
        <div data-testid="remove-explanation">
          <p className={styles.explain}>
            <strong>At once:</strong> every member’s client ignores {member.name}’s signed changes
            from now on, {member.name} can no longer act as a member, and
            {member.role === 'use-only'
              ? ' the team connections keep their keys (a use-only member never had one).'
              : ' every team connection gets a new key they never receive.'}
          </p>
          <p className={styles.explain}>
            <strong>Not by this:</strong> their database login can still read the team’s rows
            (names, public keys, ciphertext) until <code>{team.databaseRoles[member.role]}</code>{' '}
            and <code>{team.databaseRole}</code> are revoked from it: give their login below to do
            it now, or pass the statements shown next to the database administrator. And nothing can
            make them forget a secret they already read: rotate those.
          </p>
          <p className={styles.explain}>
            The removal is a signed change in the team’s log; to take them back, invite them again.
          </p>
        </div>
      }
      confirmLabel={`Remove ${member.name}`}
      onConfirm={async () => {
        const removed = await remove.mutateAsync({
          team: team.name,
          member: member.fingerprint,
          ...(login.trim() ? { dbLogin: login.trim() } : {}),
        })
        onDone({
          title: 'Member removed',
          message: `${removed.name} was removed from ${removed.team}.`,
          database: removed.database,
          rotate: removed.rotate,
        })
      }}
    >
      <DatabaseLoginField id="remove-db-login" value={login} onChange={setLogin} />
    </ConfirmDialog>
  )
}
