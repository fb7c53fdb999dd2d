import { KeyRound } from 'lucide-react'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import {
  askTeamCredentials,
  type TeamConnectionView,
  type TeamSessionView,
  type TeamSummary,
} from '../../api/teams'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import { Spinner } from '../../components/Spinner'
import { isBridgekeepError } from '../../../shared/errors'
import { issuedExpiry } from '../../../shared/operations'
import { issuedKindLabels, teamSessionExports } from '../../../shared/team-connections'
import { SnippetBlock } from '../connections/details/UseItPanel'
import styles from './Teams.module.css'

/** How long the app waits for a team runner (the service's default, said in the progress). */
const WAIT_SECONDS = 30

function refusalTitle(error: unknown): string {
  if (!isBridgekeepError(error)) return 'No credentials were issued'
  if (error.code === 'RUNNER_TIMEOUT') return 'No team runner answered in time'
  if (error.code === 'RUNNER_REFUSED') return 'The team runner refused'
  return 'No credentials were issued'
}

/**
 * A use of a team connection through the team runner: pick an environment the team allows, wait
 * for a runner's answer, and see the short-lived credentials once (a 15-minute AWS session, a GCP
 * or Azure token of about an hour). Revealing them is the point, so they are held in this
 * dialog's state only, and dropped when the dialog closes.
 */
export function TeamCredentialsDialog({
  team,
  connection,
  onClose,
}: {
  team: TeamSummary
  connection: TeamConnectionView
  onClose: () => void
}) {
  const [environment, setEnvironment] = useState(connection.environments[0] ?? '')
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [session, setSession] = useState<TeamSessionView | null>(null)
  // Closing while waiting is allowed: an answer arriving after it is dropped, kept nowhere.
  const open = useRef(true)
  useEffect(
    () => () => {
      open.current = false
    },
    [],
  )

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setError(null)
    askTeamCredentials({ team: team.name, name: connection.name, environment })
      .then(
        (issued) => open.current && setSession(issued),
        (refused: unknown) => open.current && setError(refused),
      )
      .finally(() => open.current && setPending(false))
  }

  return (
    <Dialog
      open
      onOpenChange={(isOpen) => !isOpen && onClose()}
      title={`Credentials for ${connection.name}`}
      size="wide"
      description={
        <p>
          The team runner (an admin’s vault) issues short-lived credentials for this use (AWS: 15
          minutes; GCP and Azure tokens: about an hour) that only this vault can decrypt; the team’s
          audit trail records it. The connection’s own secret never reaches this machine.
        </p>
      }
    >
      {session ? (
        <IssuedSession session={session} />
      ) : (
        <form onSubmit={submit} noValidate>
          <FormField id="team-credentials-env" label="Environment" required>
            {(control) => (
              <select
                {...control}
                className="input"
                value={environment}
                disabled={pending}
                onChange={(event) => setEnvironment(event.target.value)}
              >
                {connection.environments.length === 0 && (
                  <option value="">The team allows it in no environment</option>
                )}
                {connection.environments.map((env) => (
                  <option key={env} value={env}>
                    {env}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          {pending && (
            <Spinner label={`Waiting for the team runner to answer (up to ${WAIT_SECONDS} s)`} />
          )}
          {error !== null && <ErrorNotice error={error} title={refusalTitle(error)} />}
          <DialogActions>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="button primary"
              disabled={pending || environment === ''}
            >
              <KeyRound aria-hidden="true" />
              {pending ? 'Waiting…' : 'Get credentials'}
            </button>
          </DialogActions>
        </form>
      )}
      {session && (
        <DialogActions>
          <button type="button" className="button primary" onClick={onClose}>
            Done
          </button>
        </DialogActions>
      )}
    </Dialog>
  )
}

function IssuedSession({ session }: { session: TeamSessionView }) {
  const expiry = issuedExpiry(session)
  return (
    <div data-testid="team-session">
      <p className={styles.explain} role="status">
        {issuedKindLabels[session.kind]} issued by {session.runner}’s team runner; expires{' '}
        <time dateTime={expiry}>{new Date(expiry).toLocaleString()}</time>.
      </p>
      <SnippetBlock
        label="Shell exports"
        text={teamSessionExports(session).join('\n')}
        help="Shown once, on purpose: this is a secret. The app keeps it only while this dialog is open; copy it now, and ask again when it expires."
      />
    </div>
  )
}
