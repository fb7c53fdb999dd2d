import { Users } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { useCreateTeam } from '../../api/teams'
import { Dialog } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Spinner } from '../../components/Spinner'
import { useToast } from '../../components/Toast'
import { TeamDatabaseFields } from './TeamDatabaseFields'
import { TeamDialogActions, TeamNameField } from './TeamFormParts'
import { useTeamForm } from './team-form'

/** Founds a team space in a PostgreSQL database, with this vault as its first admin. */
export function CreateTeamDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateTeam()
  const form = useTeamForm(['name'])
  const [name, setName] = useState('')
  const navigate = useNavigate()
  const notify = useToast()

  const submit = (event: FormEvent) => {
    event.preventDefault()
    form.clear()
    create.mutate(
      { ...form.database, name },
      {
        onSuccess: (team) => {
          notify({ tone: 'success', message: `Team space ${team.name} created.` })
          onClose()
          void navigate(`/teams/${team.id}`)
        },
        onError: (failure) =>
          form.refused(failure, (message) =>
            /^Team name|team (space )?named/i.test(message) ? 'name' : undefined,
          ),
      },
    )
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && !create.isPending && onClose()}
      title="Create a team space"
      description={
        <p>
          The team space lives in a PostgreSQL database your team already runs. It stores only
          public keys, signed changes and (later) ciphertext: the database is trusted with
          availability, never with secrets or with who may do what.
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        <TeamDatabaseFields
          idPrefix="create-team"
          value={form.database}
          onChange={form.setDatabase}
          errors={form.fieldErrors}
        />
        <TeamNameField
          id="create-team-name"
          value={name}
          onChange={setName}
          error={form.fieldErrors.name}
          help="Letters, digits, spaces, “.”, “_” or “-”, e.g. platform. Members join by this name."
        />
        {create.isPending && <Spinner label="Creating the team in the database" />}
        {form.error !== null && (
          <ErrorNotice error={form.error} title="The team space was not created" />
        )}
        <TeamDialogActions
          onCancel={onClose}
          pending={create.isPending}
          icon={Users}
          label="Create team space"
          pendingLabel="Creating…"
        />
      </form>
    </Dialog>
  )
}
