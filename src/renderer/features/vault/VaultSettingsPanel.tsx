import { KeyRound, Lock, RefreshCcw, TextCursorInput } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { isBridgekeepError } from '../../../shared/errors'
import { useLockVault, useReencryptVault, useRewrapVault, useVaultStatus } from '../../api/vault'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import { PasswordInput } from '../../components/PasswordInput'
import { useToast } from '../../components/Toast'
import {
  checkNewPassphrase,
  NewPassphraseFields,
  type NewPassphrase,
  type NewPassphraseErrors,
} from './NewPassphraseFields'
import { RecoveryKeyPanel } from './RecoveryKeyPanel'
import styles from './VaultSettingsPanel.module.css'

/** Settings → Vault: how the vault opens, switching that, replacing the data key, locking. */
export function VaultSettingsPanel() {
  const status = useVaultStatus()
  const lock = useLockVault()
  const [dialog, setDialog] = useState<'passphrase' | 'keychain' | 'reencrypt' | null>(null)
  const mode = status.data?.mode
  const close = () => setDialog(null)

  return (
    <section className={styles.panel} aria-labelledby="vault-title">
      <h2 id="vault-title" className={styles.title}>
        Vault
      </h2>
      <dl className={styles.facts}>
        <dt>Opens with</dt>
        <dd data-testid="vault-mode">
          {mode === 'passphrase'
            ? 'A passphrase you type'
            : mode === 'keychain'
              ? "A key in your system's keychain"
              : '…'}
        </dd>
        <dt>Recovery</dt>
        <dd>Your recovery key opens the vault in either mode.</dd>
        {status.data?.vaultId && (
          <>
            <dt>Vault ID</dt>
            <dd className="mono">{status.data.vaultId}</dd>
          </>
        )}
      </dl>
      <div className={styles.actions}>
        {mode === 'keychain' && (
          <button type="button" className="button" onClick={() => setDialog('passphrase')}>
            <TextCursorInput aria-hidden="true" />
            Switch to a passphrase
          </button>
        )}
        {mode === 'passphrase' && (
          <>
            <button type="button" className="button" onClick={() => setDialog('keychain')}>
              <KeyRound aria-hidden="true" />
              Switch to the system keychain
            </button>
            <button type="button" className="button" onClick={() => setDialog('passphrase')}>
              <TextCursorInput aria-hidden="true" />
              Change passphrase
            </button>
          </>
        )}
        <button type="button" className="button" onClick={() => setDialog('reencrypt')}>
          <RefreshCcw aria-hidden="true" />
          Re-encrypt everything with a new data key
        </button>
        <button
          type="button"
          className="button"
          disabled={lock.isPending}
          onClick={() => lock.mutate()}
        >
          <Lock aria-hidden="true" />
          Lock the vault
        </button>
      </div>
      {lock.isError && <ErrorNotice error={lock.error} title="The vault was not locked" />}

      {dialog === 'passphrase' && (
        <PassphraseDialog changing={mode === 'passphrase'} onClose={close} />
      )}
      <KeychainDialog open={dialog === 'keychain'} onClose={close} />
      {dialog === 'reencrypt' && (
        <ReencryptDialog needsPassphrase={mode === 'passphrase'} onClose={close} />
      )}
    </section>
  )
}

