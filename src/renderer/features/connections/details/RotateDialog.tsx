import { useCallback, useState, type FormEvent } from 'react'
import { useRotateConnection, type ConnectionDetail } from '../../../api/connections'
import type { AwsKeyRotation } from '../../../../shared/aws-key-rotation'
import { Dialog, DialogActions } from '../../../components/Dialog'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { fieldErrorsFrom } from '../../../components/field-errors'
import { useToast } from '../../../components/Toast'
import { ResendOffer } from '../../sharing/ResendOffer'
import { fieldApplies, type AuthMode, type ProviderSpec } from '../catalog'
import { ProviderField } from '../form/ProviderField'
import { controlId } from '../form/useConnectionForm'
import { AwsKeyNote, CreateAwsKey } from './CreateAwsKey'

interface Props {
  detail: ConnectionDetail
  provider: ProviderSpec
  open: boolean
  onOpenChange: (open: boolean) => void
  /** Told once a new version is written (typed, or a new AWS key): a team panel pushes it. */
  onRotated?: () => void
}

/**
 * New values for some or all of the secret fields, written as a new version. Only the secret
 * fields that apply to the connection's current settings are offered, all empty.
 */
export function RotateDialog({ detail, provider, open, onOpenChange, onRotated }: Props) {
  const authMode = detail.authMode as AuthMode
  const fields = provider.fields.filter(
    (spec) => spec.secret && fieldApplies(spec, authMode, detail.config),
  )
  const [values, setValues] = useState<Record<string, string>>({})
  const [errors, setErrors] = useState<Record<string, string>>({})
  const rotate = useRotateConnection()
  const notify = useToast()
  // Once rotated, the dialog offers to re-send the new version to whoever holds the old one.
  const [rotated, setRotated] = useState(false)
  // A key created in AWS: what is left to do with the old key keeps the dialog open until read.
  const [keyRotation, setKeyRotation] = useState<AwsKeyRotation>()
  const keyNote = keyRotation?.note
  const close = useCallback(() => {
    setRotated(false)
    setKeyRotation(undefined)
    onOpenChange(false)
  }, [onOpenChange])

  /** A field that holds a reference: rotating it means typing the value that replaces it. */
  const referenceOf = (key: string) =>
    detail.secrets.find((secret) => secret.field === key)?.reference

  const check = (key: string, value: string): string | undefined => {
    if (!value.trim()) return undefined
    const spec = fields.find((field) => field.key === key)
    const parsed = spec?.schema.safeParse(value.trim())
    return parsed && !parsed.success ? parsed.error.issues[0]?.message : undefined
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const found: Record<string, string> = {}
    for (const spec of fields) {
      const problem = check(spec.key, values[spec.key] ?? '')
      if (problem) found[spec.key] = problem
    }
    const given = Object.fromEntries(
      Object.entries(values).filter(([, value]) => value.trim() !== ''),
    )
    if (Object.keys(found).length === 0 && Object.keys(given).length === 0) {
      found[''] = 'Enter at least one new secret value to rotate.'
    }
    setErrors(found)
    if (Object.keys(found).length > 0) {
      focusFirst(form, found)
      return
    }
    try {
      const saved = await rotate.mutateAsync({ id: detail.id, secrets: given })
      notify({
        tone: 'success',
        message: `“${saved.name}” rotated: its secrets are now version ${saved.secretVersion}.`,
      })
      setValues({})
      setRotated(true)
      onRotated?.()
    } catch (error) {
      const mapped = fieldErrorsFrom(error, {
        unexpected: 'The secrets were not rotated: something unexpected went wrong.',
      })
      setErrors(mapped)
      focusFirst(form, mapped)
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => (next ? onOpenChange(true) : close())}
      size="wide"
      title={
        !rotated
          ? `Rotate “${detail.name}”`
          : keyNote
            ? `New key for “${detail.name}”`
            : `Re-send “${detail.name}”?`
      }
      description={
        rotated ? (
          `Its secrets are now version ${detail.secretVersion}.`
        ) : (
          <>
            Enter the new values. They are written as a new secret version (version{' '}
            {detail.secretVersion + 1}); fields left empty keep their current values. Operations
            that are already running keep using the version they started with.
          </>
        )
      }
    >
      {rotated ? (
        <>
          {keyRotation && <AwsKeyNote rotation={keyRotation} />}
          <ResendOffer
            connectionId={detail.id}
            connectionName={detail.name}
            onClose={close}
            keepOpen={Boolean(keyNote)}
          />
        </>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          {detail.provider === 'aws' && authMode === 'inline' && (
            <CreateAwsKey
              connectionId={detail.id}
              onRotated={(rotation) => {
                notify({
                  tone: rotation.oldKeyDeactivated ? 'success' : 'info',
                  message: `“${detail.name}” has a new key (${rotation.newAccessKeyId}), now version ${rotation.secretVersion}.`,
                })
                setKeyRotation(rotation)
                setValues({})
                setRotated(true)
                onRotated?.()
              }}
            />
          )}
          {fields.map((spec) => (
            <ProviderField
              key={spec.key}
              spec={{ ...spec, required: false }}
              authMode={authMode}
              value={values[spec.key] ?? ''}
              error={errors[spec.key]}
              editing={false}
              placeholder={
                referenceOf(spec.key)
                  ? `Now ${referenceOf(spec.key)} — a value typed here replaces the reference`
                  : 'New value — leave empty to keep the current one'
              }
              onChange={(value, loadedWhole) => {
                setValues((current) => ({ ...current, [spec.key]: value }))
                if (errors[spec.key] || loadedWhole) {
                  setErrors((current) => {
                    const next = { ...current }
                    const problem = check(spec.key, value)
                    if (problem) next[spec.key] = problem
                    else delete next[spec.key]
                    return next
                  })
                }
              }}
              onBlur={() =>
                setErrors((current) => {
                  const next = { ...current }
                  const problem = check(spec.key, values[spec.key] ?? '')
                  if (problem) next[spec.key] = problem
                  else delete next[spec.key]
                  return next
                })
              }
            />
          ))}
          {errors[''] && (
            <div id="rotate-form-error" tabIndex={-1}>
              <ErrorNotice
                error={{ code: 'VALIDATION', message: errors[''] }}
                title="Not rotated"
              />
            </div>
          )}
          <DialogActions>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={rotate.isPending}>
              {rotate.isPending ? 'Rotating…' : 'Write new version'}
            </button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  )
}

/** Focus the first field in error (in form order), or the form-level message. */
function focusFirst(form: HTMLFormElement, errors: Record<string, string>): void {
  // Wait for the errors to render, so aria-invalid is set on the controls.
  requestAnimationFrame(() => {
    const first =
      form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      (errors[''] ? document.getElementById('rotate-form-error') : null) ??
      document.getElementById(controlId(Object.keys(errors)[0] ?? ''))
    first?.focus()
  })
}
