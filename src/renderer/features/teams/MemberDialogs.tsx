import { useState } from 'react'
import {
  useChangeRole,
  useRemoveMember,
  type TeamMemberView,
  type TeamRole,
  type TeamSummary,
} from '../../api/teams'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useToast } from '../../components/Toast'
import { roleInfo, RolePicker } from './roles'
import styles from './Teams.module.css'

interface Props {
  team: TeamSummary
  member: TeamMemberView
  onClose: () => void
}

/** Gives a member another role, as a change signed by you (an admin). */
export function ChangeRoleDialog({ team, member, onClose }: Props) {
  const [role, setRole] = useState<TeamRole>(member.role)
  const change = useChangeRole()
  const notify = useToast()
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Change ${member.name}’s role`}
      description={
        <p>
          {member.name} is {roleInfo[member.role].label.toLowerCase()} of {team.name}. The change is
          signed by you and checked by every member’s client.
        </p>
      }
      confirmLabel="Change role"
      onConfirm={async () => {
        const result = await change.mutateAsync({
          team: team.name,
          member: member.fingerprint,
          role,
        })
        notify({
          tone: result.changed ? 'success' : 'info',
          message: result.changed
            ? `${result.name} is now ${roleInfo[result.role].label.toLowerCase()} (was ${roleInfo[result.was].label.toLowerCase()}).`
            : `${result.name} already is ${roleInfo[result.role].label.toLowerCase()}: nothing was written.`,
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
    </ConfirmDialog>
  )
}

/** Removes a member, saying what removal undoes at once and what it never can (docs/teams.md). */
export function RemoveMemberDialog({ team, member, onClose }: Props) {
  const remove = useRemoveMember()
  const notify = useToast()
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
            from now on, and {member.name} can no longer act as a member.
          </p>
          <p className={styles.explain}>
            <strong>Not by this:</strong> their database login can still read the team’s rows
            (names, public keys and, once connections are shared, ciphertext) until the database
            administrator revokes the role <code>{team.databaseRole}</code> from it. And nothing can
            make them forget a secret they already read: rotate those.
          </p>
          <p className={styles.explain}>
            The removal is a signed change in the team’s log; to take them back, invite them again.
          </p>
        </div>
      }
      confirmLabel={`Remove ${member.name}`}
      onConfirm={async () => {
        const removed = await remove.mutateAsync({ team: team.name, member: member.fingerprint })
        notify({
          tone: 'success',
          message: `${removed.name} was removed from ${removed.team}. Ask the database administrator to revoke ${team.databaseRole} from their login.`,
        })
      }}
    />
  )
}