/** Switch to (or change) a passphrase: typed twice, with the same strength rules as at creation. */
function PassphraseDialog({ changing, onClose }: { changing: boolean; onClose: () => void }) {
  const rewrap = useRewrapVault()
  const notify = useToast()
  const [value, setValue] = useState<NewPassphrase>({ passphrase: '', confirmation: '' })
  const [errors, setErrors] = useState<NewPassphraseErrors>({})
  const [failure, setFailure] = useState<unknown>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setFailure(null)
    const problems = await checkNewPassphrase(value)
    setErrors(problems)
    if (problems.passphrase || problems.confirmation) {
      const field = problems.passphrase ? 'passphrase' : 'confirmation'
      document.getElementById(`rewrap-${field}`)?.focus()
      return
    }
    try {
      await rewrap.mutateAsync({ with: 'passphrase', passphrase: value.passphrase })
      notify({
        tone: 'success',
        message: changing
          ? 'The passphrase was changed. The old one no longer opens the vault.'
          : 'The vault now opens with your passphrase; its key was removed from the keychain.',
      })
      onClose()
    } catch (error) {
      if (isBridgekeepError(error) && error.code === 'WEAK_PASSPHRASE') {
        setErrors({ passphrase: error.message })
      } else {
        setFailure(error)
      }
    }
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={changing ? 'Change the passphrase' : 'Switch to a passphrase'}
      description={
        changing
          ? 'The vault will open with the new passphrase only. Your recovery key keeps working.'
          : "Bridgekeep will ask for this passphrase whenever it opens the vault, and the key in your system's keychain is removed. Your recovery key keeps working."
      }
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <NewPassphraseFields
          idPrefix="rewrap"
          value={value}
          onChange={setValue}
          errors={errors}
          autoFocus
        />
        {failure !== null && <ErrorNotice error={failure} title="Nothing was changed" />}
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={rewrap.isPending}>
            {rewrap.isPending ? 'Saving…' : changing ? 'Change passphrase' : 'Use this passphrase'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

function KeychainDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const rewrap = useRewrapVault()
  const notify = useToast()
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => !next && onClose()}
      title="Switch to the system keychain?"
      description={
        <p>
          A new key is stored in your system's keychain and the vault opens by itself when you are
          logged in. <strong>Your passphrase will no longer open the vault.</strong> Your recovery
          key keeps working.
        </p>
      }
      confirmLabel="Use the keychain"
      onConfirm={async () => {
        await rewrap.mutateAsync({ with: 'keychain' })
        notify({ tone: 'success', message: 'The vault now opens with the system keychain.' })
      }}
    />
  )
}

/**
 * Replaces the data key and re-encrypts every secret with the new one. The recovery key changes
 * with it (the old one wrapped the old key), so the new one is shown once, like at creation.
 */
function ReencryptDialog({
  needsPassphrase,
  onClose,
}: {
  needsPassphrase: boolean
  onClose: () => void
}) {
  const reencrypt = useReencryptVault()
  const [passphrase, setPassphrase] = useState('')
  const [passphraseError, setPassphraseError] = useState<string | undefined>()
  const [failure, setFailure] = useState<unknown>(null)
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setFailure(null)
    setPassphraseError(undefined)
    if (needsPassphrase && !passphrase) {
      setPassphraseError('Enter the vault passphrase.')
      document.getElementById('reencrypt-passphrase')?.focus()
      return
    }
    try {
      const result = await reencrypt.mutateAsync(needsPassphrase ? { passphrase } : {})
      setPassphrase('')
      reencrypt.reset()
      setRecoveryKey(result.recoveryKey)
    } catch (error) {
      if (isBridgekeepError(error) && error.code === 'WRONG_PASSPHRASE') {
        setPassphraseError(error.message)
        document.getElementById('reencrypt-passphrase')?.focus()
      } else {
        setFailure(error)
      }
    }
  }

  if (recoveryKey) {
    return (
      <Dialog
        open
        onOpenChange={() => undefined}
        locked
        size="wide"
        title="Save your new recovery key"
      >
        <RecoveryKeyPanel
          recoveryKey={recoveryKey}
          note="Every secret is now encrypted with a new data key. Your previous recovery key no longer works: replace it with this one."
          continueLabel="Done"
          onDone={() => {
            setRecoveryKey(null)
            onClose()
          }}
        />
      </Dialog>
    )
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Re-encrypt everything with a new data key?"
      description={
        <>
          <p>
            A new data key is generated and every stored secret is re-encrypted with it, in one
            step: if anything fails, nothing changes. Use this if you think the vault file and its
            key may have been copied.
          </p>
          <p>
            <strong>Your recovery key changes too.</strong> The new one is shown once, next.
          </p>
        </>
      }
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        {needsPassphrase && (
          <FormField
            id="reencrypt-passphrase"
            label="Vault passphrase"
            required
            error={passphraseError}
          >
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
        )}
        {failure !== null && <ErrorNotice error={failure} title="Nothing was re-encrypted" />}
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={reencrypt.isPending}>
            {reencrypt.isPending ? 'Re-encrypting…' : 'Re-encrypt'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
