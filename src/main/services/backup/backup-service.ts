import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { basename } from 'node:path'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { BackupRestoreResult } from '../../../shared/backup'
import { openDatabase, LATEST_SCHEMA_VERSION } from '../../db/database'
import { checkDatabaseFile, checkpointDatabase, snapshotDatabase } from '../../db/database-file'
import { stageFile } from '../../fs/atomic-write'
import { ensurePrivateFolder } from '../../fs/private-folder'
import type { Logger } from '../../log'
import { generateKey, unwrapKey, wrapKey, WrongKeyError } from '../../security/envelope'
import { parseRecoveryKey } from '../../security/recovery-key'
import type { AuditService } from '../audit/audit-service'
import { KeySlotStore } from '../vault/key-slots'
import { slotPurpose } from '../vault/unlock-methods'
import type { Vault } from '../vault/vault'
import type { VaultLifecycle } from '../vault/vault-lifecycle'
import {
  BACKUP_FORMAT,
  encodeBackup,
  fileKeyPurpose,
  NOTHING_CHANGED,
  parseBackup,
  type BackupHeader,
} from './backup-file'
import { backupFileName } from './backup-names'
import { cleanStaleTemporaryFiles, temporaryFile } from './temporary-files'
import { swapInRestored } from './vault-swap'
import { readableTime } from '../../../shared/wording'

export interface BackupServiceOptions {
  dataDir: string
  appVersion: string
  vault: Vault
  vaultLifecycle: Pick<VaultLifecycle, 'unlock'>
  audit: Pick<AuditService, 'record' | 'recordFailure'>
  log: Logger
  nativeBinding?: string
  now?: () => Date
}

export interface MadeBackup {
  /** The suggested name, `bridgekeep-YYYYMMDD-HHMMSS.bkbackup` (UTC). */
  filename: string
  bytes: Buffer
}

export interface RestoreRequest {
  /** The backup file's bytes. */
  data: Buffer
  /** Names the file in messages ("the file x.bkbackup"); "this file" when left out. */
  source?: string
  /** The recovery key, or how to ask for it once the file is known to be a backup. */
  recoveryKey: string | (() => Promise<string>)
  /** Replace the vault there is (otherwise VAULT_EXISTS, and nothing changes). */
  replaceExisting: boolean
  /** Who asked, for the unlock's audit entry. */
  from?: 'app' | 'cli'
}

/**
 * Encrypted backups of the whole vault, and restoring one (`backup-file.ts` has the format).
 * Making a backup needs the vault unlocked (the file key is wrapped by the data key); restoring
 * needs only the backup and its recovery key. Each is audited here, failures too: the file's
 * name, never a key.
 */
export class BackupService {
  private readonly now: () => Date

  constructor(private readonly options: BackupServiceOptions) {
    this.now = options.now ?? (() => new Date())
  }

  /**
   * A backup of the vault as it is now. `deliver` puts it where it goes (a file, the page's
   * download) and returns the path it was written to, if any; the backup is recorded only once
   * delivered. A failure, delivering included, is recorded as such and thrown.
   */
  async create(
    deliver: (made: MadeBackup) => Promise<string | undefined> = async () => undefined,
  ): Promise<MadeBackup & { path?: string }> {
    let name: string | undefined
    try {
      const made = await this.make()
      const path = await deliver(made)
      name = basename(path ?? made.filename)
      this.options.audit.record({
        action: 'backup.created',
        target: { type: 'vault', id: this.options.vault.vaultId() },
        detail: path ? `Wrote ${name}` : `Made ${name} for download`,
      })
      this.options.log.info('backup.created', { bytes: made.bytes.length })
      return { ...made, ...(path ? { path } : {}) }
    } catch (error) {
      this.options.audit.recordFailure(
        { action: 'backup.created', detail: name ? `Writing ${name}` : 'Making a backup' },
        error,
      )
      throw error
    }
  }

  /**
   * A backup written to `path`: never over an existing file (BACKUP_EXISTS names it), 0600, and
   * given its name only once complete and flushed, so a crash or kill -9 at any moment leaves
   * no partial file under that name (only a hidden `.name.*.tmp` beside it).
   */
  createFile(path: string): Promise<MadeBackup & { path?: string }> {
    return this.create(async (made) => {
      if (existsSync(path)) throw alreadyThere(path)
      const staged = stageFile(path)
      try {
        return staged.commit(made.bytes)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyThere(path)
        throw error
      }
    })
  }

