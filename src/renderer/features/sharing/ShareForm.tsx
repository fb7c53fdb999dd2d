import { Share2 } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { DEFAULT_SHARE_DAYS, exportInputSchema, setNameSchema } from '../../../shared/sharing'
import { useConnections } from '../../api/connections'
import { useSettingsQuery } from '../../api/queries'
import { useAuthorizationsFor, useEnvironments } from '../../api/environments'
import {
  useContacts,
  useExportShare,
  useIdentity,
  useSetIdentityName,
  type ExportResult,
} from '../../api/sharing'
import { DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { fieldErrorsFrom } from '../../components/field-errors'
import { FormField } from '../../components/FormField'
import { Spinner } from '../../components/Spinner'
import { loadPassphraseEstimator } from '../vault/passphraseStrength'
import { ExposedSecretsNotice, useExposedSecrets } from './ExposedSecretsNotice'
import { SenderNameField } from './SenderNameField'
import { ConnectionPicker } from './SharePickers'
import { ShareRecipients, type ShareTarget } from './ShareRecipients'
import styles from './Sharing.module.css'

const EXPIRY_DAYS = [1, 3, 7, 14, 30, 90]

/** The form field an issue of exportInputSchema belongs to: to.passphrase shows by the passphrase. */
function formFieldOf(path: readonly PropertyKey[]): string {
  if (path[0] === 'to') return path[1] === 'passphrase' ? 'passphrase' : 'to'
  return String(path[0] ?? '')
}

/** The set with `value` added, or removed when it was there. */
function toggle(set: Set<string>, value: string): Set<string> {
  const next = new Set(set)
  if (next.has(value)) next.delete(value)
  else next.add(value)
  return next
}

/** Share → recipients or a passphrase → environments, expiry, use-only; checked, then exported. */
export function ShareForm({
  fixed,
  onCancel,
  onShared,
}: {
  fixed: string[] | undefined
  onCancel: () => void
  onShared: (result: ExportResult) => void
}) {
  const connections = useConnections()
  const contacts = useContacts()
  const environments = useEnvironments()
  const identity = useIdentity()
  const setName = useSetIdentityName()
  const single = fixed?.length === 1 ? fixed[0] : undefined
  const authorized = useAuthorizationsFor(single)
  const [picked, setPicked] = useState<Set<string>>(new Set(fixed ?? []))
  // Until chosen: contacts if there are any, else a passphrase (which needs no one added first).
  const [chosenTarget, setTarget] = useState<ShareTarget | null>(null)
  const [senderName, setSenderName] = useState('')
  const [recipients, setRecipients] = useState<Set<string>>(new Set())
  const [passphrase, setPassphrase] = useState('')
  const [scope, setScope] = useState<Set<string> | null>(null)
  const [days, setDays] = useState(DEFAULT_SHARE_DAYS)
  const [useOnly, setUseOnly] = useState(true)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const share = useExportShare()
  const exposed = useExposedSecrets(useOnly ? [...picked] : [])
  const refusesExposed = useSettingsQuery().data?.refuseExposedUseOnly === true
  // A field's message goes once the field changes: it described what was there before.
  const clearError = (field: string) =>
    setErrors((current) => {
      const { [field]: _stale, ...rest } = current
      return rest
    })

  if (connections.isPending || contacts.isPending || environments.isPending || identity.isPending) {
    return <Spinner label="Loading" />
  }
  const loadError = connections.error ?? contacts.error ?? environments.error ?? identity.error
  if (loadError) return <ErrorNotice error={loadError} title="The share cannot be prepared" />

  // Until the user picks, the environments the connection is authorized for are in scope.
  const defaultScope = new Set(
    (environments.data ?? [])
      .filter((env) => authorized.data?.environmentIds.includes(env.id))
      .map((env) => env.name),
  )
  const chosenScope = scope ?? defaultScope
  const list = connections.data ?? []
  const target = chosenTarget ?? ((contacts.data ?? []).length > 0 ? 'contacts' : 'passphrase')
  const askName = identity.data?.nameChosen === false

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const input = {
      connectionIds: [...picked],
      to:
        target === 'contacts'
          ? { kind: 'contacts' as const, contactIds: [...recipients] }
          : { kind: 'passphrase' as const, passphrase },
      environments: [...chosenScope],
      expiresInDays: days,
      useOnly,
    }
    // The rules main applies (exportInputSchema), checked here first so each shows by its field.
    const parsed = exportInputSchema.safeParse(input)
    const found: Record<string, string> = {}
    if (!parsed.success)
      for (const issue of parsed.error.issues) found[formFieldOf(issue.path)] ??= issue.message
    // A share passphrase is held to the rule a new vault passphrase is (strength, not only length).
    if (target === 'passphrase' && !found.passphrase) {
      const strength = (await loadPassphraseEstimator().catch(() => undefined))?.rate(passphrase)
      if (strength && !strength.acceptable) {
        found.passphrase = `${strength.label}: ${strength.advice}`
      }
    }
    const name = askName ? setNameSchema.safeParse({ name: senderName }) : null
    if (name && !name.success) found.senderName = name.error.issues[0]?.message ?? 'Name: required.'
    setErrors(found)
    if (Object.keys(found).length > 0) return
    try {
      if (name?.success) await setName.mutateAsync(name.data.name)
      const exported = await share.mutateAsync(input)
      onShared(exported)
    } catch (error) {
      setErrors(fieldErrorsFrom(error))
    }
  }

  return (
    <form className={styles.formStack} onSubmit={(event) => void submit(event)} noValidate>
      {askName && identity.data && (
        <SenderNameField
          current={identity.data.name}
          value={senderName}
          onChange={(next) => {
            setSenderName(next)
            clearError('senderName')
          }}
          error={errors.senderName}
        />
      )}
      <ConnectionPicker
        fixed={Boolean(fixed)}
        connections={list}
        picked={picked}
        onToggle={(id) => setPicked((current) => toggle(current, id))}
        error={errors.connectionIds}
      />

      <ShareRecipients
        contacts={contacts.data ?? []}
        target={target}
        onTarget={setTarget}
        recipients={recipients}
        onToggleRecipient={(id) => setRecipients((current) => toggle(current, id))}
        onContactAdded={(contact) => {
          setTarget('contacts')
          setRecipients((current) => new Set(current).add(contact.id))
        }}
        passphrase={passphrase}
        onPassphrase={(next) => {
          setPassphrase(next)
          clearError('passphrase')
        }}
        errors={errors}
      />

      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>May be used in</legend>
        <div className={styles.radios}>
          {(environments.data ?? []).map((env) => (
            <label key={env.id}>
              <input
                type="checkbox"
                checked={chosenScope.has(env.name)}
                onChange={() => {
                  setScope(toggle(chosenScope, env.name))
                  clearError('environments')
                }}
              />
              {env.name}
              {env.protected && ' (protected)'}
            </label>
          ))}
        </div>
        {errors.environments && (
          <p role="alert" className={styles.muted}>
            {errors.environments}
          </p>
        )}
      </fieldset>

      <FormField id="share-expiry" label="Expires after">
        {(control) => (
          <select
            {...control}
            className="input"
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
          >
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d === 1 ? '1 day' : `${d} days`}
              </option>
            ))}
          </select>
        )}
      </FormField>

      <div className={styles.checkField}>
        <input
          id="share-use-only"
          type="checkbox"
          checked={useOnly}
          aria-describedby="share-use-only-help"
          onChange={(event) => setUseOnly(event.target.checked)}
        />
        <label htmlFor="share-use-only">Use-only</label>
        <p id="share-use-only-help" className={styles.checkHelp}>
          Their Bridgekeep uses the secret for tools in these environments until it expires, but
          never shows, copies or shares it on.
        </p>
      </div>
      {useOnly && (
        <ExposedSecretsNotice exposed={exposed} whose="the recipient’s" refused={refusesExposed} />
      )}
      {!useOnly && (
        <p className={styles.notice}>
          Without use-only, the recipients get a full copy: they can see the secret and keep it
          after the share expires.
        </p>
      )}
      {errors[''] && (
        <ErrorNotice error={{ code: 'VALIDATION', message: errors[''] }} title="Not shared" />
      )}
      <DialogActions>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="button primary"
          disabled={share.isPending || setName.isPending}
        >
          <Share2 aria-hidden="true" />
          {share.isPending ? 'Encrypting…' : 'Create share'}
        </button>
      </DialogActions>
    </form>
  )
}
