import { ArchiveRestore, Download, HardDriveDownload } from 'lucide-react'
import { useState } from 'react'
import type { BackupStatus } from '../../../shared/backup'
import { useBackupStatus, useCreateBackup, useRunBackupNow } from '../../api/backup'
import { ErrorNotice } from '../../components/ErrorNotice'
import { formatDateTime } from '../connections/format'
import { downloadBase64 } from '../sharing/files'
import { RestoreBackupDialog } from '../vault/RestoreBackupDialog'
import { BackupScheduleForm } from './BackupScheduleForm'
import styles from './SettingsPage.module.css'

/**
 * Settings → Backups: a backup to download now, backups written on a schedule into a folder,
 * and restoring one. A backup is the whole vault encrypted; it opens with the recovery key.
 */
export function BackupsPanel() {
  const [restoring, setRestoring] = useState(false)
  return (
    <section className={styles.panel} aria-labelledby="backups-title" data-testid="backups-panel">
      <h2 id="backups-title" className={styles.panelTitle}>
        Backups
      </h2>
      <DownloadBackup />
      <h3 className={styles.subTitle}>Scheduled backups</h3>
      <ScheduledBackups />
      <h3 className={styles.subTitle}>Restore</h3>
      <p className={styles.help}>
        Replaces this vault with one from a backup file, opened with its recovery key.
      </p>
      <div className={styles.actions}>
        <button type="button" className="button" onClick={() => setRestoring(true)}>
          <ArchiveRestore aria-hidden="true" />
          Restore from backup…
        </button>
      </div>
      <RestoreBackupDialog open={restoring} onOpenChange={setRestoring} vaultExists />
    </section>
  )
}

function DownloadBackup() {
  const create = useCreateBackup()
  const download = async () => {
    const made = await create.mutateAsync()
    downloadBase64(made.base64, made.filename)
    create.reset()
  }
  return (
    <>
      <p className={styles.help}>
        The file is encrypted: it opens only with the recovery key this vault has when the backup is
        made. Keep that key with the backup.
      </p>
      <div className={styles.actions}>
        <button
          type="button"
          className="button primary"
          disabled={create.isPending}
          onClick={() => void download().catch(() => undefined)}
        >
          <Download aria-hidden="true" />
          {create.isPending ? 'Making the backup…' : 'Download backup'}
        </button>
      </div>
      {create.isError && <ErrorNotice error={create.error} title="The backup could not be made" />}
    </>
  )
}

function ScheduledBackups() {
  const status = useBackupStatus()
  const runNow = useRunBackupNow()
  if (status.isError) {
    return <ErrorNotice error={status.error} title="The backup schedule could not be read" />
  }
  if (!status.data) return <p className={styles.help}>…</p>
  const { schedule, lastError } = status.data
  return (
    <>
      <BackupFacts status={status.data} />
      {lastError && (
        <ErrorNotice
          error={lastError}
          title={`The last backup failed (${formatDateTime(lastError.at)})`}
        />
      )}
      {/* Keyed by what is saved: after a save the form shows the values main kept. */}
      <BackupScheduleForm key={JSON.stringify(schedule)} schedule={schedule} />
      {schedule.backupFolder && (
        <div className={styles.actions}>
          <button
            type="button"
            className="button"
            disabled={runNow.isPending}
            onClick={() => runNow.mutate()}
          >
            <HardDriveDownload aria-hidden="true" />
            {runNow.isPending ? 'Backing up…' : 'Back up now'}
          </button>
        </div>
      )}
    </>
  )
}

function BackupFacts({ status }: { status: BackupStatus }) {
  if (!status.schedule.backupFolder) {
    return (
      <p className={styles.help} data-testid="backup-schedule-state">
        Off: no folder is set. Choose one below to have Bridgekeep write a backup there while the
        vault is open.
      </p>
    )
  }
  return (
    <dl className={styles.facts} data-testid="backup-schedule-state">
      <dt>Last backup</dt>
      <dd data-testid="last-backup">
        {status.lastBackupAt ? (
          <>
            {formatDateTime(status.lastBackupAt)}{' '}
            <span className={styles.mono}>{status.lastBackupFile}</span>
          </>
        ) : (
          'None yet in this folder'
        )}
      </dd>
      <dt>Next backup</dt>
      <dd data-testid="next-backup">
        {status.nextBackupAt ? formatDateTime(status.nextBackupAt) : '…'}
        {status.nextBackupAt && ' (while the vault is open)'}
      </dd>
    </dl>
  )
}