  /** Reads a backup's header: BACKUP_FOREIGN, _DAMAGED or _TOO_NEW when it cannot be restored. */
  inspect(data: Buffer, source = 'this file'): BackupHeader {
    return parseBackup(data, source, LATEST_SCHEMA_VERSION).header
  }

  /**
   * Restores a backup as the vault. Refused with nothing changed when the file is not a backup,
   * is damaged, is from a newer Bridgekeep, the recovery key does not open it, or a vault is
   * there and `replaceExisting` is not set. Replacing: the current vault is moved aside, the
   * restored one put in its place and unlocked with the recovery key through the normal
   * lifecycle (which gives this machine a keychain item of its own); only then is the old vault
   * removed, and on any failure it is put back.
   */
  async restore(request: RestoreRequest): Promise<BackupRestoreResult> {
    try {
      return await this.restoreOrRefuse(request)
    } catch (error) {
      // Refusals too (not a backup, a vault already there, a wrong recovery key): someone
      // trying backups against this vault shows in its audit trail.
      this.options.audit.recordFailure({ action: 'backup.restored', detail: 'Restoring' }, error)
      throw error
    }
  }

  private async restoreOrRefuse(request: RestoreRequest): Promise<BackupRestoreResult> {
    const { vault, dataDir } = this.options
    const source = request.source ?? 'this file'
    const backup = parseBackup(request.data, source, LATEST_SCHEMA_VERSION)
    const { header } = backup
    const replacing = this.vaultIsThere()
    if (replacing && !request.replaceExisting) {
      throw new BridgekeepError(
        'VAULT_EXISTS',
        `A vault already exists in ${dataDir}. ${NOTHING_CHANGED}`,
        'To replace it with the backup, restore again allowing it (bridgekeep backup restore --force, or Replace the current vault in the app). The current vault is removed only once the restored one has opened.',
      )
    }
    const recoveryKey =
      typeof request.recoveryKey === 'string' ? request.recoveryKey : await request.recoveryKey()
    const database = backup.open(this.fileKey(header, recoveryKey))

    ensurePrivateFolder(dataDir)
    cleanStaleTemporaryFiles(dataDir, this.now())
    const restored = temporaryFile(dataDir, 'restore')
    try {
      writePrivate(restored, database)
      database.fill(0)
      this.checkRestored(restored, header, source)
      // The vault's own connection is closed (its log folded into the file first) before its
      // files move: an open connection would go on using the file set aside. That includes the
      // empty database a first start opens before any vault is created.
      if (existsSync(vault.path)) this.closeVault()
      const aside = swapInRestored(vault.path, restored)
      try {
        await this.options.vaultLifecycle.unlock(
          { method: 'recovery', recoveryKey },
          { from: request.from ?? 'app' },
        )
        this.options.audit.record({
          action: 'backup.restored',
          target: { type: 'vault', id: header.vaultId },
          detail: `From a backup made ${header.createdAt} by Bridgekeep ${header.appVersion}${replacing ? ', replacing the vault there was' : ''}`,
        })
      } catch (error) {
        vault.close()
        aside.putBack()
        throw error
      }
      aside.discard()
    } finally {
      rmSync(restored, { force: true })
      for (const suffix of ['-wal', '-shm', '-journal'])
        rmSync(`${restored}${suffix}`, { force: true })
    }
    this.options.log.info('backup.restored', { replaced: replacing })
    return {
      vaultId: header.vaultId,
      backupCreatedAt: header.createdAt,
      replacedExisting: replacing,
    }
  }

