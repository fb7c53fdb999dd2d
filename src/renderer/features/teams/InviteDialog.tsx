import { UserPlus } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { useContacts } from '../../api/sharing'
import { useInviteMember, type TeamRole, type TeamSummary } from '../../api/teams'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { fieldErrorsFrom } from '../../components/field-errors'
import { FormField } from '../../components/FormField'
import { Spinner } from '../../components/Spinner'
import { isBridgekeepError } from '../../../shared/errors'
import { DatabaseLoginField, type MemberOutcome } from './DatabaseGrant'
import { roleInfo, RolePicker } from './roles'
import styles from './Teams.module.css'

/** Pasting an address instead of choosing a contact. */
const PASTE = ''

/**
 * Adds a teammate by a contact's share address or a pasted one, with a role, as a change signed
 * by you. Refusals about the address (not one, already a member) are shown at the address.
 */
export function InviteDialog({
  team,
  onClose,
  onDone,
}: {
  team: TeamSummary
  onClose: () => void
  onDone: (outcome: MemberOutcome) => void
}) {
  const contacts = useContacts()
  const invite = useInviteMember()
  const [contactId, setContactId] = useState(PASTE)
  const [pasted, setPasted] = useState('')
  const [name, setName] = useState('')
  const [role, setRole] = useState<TeamRole>('member')
  const [login, setLogin] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const contact = contacts.data?.find((c) => c.id === contactId)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setErrors({})
    setError(null)
    const address = contact?.address ?? pasted
    invite.mutate(
      {
        team: team.name,
        address,
        role,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(login.trim() ? { dbLogin: login.trim() } : {}),
      },
      {
        onSuccess: (added) => {
          const as = roleInfo[added.role].label.toLowerCase()
          onDone({
            title: added.added ? 'Member added' : 'Already a member',
            message: added.added
              ? `${added.name} was added to ${added.team} as ${as}. Fingerprint ${added.fingerprint}: they join with Teams, Join a team, once their database login holds the role below.`
              : `${added.name} already is ${as} of ${added.team}: nothing was written in the team’s log.`,
            database: added.database,
          })
          onClose()
        },
        onError: (failure) => {
          const aboutAddress =
            isBridgekeepError(failure) &&
            (failure.issues?.length ||
              /share address|already a member|login name/i.test(failure.message))
          if (aboutAddress)
            setErrors(
              fieldErrorsFrom(failure, {
                fallback: /login name/i.test(failure.message) ? 'dbLogin' : 'address',
                shown: new Set(['address', 'name', 'dbLogin']),
              }),
            )
          else setError(failure)
        },
      },
    )
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && !invite.isPending && onClose()}
      title={`Invite to ${team.name}`}
      size="wide"
      description={
        <p>
          Compare the teammate’s fingerprint with them before inviting, as for a contact. They then
          join from their own Bridgekeep (Teams, Join a team) with your fingerprint as the
          founder’s, or a fingerprint the founder reads to them.
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        {(contacts.data?.length ?? 0) > 0 && (
          <FormField id="invite-contact" label="Teammate">
            {(control) => (
              <select
                {...control}
                className="input"
                value={contactId}
                onChange={(event) => {
                  setContactId(event.target.value)
                  setErrors({})
                }}
              >
                <option value={PASTE}>Paste a share address</option>
                {contacts.data!.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.fingerprint}){c.verifiedAt ? '' : ', not yet verified'}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        )}
        {contact ? (
          <p className={styles.explain}>
            Fingerprint <span className={styles.fingerprint}>{contact.fingerprint}</span>
            {contact.verifiedAt
              ? ' (verified).'
              : ': not verified yet. Compare it with them first.'}
          </p>
        ) : (
          <FormField id="invite-address" label="Share address" required error={errors.address}>
            {(control) => (
              <input
                {...control}
                className="input mono"
                autoComplete="off"
                spellCheck={false}
                placeholder="bkshare1:age1…"
                value={pasted}
                onChange={(event) => setPasted(event.target.value)}
              />
            )}
          </FormField>
        )}
        {contact && errors.address && (
          <ErrorNotice error={{ code: 'VALIDATION', message: errors.address }} />
        )}
        <FormField
          id="invite-name"
          label="Name the team sees"
          error={errors.name}
          help={
            contact ? `Empty: ${contact.name}.` : 'Empty: “Member” and the fingerprint’s start.'
          }
        >
          {(control) => (
            <input
              {...control}
              className="input"
              autoComplete="off"
              maxLength={60}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </FormField>
        <RolePicker
          name="invite-role"
          legend="Role"
          value={role}
          onChange={setRole}
          className={styles.roles}
        />
        <DatabaseLoginField
          id="invite-db-login"
          value={login}
          onChange={setLogin}
          error={errors.dbLogin}
        />
        {invite.isPending && <Spinner label="Adding the member in the database" />}
        {error !== null && <ErrorNotice error={error} title="The teammate was not added" />}
        <DialogActions>
          <button type="button" className="button" onClick={onClose} disabled={invite.isPending}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={invite.isPending}>
            <UserPlus aria-hidden="true" />
            {invite.isPending ? 'Adding…' : 'Add to team'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
