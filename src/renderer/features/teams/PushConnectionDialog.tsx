import { CloudUpload } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { useConnections } from '../../api/connections'
import { useEnvironments } from '../../api/environments'
import { usePushTeamConnection, type TeamConnectionView, type TeamSummary } from '../../api/teams'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import { Spinner } from '../../components/Spinner'
import { useToast } from '../../components/Toast'
import { isBridgekeepError } from '../../../shared/errors'
import styles from './Teams.module.css'

/** What a refused push means, above the service's own words (which name who, when and what). */
function refusalTitle(error: unknown): string {
  if (!isBridgekeepError(error)) return 'The connection was not pushed'
  if (error.code === 'CONFLICT') return 'Someone pushed another version first: nothing was pushed'
  if (error.code === 'USE_ONLY') return 'Shared with you use-only: not yours to push'
  if (error.code === 'NOT_SUPPORTED') return 'This connection cannot be pushed as it is'
  return 'The connection was not pushed'
}

/**
 * Admins push one of their connections to the team: its secrets sealed for each full member, its
 * non-secret fields in a change signed by them, and where the team may use it. A push over a
 * version this vault has not synced is refused with that version shown, never overwritten.
 */
export function PushConnectionDialog({
  team,
  teamConnections,
  onClose,
}: {
  team: TeamSummary
  teamConnections: readonly TeamConnectionView[]
  onClose: () => void
}) {
  const connections = useConnections()
  const environments = useEnvironments()
  const push = usePushTeamConnection()
  const notify = useToast()
  const [chosen, setChosen] = useState('')
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const live = (connections.data ?? []).filter((c) => !c.deletedAt)
  const envNames = [
    ...new Set([
      ...(environments.data ?? []).map((e) => e.slug.toLowerCase()),
      ...teamConnections.flatMap((c) => c.environments),
    ]),
  ].sort()

  // Chosen by slug: the service finds a connection by its name or slug.
  const choose = (slug: string) => {
    setChosen(slug)
    push.reset()
    // A new version keeps the team's environments unless they are changed here.
    const name = live.find((c) => c.slug === slug)?.name.toLowerCase()
    const current = teamConnections.find((c) => c.name.toLowerCase() === name)
    setSelected(new Set(current?.environments ?? []))
  }
  const toggle = (env: string) => {
    const next = new Set(selected)
    if (next.has(env)) next.delete(env)
    else next.add(env)
    setSelected(next)
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    push.mutate(
      { team: team.name, connection: chosen, environments: [...selected].sort() },
      {
        onSuccess: (pushed) => {
          notify({
            tone: 'success',
            message: `Pushed ${pushed.name} to ${pushed.team} as version ${pushed.version}${pushed.created ? ' (new)' : ''}.`,
          })
          onClose()
        },
      },
    )
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && !push.isPending && onClose()}
      title={`Push a connection to ${team.name}`}
      size="wide"
      description={
        <p>
          Its secrets are sealed with a new key wrapped to each full member, never to use-only
          members; the database sees its name, provider, non-secret fields and environments. A
          connection of the same name in the team gets a new version.
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        <FormField id="push-connection" label="Your connection" required>
          {(control) => (
            <select
              {...control}
              className="input"
              value={chosen}
              onChange={(event) => choose(event.target.value)}
            >
              <option value="" disabled>
                {connections.isPending ? 'Loading…' : 'Choose a connection'}
              </option>
              {live.map((c) => (
                <option key={c.id} value={c.slug}>
                  {c.name} ({c.provider}){c.useOnly ? ', use-only' : ''}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <fieldset className={styles.environments}>
          <legend>Environments the team may use it in</legend>
          {envNames.length === 0 && <p className={styles.explain}>No environment yet.</p>}
          {envNames.map((env) => (
            <label key={env}>
              <input type="checkbox" checked={selected.has(env)} onChange={() => toggle(env)} />{' '}
              {env}
            </label>
          ))}
        </fieldset>
        {push.isPending && <Spinner label="Sealing and pushing the connection" />}
        {push.isError && <ErrorNotice error={push.error} title={refusalTitle(push.error)} />}
        {isBridgekeepError(push.error) && push.error.code === 'CONFLICT' && (
          <p className={styles.explain}>
            In the app: Cancel, press Sync on the Connections tab to take the other version into
            account, then push again if yours should replace it.
          </p>
        )}
        <DialogActions>
          <button type="button" className="button" onClick={onClose} disabled={push.isPending}>
            Cancel
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={push.isPending || chosen === ''}
          >
            <CloudUpload aria-hidden="true" />
            {push.isPending ? 'Pushing…' : 'Push'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
