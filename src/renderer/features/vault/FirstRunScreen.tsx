import { ArchiveRestore } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { isBridgekeepError } from '../../../shared/errors'
import { useCreateVault } from '../../api/vault'
import { ErrorNotice } from '../../components/ErrorNotice'
import { RadioCard } from '../../components/RadioCard'
import { GateLayout } from './GateLayout'
import {
  checkNewPassphrase,
  NewPassphraseFields,
  type NewPassphrase,
  type NewPassphraseErrors,
} from './NewPassphraseFields'
import { RecoveryKeyPanel } from './RecoveryKeyPanel'
import { RestoreBackupDialog } from './RestoreBackupDialog'
import styles from './VaultScreens.module.css'

type Mode = 'keychain' | 'passphrase'

interface Props {
  /** Called as creation starts: the gate keeps this screen up until the key is acknowledged. */
  onStarted: () => void
  /** Creation failed, or the user has saved the recovery key: the gate may move on. */
  onFinished: () => void
}

/**
 * First run: what the vault is, how it should open (an explicit choice), then the recovery key.
 * Or a vault restored from a backup instead of a new one.
 */
export function FirstRunScreen({ onStarted, onFinished }: Props) {
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null)
  const [restoring, setRestoring] = useState(false)
  if (recoveryKey) {
    return (
      <GateLayout title="Save your recovery key">
        <RecoveryKeyPanel
          recoveryKey={recoveryKey}
          continueLabel="Open Bridgekeep"
          onDone={() => {
            setRecoveryKey(null)
            onFinished()
          }}
        />
      </GateLayout>
    )
  }
  return (
    <GateLayout title="Create your vault">
      <p className={styles.lead}>
        Bridgekeep keeps your connections — cloud keys, tokens, kubeconfigs, database passwords — in
        an <strong>encrypted vault</strong> on this computer. Each secret is encrypted with a data
        key, and the data key is itself locked, either by a key your operating system's keychain
        holds or by a passphrase you choose.
      </p>
      <p className={styles.lead}>
        Either way you also get a <strong>recovery key</strong>, shown once, that opens the vault if
        the keychain item or the passphrase is ever lost.
      </p>
      <CreateVaultForm
        onStarted={onStarted}
        onFailed={onFinished}
        onCreated={(key) => setRecoveryKey(key)}
        onRestore={() => setRestoring(true)}
      />
      {/* The gate keeps this screen while the restored vault's confirmation is up. */}
      <RestoreBackupDialog
        open={restoring}
        onOpenChange={setRestoring}
        vaultExists={false}
        onStarted={onStarted}
        onFinished={onFinished}
      />
    </GateLayout>
  )
}

interface FormProps {
  onStarted: () => void
  onFailed: () => void
  onCreated: (recoveryKey: string) => void
  onRestore: () => void
}

function CreateVaultForm({ onStarted, onFailed, onCreated, onRestore }: FormProps) {
  const create = useCreateVault()
  const [mode, setMode] = useState<Mode>('keychain')
  const [passphrase, setPassphrase] = useState<NewPassphrase>({ passphrase: '', confirmation: '' })
  const [errors, setErrors] = useState<NewPassphraseErrors>({})
  const [failure, setFailure] = useState<unknown>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setFailure(null)
    if (mode === 'passphrase') {
      const problems = await checkNewPassphrase(passphrase)
      setErrors(problems)
      if (problems.passphrase || problems.confirmation) {
        const field = problems.passphrase ? 'passphrase' : 'confirmation'
        document.getElementById(`create-${field}`)?.focus()
        return
      }
    }
    onStarted()
    try {
      const { recoveryKey } = await create.mutateAsync(
        mode === 'keychain'
          ? { mode: 'keychain' }
          : { mode: 'passphrase', passphrase: passphrase.passphrase },
      )
      setPassphrase({ passphrase: '', confirmation: '' })
      create.reset()
      onCreated(recoveryKey)
    } catch (error) {
      onFailed()
      if (isBridgekeepError(error) && error.code === 'WEAK_PASSPHRASE') {
        setErrors({ passphrase: error.message })
        document.getElementById('create-passphrase')?.focus()
      } else {
        setFailure(error)
      }
    }
  }

  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>How should the vault open?</legend>
        <RadioCard
          name="vault-mode"
          value="keychain"
          checked={mode === 'keychain'}
          onSelect={() => setMode('keychain')}
          title="Use the system keychain (recommended)"
        >
          Your keychain (macOS Keychain, Windows Credential Manager, or the Secret Service on Linux)
          holds the key, so the vault opens by itself when you are logged in.
        </RadioCard>
        <RadioCard
          name="vault-mode"
          value="passphrase"
          checked={mode === 'passphrase'}
          onSelect={() => setMode('passphrase')}
          title="Use a passphrase instead (for machines with no keychain)"
        >
          You type it whenever Bridgekeep opens the vault. Nothing is stored in a keychain.
        </RadioCard>
      </fieldset>
      {mode === 'passphrase' && (
        <NewPassphraseFields
          idPrefix="create"
          value={passphrase}
          onChange={setPassphrase}
          errors={errors}
          autoFocus
        />
      )}
      {failure !== null && (
        <ErrorNotice
          error={failure}
          title="The vault was not created"
          action={
            isKeychainProblem(failure) && mode === 'keychain' ? (
              <button type="button" className="button" onClick={() => setMode('passphrase')}>
                Use a passphrase instead
              </button>
            ) : undefined
          }
        />
      )}
      <div className={styles.actions}>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? 'Creating the vault…' : 'Create vault'}
        </button>
        <button type="button" className="button" disabled={create.isPending} onClick={onRestore}>
          <ArchiveRestore aria-hidden="true" />
          Restore from a backup
        </button>
      </div>
    </form>
  )
}

/** The keychain failed: offer the passphrase — as a choice the user makes, never by itself. */
function isKeychainProblem(error: unknown): boolean {
  return isBridgekeepError(error) && error.code.startsWith('KEYCHAIN_')
}
