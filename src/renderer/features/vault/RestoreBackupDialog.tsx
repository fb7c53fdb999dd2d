import { CircleCheck, TriangleAlert } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { MAX_BACKUP_BYTES, type BackupRestoreResult } from '../../../shared/backup'
import { isBridgekeepError } from '../../../shared/errors'
import { useRestoreBackup } from '../../api/backup'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import { PasswordInput } from '../../components/PasswordInput'
import { formatDateTime } from '../connections/format'
import { fileToBase64 } from '../sharing/files'
import { formatTypedRecoveryKey } from './recoveryKeyGroups'
import styles from './RestoreBackupDialog.module.css'

interface Props {
  open: boolean
  onOpenChange: (open: boolean) => void
  /** A vault is there (open, locked or damaged): restoring replaces it, and must be confirmed. */
  vaultExists: boolean
  /** The restore is starting: a screen that would go away once the vault opens can stay. */
  onStarted?: () => void
  /** The restore failed, or its confirmation was closed. */
  onFinished?: () => void
}

type FieldErrors = { file?: string; recoveryKey?: string; replace?: string }

/** Errors about the key the user typed: shown at the key field, with their hint. */
const KEY_ERRORS = new Set(['WRONG_RECOVERY_KEY', 'RECOVERY_KEY_INVALID'])

/**
 * Restores a vault from a .bkbackup file with the recovery key current when it was made. Every
 * refusal (not a backup, damaged, too new, wrong key) leaves the vault as it was and is shown
 * here; on success the restored vault is open and the dialog says which backup it came from.
 */
export function RestoreBackupDialog({
  open,
  onOpenChange,
  vaultExists,
  onStarted,
  onFinished,
}: Props) {
  const [restored, setRestored] = useState<BackupRestoreResult | null>(null)
  const close = (next: boolean) => {
    if (next) return onOpenChange(true)
    setRestored(null)
    onOpenChange(false)
    onFinished?.()
  }
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={restored ? 'Vault restored' : 'Restore from a backup'}
    >
      {restored ? (
        <>
          <p className={styles.success} role="status" data-testid="restore-result">
            <CircleCheck aria-hidden="true" />
            <span>
              The vault was restored from the backup made{' '}
              <time dateTime={restored.backupCreatedAt}>
                {formatDateTime(restored.backupCreatedAt)}
              </time>
              {restored.replacedExisting ? ', replacing the vault that was here' : ''}. It is open
              now.
            </span>
          </p>
          <DialogActions>
            <button type="button" className="button primary" onClick={() => close(false)}>
              Done
            </button>
          </DialogActions>
        </>
      ) : (
        <RestoreForm
          vaultExists={vaultExists}
          onCancel={() => close(false)}
          onStarted={onStarted}
          onFailed={onFinished}
          onRestored={setRestored}
        />
      )}
    </Dialog>
  )
}

interface FormProps {
  vaultExists: boolean
  onCancel: () => void
  onStarted?: () => void
  onFailed?: () => void
  onRestored: (result: BackupRestoreResult) => void
}

function RestoreForm({ vaultExists, onCancel, onStarted, onFailed, onRestored }: FormProps) {
  const restore = useRestoreBackup()
  const [file, setFile] = useState<File | null>(null)
  const [recoveryKey, setRecoveryKey] = useState('')
  const [replace, setReplace] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [failure, setFailure] = useState<unknown>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setFailure(null)
    const problems = check(file, recoveryKey, vaultExists && !replace)
    setErrors(problems)
    const first = (['file', 'recoveryKey', 'replace'] as const).find((field) => problems[field])
    if (first || !file) {
      document.getElementById(`restore-${first ?? 'file'}`)?.focus()
      return
    }
    onStarted?.()
    try {
      const result = await restore.mutateAsync({
        base64: await fileToBase64(file),
        recoveryKey,
        replaceExisting: vaultExists && replace,
      })
      setRecoveryKey('')
      restore.reset()
      onRestored(result)
    } catch (error) {
      onFailed?.()
      if (isBridgekeepError(error) && KEY_ERRORS.has(error.code)) {
        setErrors({ recoveryKey: error.hint ? `${error.message} ${error.hint}` : error.message })
        document.getElementById('restore-recoveryKey')?.focus()
      } else {
        setFailure(error)
      }
    }
  }

  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
      {!vaultExists && (
        <p className={styles.lead}>
          Brings back a vault from a backup file instead of creating a new one. It opens with the
          recovery key the vault had when the backup was made.
        </p>
      )}
      {vaultExists && (
        <p className={styles.warning}>
          <TriangleAlert aria-hidden="true" />
          <span>
            Restoring <strong>replaces the current vault</strong> with the backup: connections,
            environments and settings made since the backup are lost. The current vault is removed
            only once the restored one has opened.
          </span>
        </p>
      )}
      <FormField
        id="restore-file"
        label="Backup file"
        required
        error={errors.file}
        help="A .bkbackup file made by Download backup, a scheduled backup or bridgekeep backup create."
      >
        {(control) => (
          <input
            {...control}
            type="file"
            accept=".bkbackup"
            className={`input ${styles.file}`}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        )}
      </FormField>
      <FormField
        id="restore-recoveryKey"
        label="Recovery key"
        required
        error={errors.recoveryKey}
        help="The recovery key the vault had when the backup was made; dashes and spaces do not matter."
      >
        {(control) => (
          <PasswordInput
            {...control}
            className="mono"
            noun="recovery key"
            placeholder="XXXX-XXXX-XXXX-…"
            value={recoveryKey}
            onChange={(event) => setRecoveryKey(event.target.value)}
            onBlur={() => setRecoveryKey((typed) => formatTypedRecoveryKey(typed))}
          />
        )}
      </FormField>
      {vaultExists && (
        <div>
          <label className={styles.confirm}>
            <input
              id="restore-replace"
              type="checkbox"
              checked={replace}
              aria-invalid={errors.replace ? true : undefined}
              aria-describedby={errors.replace ? 'restore-replace-error' : undefined}
              onChange={(event) => setReplace(event.target.checked)}
            />
            Replace the current vault
          </label>
          {errors.replace && (
            <p id="restore-replace-error" className={styles.fieldError}>
              {errors.replace}
            </p>
          )}
        </div>
      )}
      {failure !== null && (
        <ErrorNotice error={failure} title="Nothing was restored; the vault is as it was" />
      )}
      <DialogActions>
        <button type="button" className="button" onClick={onCancel} disabled={restore.isPending}>
          Cancel
        </button>
        <button
          type="submit"
          className={`button ${vaultExists ? 'danger' : 'primary'}`}
          disabled={restore.isPending}
        >
          {restore.isPending ? 'Restoring…' : vaultExists ? 'Replace and restore' : 'Restore'}
        </button>
      </DialogActions>
    </form>
  )
}

function check(file: File | null, recoveryKey: string, unconfirmed: boolean): FieldErrors {
  const errors: FieldErrors = {}
  if (!file) errors.file = 'Choose the backup file (.bkbackup) to restore.'
  else if (file.size > MAX_BACKUP_BYTES)
    errors.file = `This file is larger than any backup Bridgekeep makes (${MAX_BACKUP_BYTES / 1024 / 1024} MiB at most): choose the .bkbackup file.`
  if (!recoveryKey.trim()) errors.recoveryKey = 'Type the recovery key the backup opens with.'
  if (unconfirmed)
    errors.replace = 'Tick “Replace the current vault” to confirm: the backup takes its place.'
  return errors
}
