import { LogIn } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { useJoinTeam } from '../../api/teams'
import { Dialog } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import { Spinner } from '../../components/Spinner'
import { useToast } from '../../components/Toast'
import { TeamDatabaseFields } from './TeamDatabaseFields'
import { TeamDialogActions, TeamNameField } from './TeamFormParts'
import { useTeamForm } from './team-form'
import styles from './Teams.module.css'

/**
 * Joins a team an admin added this vault to, pinning the founder's key: from the fingerprint the
 * user compared with the founder, or from the founder being a verified contact. A refusal about
 * the founder (none given, or not the one the database holds) is shown at the fingerprint.
 */
export function JoinTeamDialog({ onClose }: { onClose: () => void }) {
  const join = useJoinTeam()
  const form = useTeamForm(['team', 'founderFingerprint'])
  const [team, setTeam] = useState('')
  const [fingerprint, setFingerprint] = useState('')
  const navigate = useNavigate()
  const notify = useToast()

  const submit = (event: FormEvent) => {
    event.preventDefault()
    form.clear()
    join.mutate(
      {
        ...form.database,
        team,
        ...(fingerprint.trim() ? { founderFingerprint: fingerprint.trim() } : {}),
      },
      {
        onSuccess: (joined) => {
          notify({ tone: 'success', message: `You joined team space ${joined.name}.` })
          onClose()
          void navigate(`/teams/${joined.id}`)
        },
        onError: (failure) =>
          form.refused(failure, (message) =>
            /founder/i.test(message)
              ? 'founderFingerprint'
              : message.startsWith('Team name') || message.startsWith('No team named')
                ? 'team'
                : undefined,
          ),
      },
    )
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && !join.isPending && onClose()}
      title="Join a team space"
      description={
        <p>
          A team admin must have invited your share address first. Your PostgreSQL login needs the
          team’s database role, granted by the database administrator.
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        <TeamDatabaseFields
          idPrefix="join-team"
          value={form.database}
          onChange={form.setDatabase}
          errors={form.fieldErrors}
        />
        <TeamNameField
          id="join-team-name"
          value={team}
          onChange={setTeam}
          error={form.fieldErrors.team}
        />
        <div id="join-team-why">
          <p className={styles.explain}>
            <strong>Why compare the founder’s fingerprint aloud?</strong> Every change in the team
            is checked back to its founder’s key, and that key is read from the database. Someone
            who controls the database could put their own founder there. Call the founder or meet
            them: they read their fingerprint (Sharing, Your identity) and you type it here. Do not
            take it from an email or a chat the database’s administrator could also reach.
          </p>
          <p className={styles.explain}>
            If the founder is already a <em>verified</em> contact, you may leave it empty.
          </p>
        </div>
        <FormField
          id="join-team-founder"
          label="Founder’s fingerprint"
          error={form.fieldErrors.founderFingerprint}
          help="Five groups of four characters, as the founder reads them out; spaces optional."
        >
          {(control) => (
            <input
              {...control}
              aria-describedby={[control['aria-describedby'], 'join-team-why']
                .filter(Boolean)
                .join(' ')}
              className="input mono"
              autoComplete="off"
              spellCheck={false}
              maxLength={60}
              placeholder="3F9A 12C4 7B0E 55D1 A2F3"
              value={fingerprint}
              onChange={(event) => setFingerprint(event.target.value)}
            />
          )}
        </FormField>
        {join.isPending && <Spinner label="Checking the team in the database" />}
        {form.error !== null && <ErrorNotice error={form.error} title="You did not join" />}
        <TeamDialogActions
          onCancel={onClose}
          pending={join.isPending}
          icon={LogIn}
          label="Join team space"
          pendingLabel="Joining…"
        />
      </form>
    </Dialog>
  )
}