  /** Snapshot, then encryption under a fresh file key. VAULT_LOCKED while locked. */
  private async make(): Promise<MadeBackup> {
    const { vault, dataDir } = this.options
    const dataKey = vault.requireKey()
    const db = vault.database()
    const vaultId = vault.vaultId()
    const recovery = new KeySlotStore(db).get('recovery')
    if (!recovery)
      throw new BridgekeepError(
        'VAULT_INTEGRITY',
        'The vault has no recovery key slot, so a backup of it could never be restored.',
        'Re-encrypt the vault (Settings, or a new recovery key) and back it up then.',
      )
    const createdAt = this.now()
    cleanStaleTemporaryFiles(dataDir, createdAt)
    const snapshot = temporaryFile(dataDir, 'backup')
    let database: Buffer
    try {
      closeSync(openSync(snapshot, 'wx', 0o600))
      await snapshotDatabase(db, snapshot)
      database = readFileSync(snapshot)
    } finally {
      rmSync(snapshot, { force: true })
      rmSync(`${snapshot}-journal`, { force: true })
    }
    const fileKey = generateKey()
    try {
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        vaultId,
        createdAt: createdAt.toISOString(),
        appVersion: this.options.appVersion,
        schemaVersion: LATEST_SCHEMA_VERSION,
        recoverySlot: recovery.wrappedKey.toString('base64'),
        fileKey: wrapKey(dataKey, fileKey, fileKeyPurpose(vaultId)).toString('base64'),
      }
      return { filename: backupFileName(createdAt), bytes: encodeBackup(header, fileKey, database) }
    } finally {
      fileKey.fill(0)
      database.fill(0)
    }
  }

  /** recovery key -> data key (the header's recovery slot) -> file key. */
  private fileKey(header: BackupHeader, recoveryKey: string): Buffer {
    const key = parseRecoveryKey(recoveryKey)
    let dataKey: Buffer
    try {
      dataKey = unwrapKey(
        key,
        Buffer.from(header.recoverySlot, 'base64'),
        slotPurpose('recovery', header.vaultId),
      )
    } catch (error) {
      if (!(error instanceof WrongKeyError)) throw error
      throw new BridgekeepError(
        'WRONG_RECOVERY_KEY',
        'That recovery key does not open this backup.',
        `A backup opens with the recovery key that was current when it was made (${readableTime(header.createdAt)}): if the vault was re-encrypted since, use the recovery key from before. ${NOTHING_CHANGED}`,
      )
    } finally {
      key.fill(0)
    }
    try {
      return unwrapKey(
        dataKey,
        Buffer.from(header.fileKey, 'base64'),
        fileKeyPurpose(header.vaultId),
      )
    } catch {
      throw new BridgekeepError(
        'BACKUP_DAMAGED',
        "The backup's file key does not open with its vault's key: the backup was altered.",
        `Use another copy of the backup. ${NOTHING_CHANGED}`,
      )
    } finally {
      dataKey.fill(0)
    }
  }

  /**
   * The decrypted database, before it replaces anything: a sound SQLite file, of a schema this
   * version knows (an older one is migrated forward here), of the vault and recovery slot the
   * header names.
   */
  private checkRestored(path: string, header: BackupHeader, source: string): void {
    const damaged = (why: string) =>
      new BridgekeepError(
        'BACKUP_DAMAGED',
        `The vault inside ${source} is damaged: ${why}.`,
        `Use another backup. ${NOTHING_CHANGED}`,
      )
    let check: ReturnType<typeof checkDatabaseFile>
    try {
      check = checkDatabaseFile(path, this.options.nativeBinding)
    } catch {
      throw damaged('it is not a database')
    }
    if (check.problems.length > 0) throw damaged(check.problems.slice(0, 3).join('; '))
    if (check.schemaVersion > LATEST_SCHEMA_VERSION)
      throw new BridgekeepError(
        'BACKUP_TOO_NEW',
        `The vault inside ${source} was written by a newer version of Bridgekeep (schema ${check.schemaVersion}).`,
        `Update Bridgekeep to restore it. ${NOTHING_CHANGED}`,
      )
    const db = openDatabase(path, { nativeBinding: this.options.nativeBinding })
    try {
      const slots = new KeySlotStore(db)
      if (slots.vaultId() !== header.vaultId) throw damaged('it is not the vault its header names')
      const recovery = slots.get('recovery')
      if (recovery?.wrappedKey.toString('base64') !== header.recoverySlot)
        throw damaged("its recovery key slot is not the one in the backup's header")
    } finally {
      db.close()
    }
  }

  /** A vault file is there: one that holds a vault, or one that cannot even be opened. */
  private vaultIsThere(): boolean {
    if (!existsSync(this.options.vault.path)) return false
    try {
      return this.options.vault.exists()
    } catch {
      return true
    }
  }

  private closeVault(): void {
    const { vault } = this.options
    try {
      checkpointDatabase(vault.database())
    } catch (error) {
      // A damaged vault (the reason to restore) may not checkpoint: it is replaced whole anyway.
      this.options.log.warn('backup.checkpoint-failed', {
        code: isBridgekeepError(error) ? error.code : 'INTERNAL',
      })
    }
    vault.close()
  }
}

function alreadyThere(path: string): BridgekeepError {
  return new BridgekeepError(
    'CONFLICT',
    `${path} already exists. No backup was written.`,
    'Choose a new file name: a backup never overwrites a file.',
  )
}

/** A new 0600 file with `content`, flushed. */
function writePrivate(path: string, content: Buffer): void {
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeFileSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
