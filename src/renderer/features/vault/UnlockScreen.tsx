import { KeyRound, Lock } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { isBridgekeepError, type ErrorCode } from '../../../shared/errors'
import { useUnlockVault, type VaultStatus } from '../../api/vault'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import { PasswordInput } from '../../components/PasswordInput'
import { useToast } from '../../components/Toast'
import { GateLayout } from './GateLayout'
import styles from './VaultScreens.module.css'

type UnlockRequest = Parameters<ReturnType<typeof useUnlockVault>['mutateAsync']>[0]

/** Error codes that belong beside a field rather than in a box above the form. */
const FIELD_ERRORS: Partial<Record<ErrorCode, 'passphrase' | 'recovery'>> = {
  WRONG_PASSPHRASE: 'passphrase',
  WEAK_PASSPHRASE: 'passphrase',
  RECOVERY_KEY_INVALID: 'recovery',
  WRONG_RECOVERY_KEY: 'recovery',
}

/**
 * The vault exists but is closed. Keychain vaults usually open by themselves; this screen shows
 * why one did not (lastError) and offers every way in: the keychain again, the passphrase, and
 * the recovery key, which always works.
 */
export function UnlockScreen({ status }: { status: VaultStatus }) {
  const unlock = useUnlockVault()
  const notify = useToast()
  const [failure, setFailure] = useState<unknown>(null)
  const [fieldErrors, setFieldErrors] = useState<{ passphrase?: string; recovery?: string }>({})
  const [useRecovery, setUseRecovery] = useState(false)

  const attempt = async (request: UnlockRequest) => {
    setFailure(null)
    setFieldErrors({})
    try {
      const { resealedKeychain } = await unlock.mutateAsync(request)
      if (resealedKeychain) {
        notify({
          tone: 'success',
          message:
            'Vault unlocked with your recovery key. A new key was stored in your system keychain, so the vault opens by itself again.',
        })
      }
    } catch (error) {
      const field = isBridgekeepError(error) ? FIELD_ERRORS[error.code] : undefined
      if (field && isBridgekeepError(error)) {
        const message = error.hint ? `${error.message} ${error.hint}` : error.message
        setFieldErrors({ [field]: message })
        document.getElementById(`unlock-${field}`)?.focus()
      } else {
        setFailure(error)
      }
    }
  }

  // The latest attempt's error wins; before any attempt, why the automatic unlock failed.
  const shownError = failure ?? status.lastError
  return (
    <GateLayout title="Unlock your vault">
      <p className={styles.status}>
        <Lock aria-hidden="true" />
        {status.mode === 'passphrase'
          ? 'Your vault is locked. It opens with your passphrase.'
          : "Your vault is locked. It opens with a key kept in your system's keychain."}
      </p>
      {shownError ? (
        <div className={styles.form}>
          <ErrorNotice error={shownError} title="The vault could not be opened" />
        </div>
      ) : null}

      {status.mode === 'passphrase' ? (
        <PassphraseUnlock
          pending={unlock.isPending}
          error={fieldErrors.passphrase}
          onUnlock={(passphrase) => void attempt({ method: 'passphrase', passphrase })}
        />
      ) : (
        <div className={styles.form}>
          <div className={styles.actions}>
            <button
              type="button"
              className="button primary"
              disabled={unlock.isPending}
              onClick={() => void attempt({ method: 'keychain' })}
            >
              <KeyRound aria-hidden="true" />
              {shownError ? 'Try the keychain again' : 'Unlock with the keychain'}
            </button>
          </div>
        </div>
      )}

      <hr className={styles.divider} />
      {useRecovery ? (
        <RecoveryUnlock
          pending={unlock.isPending}
          error={fieldErrors.recovery}
          keychain={status.mode === 'keychain'}
          onUnlock={(recoveryKey) => void attempt({ method: 'recovery', recoveryKey })}
        />
      ) : (
        <div>
          <h2 className={styles.sectionTitle}>Lost access?</h2>
          <p className={styles.lead}>
            Your recovery key opens the vault even when the keychain item or the passphrase is gone.
          </p>
          <button type="button" className="button" onClick={() => setUseRecovery(true)}>
            Use recovery key
          </button>
        </div>
      )}
    </GateLayout>
  )
}

interface PassphraseProps {
  pending: boolean
  error?: string
  onUnlock: (passphrase: string) => void
}

function PassphraseUnlock({ pending, error, onUnlock }: PassphraseProps) {
  const [passphrase, setPassphrase] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onUnlock(passphrase)
  }
  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <FormField id="unlock-passphrase" label="Passphrase" required error={error}>
        {(control) => (
          <PasswordInput
            {...control}
            noun="passphrase"
            autoComplete="current-password"
            autoFocus
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
          />
        )}
      </FormField>
      <div className={styles.actions}>
        <button type="submit" className="button primary" disabled={pending || !passphrase}>
          {pending ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
    </form>
  )
}

interface RecoveryProps {
  pending: boolean
  error?: string
  keychain: boolean
  onUnlock: (recoveryKey: string) => void
}

function RecoveryUnlock({ pending, error, keychain, onUnlock }: RecoveryProps) {
  const [recoveryKey, setRecoveryKey] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onUnlock(recoveryKey)
  }
  return (
    <form onSubmit={submit} noValidate>
      <h2 className={styles.sectionTitle}>Unlock with your recovery key</h2>
      <p className={styles.lead}>
        Type the key you saved when the vault was created; spaces and dashes do not matter.
        {keychain &&
          ' If the key in your keychain was lost, Bridgekeep stores a new one once the vault is open.'}
      </p>
      <div className={styles.form}>
        <FormField id="unlock-recovery" label="Recovery key" required error={error}>
          {(control) => (
            <PasswordInput
              {...control}
              className="mono"
              noun="recovery key"
              autoFocus
              value={recoveryKey}
              onChange={(event) => setRecoveryKey(event.target.value)}
            />
          )}
        </FormField>
        <div className={styles.actions}>
          <button type="submit" className="button primary" disabled={pending || !recoveryKey}>
            {pending ? 'Unlocking…' : 'Unlock with recovery key'}
          </button>
        </div>
      </div>
    </form>
  )
}
