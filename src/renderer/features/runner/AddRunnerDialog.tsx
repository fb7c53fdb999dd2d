import { KeyRound } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { runnerNameSchema } from '../../../shared/runner-protocol/status'
import { useIssueCredentials, type EnrollmentFile } from '../../api/runner'
import { Dialog, DialogActions } from '../../components/Dialog'
import { fieldErrorsFrom } from '../../components/field-errors'
import { FormField } from '../../components/FormField'
import { CredentialsFile } from './CredentialsFile'

/**
 * A new remote runner: its name (checked with main's own rule, and main's refusal, a name taken,
 * shown at the field), then its credentials file, shown once.
 */
export function AddRunnerDialog({
  open,
  onOpenChange,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const generate = useIssueCredentials('generate')
  const [name, setName] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [issued, setIssued] = useState<EnrollmentFile | null>(null)

  const close = () => {
    setName('')
    setError(undefined)
    setIssued(null)
    onOpenChange(false)
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const checked = runnerNameSchema.safeParse(name.trim())
    if (!checked.success) {
      setError(checked.error.issues[0]?.message)
      return
    }
    setError(undefined)
    generate.mutate(
      { name: checked.data },
      {
        onSuccess: setIssued,
        onError: (failure) => setError(fieldErrorsFrom(failure, { fallback: 'name' }).name),
      },
    )
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => (next ? onOpenChange(true) : close())}
      title={issued ? `Credentials for ${issued.name}` : 'Add a runner'}
      locked={issued !== null}
      description={
        issued ? undefined : (
          <p>
            A runner on another machine (a build server, a cluster) runs checks and issues
            credentials with that machine's identity and network. It dials out to this app over
            mutual TLS; nothing connects to it.
          </p>
        )
      }
    >
      {issued ? (
        <CredentialsFile file={issued} onDone={close} />
      ) : (
        <form onSubmit={submit} noValidate>
          <FormField
            id="new-runner-name"
            label="Name"
            required
            error={error}
            help="Lowercase letters, digits and dashes (1 to 40), e.g. build-eu. Connections name it in their Runner field."
          >
            {(control) => (
              <input
                {...control}
                className="input mono"
                autoComplete="off"
                spellCheck={false}
                maxLength={40}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </FormField>
          <DialogActions>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={generate.isPending}>
              <KeyRound aria-hidden="true" />
              {generate.isPending ? 'Generating…' : 'Create credentials'}
            </button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  )
}
