import { useState, type FormEvent } from 'react'
import {
  BACKUP_EVERY_HOURS_MAX,
  BACKUP_KEEP_MAX,
  backupFolderSchema,
  type BackupSchedule,
} from '../../../shared/backup'
import { isBridgekeepError } from '../../../shared/errors'
import { useSetBackupSchedule } from '../../api/backup'
import { ErrorNotice } from '../../components/ErrorNotice'
import { fieldErrorsFrom } from '../../components/field-errors'
import { FormField, type FieldControlProps } from '../../components/FormField'
import styles from './SettingsPage.module.css'

type Field = 'backupFolder' | 'backupKeep' | 'backupEveryHours'
type FieldErrors = Partial<Record<Field, string>>

/**
 * Where scheduled backups go, how many are kept and how often one is written. The folder is
 * typed as a path: the page cannot open the system's folder picker in every host.
 */
export function BackupScheduleForm({ schedule }: { schedule: BackupSchedule }) {
  const save = useSetBackupSchedule()
  const [folder, setFolder] = useState(schedule.backupFolder ?? '')
  const [keep, setKeep] = useState(String(schedule.backupKeep))
  const [everyHours, setEveryHours] = useState(String(schedule.backupEveryHours))
  const [errors, setErrors] = useState<FieldErrors>({})

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const parsed = {
      folder: backupFolderSchema.safeParse(folder),
      keep: wholeNumber(keep, BACKUP_KEEP_MAX, 'backups'),
      everyHours: wholeNumber(everyHours, BACKUP_EVERY_HOURS_MAX, 'hours'),
    }
    const problems: FieldErrors = {
      backupFolder: parsed.folder.success ? undefined : parsed.folder.error.issues[0]?.message,
      backupKeep: typeof parsed.keep === 'string' ? parsed.keep : undefined,
      backupEveryHours: typeof parsed.everyHours === 'string' ? parsed.everyHours : undefined,
    }
    setErrors(problems)
    const first = (Object.keys(problems) as Field[]).find((field) => problems[field])
    if (first || !parsed.folder.success) return focus(first ?? 'backupFolder')
    await apply({
      backupFolder: parsed.folder.data,
      backupKeep: parsed.keep as number,
      backupEveryHours: parsed.everyHours as number,
    })
  }

  /** Main checks the folder exists and can be written: its answer goes beside the field. */
  const apply = async (patch: Parameters<typeof save.mutateAsync>[0]) => {
    try {
      await save.mutateAsync(patch)
    } catch (error) {
      if (isBridgekeepError(error) && error.issues?.length) {
        const fromMain: FieldErrors = fieldErrorsFrom(error, { fallback: 'backupFolder' })
        setErrors(fromMain)
        focus((Object.keys(fromMain)[0] as Field | undefined) ?? 'backupFolder')
      }
    }
  }

  const failure = save.isError && !(isBridgekeepError(save.error) && save.error.issues?.length)
  return (
    <form className={styles.scheduleForm} onSubmit={(event) => void submit(event)} noValidate>
      <FormField
        id="backupFolder"
        label="Backup folder"
        error={errors.backupFolder}
        help="An absolute path to a folder that exists, e.g. /home/you/Backups or D:\Backups."
      >
        {(control) => (
          <input
            {...control}
            className={`input ${styles.mono}`}
            value={folder}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => setFolder(event.target.value)}
          />
        )}
      </FormField>
      <div className={styles.fieldRow}>
        <FormField id="backupKeep" label="Keep the newest" error={errors.backupKeep}>
          {(control) => <NumberInput {...control} value={keep} onChange={setKeep} unit="backups" />}
        </FormField>
        <FormField id="backupEveryHours" label="Back up every" error={errors.backupEveryHours}>
          {(control) => (
            <NumberInput {...control} value={everyHours} onChange={setEveryHours} unit="hours" />
          )}
        </FormField>
      </div>
      {failure && <ErrorNotice error={save.error} title="The schedule was not saved" />}
      <div className={styles.actions}>
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save schedule'}
        </button>
        {schedule.backupFolder && (
          <button
            type="button"
            className="button"
            disabled={save.isPending}
            onClick={() => void apply({ backupFolder: null })}
          >
            Turn off scheduled backups
          </button>
        )}
      </div>
    </form>
  )
}

interface NumberInputProps extends FieldControlProps {
  value: string
  unit: string
  onChange: (value: string) => void
}

function NumberInput({ value, unit, onChange, ...control }: NumberInputProps) {
  return (
    <span className={styles.numberWithUnit}>
      <input
        {...control}
        className={`input ${styles.number}`}
        inputMode="numeric"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <span aria-hidden="true">{unit}</span>
    </span>
  )
}

/** The number typed, or what is wrong with it. */
function wholeNumber(typed: string, max: number, unit: string): number | string {
  const value = Number(typed.trim())
  if (!/^\d+$/.test(typed.trim()) || value < 1 || value > max)
    return `Type a whole number of ${unit} from 1 to ${max}.`
  return value
}

function focus(field: Field): void {
  document.getElementById(field)?.focus()
}
