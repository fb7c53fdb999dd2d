import { ShieldCheck } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import type { MfaAsked } from '../../../shared/ipc/features/mfa'
import { useAnswerMfa, useCancelMfa, useMfaRequests } from '../../api/mfa'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormField } from '../../components/FormField'
import { describeError } from '../../components/ErrorNotice'

/** Shown above every screen while main waits for an MFA code; one request at a time. */
export function MfaCodePrompt() {
  const requests = useMfaRequests()
  const first = requests[0]
  // Keyed by request: a new request starts with an empty field.
  return first ? <MfaCodeDialog key={first.requestId} asked={first} /> : null
}

/**
 * "MFA code for <connection>": a one-time-code input (digits only, the platform's autofill of
 * codes allowed), focused on open; Enter sends, Esc or Cancel refuses the request.
 */
function MfaCodeDialog({ asked }: { asked: MfaAsked }) {
  const answer = useAnswerMfa()
  const cancel = useCancelMfa()
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | undefined>()

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const digits = code.replace(/\s+/g, '')
    if (!/^\d{6}$/.test(digits)) {
      setError('Type the 6 digits the MFA device shows now.')
      return
    }
    setError(undefined)
    answer.mutate(
      { requestId: asked.requestId, code: digits },
      { onError: (failure) => setError(describeError(failure).message) },
    )
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) cancel.mutate({ requestId: asked.requestId })
      }}
      title={`MFA code for ${asked.connection}`}
      description={
        <p>
          {asked.purpose === 'verify'
            ? 'Verifying assumes the connection’s role, which needs an MFA code.'
            : 'A command needs a new AWS session.'}{' '}
          Type the code your MFA device <span className="mono">{asked.serial}</span> shows now; it
          is sent to AWS once and never stored.
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        <FormField id="mfa-code" label="MFA code" required error={error}>
          {(control) => (
            <input
              {...control}
              className="input mono"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]*"
              maxLength={7}
              spellCheck={false}
              // The dialog exists only to take this code: focus goes straight to it.
              autoFocus
              value={code}
              onChange={(event) => {
                setCode(event.target.value)
                // The message was about the code that was there: a new one starts clean.
                setError(undefined)
              }}
            />
          )}
        </FormField>
        <DialogActions>
          <button
            type="button"
            className="button"
            onClick={() => cancel.mutate({ requestId: asked.requestId })}
          >
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={answer.isPending}>
            <ShieldCheck aria-hidden="true" />
            {answer.isPending ? 'Sending…' : 'Send code'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
