import { createHash } from 'node:crypto'
import { z } from 'zod'
import { BridgekeepError } from '../../../shared/errors'
import { parseJson } from '../../../shared/parse-untrusted-json'
import { openBlob, sealBlob } from '../../security/envelope'

/**
 * A vault backup file (`.bkbackup`): the whole SQLite database, encrypted, with what is needed to
 * open it from the recovery key alone.
 *
 *   BRIDGEKEEP VAULT BACKUP\n             magic line: what the file is
 *   {"format":1,...}\n                    header (JSON, one line, at most 8 KiB)
 *   sha256:<hex of the header line>\n     so a damaged header reads as damaged, not as a wrong key
 *   <sealed database>                     AES-256-GCM under a random file key (envelope's blob
 *                                         layout), every byte above bound as associated data
 *
 * The header names the vault, when and by which version the backup was made and the database's
 * schema version, and carries two wrapped keys: the vault's recovery slot (the data key wrapped
 * by the recovery key, exactly as the vault stores it) and the file key wrapped by the data key.
 * Restoring needs only the recovery key: it unwraps the data key from the recovery slot, the
 * data key unwraps the file key, the file key opens the database. So a backup opens with the
 * recovery key that was current when it was made: re-encrypting the vault later (a new recovery
 * key) does not change what opens an older backup.
 */

export const BACKUP_MAGIC = 'BRIDGEKEEP VAULT BACKUP\n'
export const BACKUP_FORMAT = 1
export const BACKUP_EXTENSION = '.bkbackup'
const HEADER_MAX_BYTES = 8 * 1024
const CHECKSUM_PREFIX = 'sha256:'
const CHECKSUM_LINE_BYTES = CHECKSUM_PREFIX.length + 64 + 1

const base64Key = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9+/]+=*$/)

export const backupHeaderSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    vaultId: z.string().min(1).max(100),
    createdAt: z.iso.datetime({ offset: true }),
    appVersion: z.string().min(1).max(50),
    schemaVersion: z.number().int().min(1),
    /** The vault's recovery slot: the data key wrapped by the recovery key. */
    recoverySlot: base64Key,
    /** The file key wrapped by the data key (purpose `fileKeyPurpose(vaultId)`). */
    fileKey: base64Key,
  })
  .strict()
export type BackupHeader = z.infer<typeof backupHeaderSchema>

/** The wrap purpose of a backup's file key: it opens this vault's backups and nothing else. */
export function fileKeyPurpose(vaultId: string): string {
  return `bridgekeep:backup-file:${vaultId}`
}

/** The whole file: the header lines, then the database sealed under `fileKey`. */
export function encodeBackup(header: BackupHeader, fileKey: Buffer, database: Buffer): Buffer {
  const prefix = headerBytes(header)
  return Buffer.concat([prefix, sealBlob(fileKey, database, prefix)])
}

export interface ParsedBackup {
  header: BackupHeader
  /** Opens the database with the unwrapped file key; BACKUP_DAMAGED when it does not open. */
  open(fileKey: Buffer): Buffer
}

/**
 * Reads a backup's header, refusing with its own code what is not a backup (BACKUP_FOREIGN), a
 * damaged or cut one (BACKUP_DAMAGED) and one from a newer Bridgekeep (BACKUP_TOO_NEW).
 * `source` names the file in messages ("the file x.bkbackup"), or "this file" when it has no name.
 */
export function parseBackup(data: Buffer, source: string, latestSchema: number): ParsedBackup {
  const magic = Buffer.from(BACKUP_MAGIC)
  if (data.length < magic.length || !data.subarray(0, magic.length).equals(magic)) {
    throw new BridgekeepError(
      'BACKUP_FOREIGN',
      `${capitalize(source)} is not a Bridgekeep backup.`,
      `Choose a ${BACKUP_EXTENSION} file made by Bridgekeep (bridgekeep backup create, or the app's Backups). ${NOTHING_CHANGED}`,
    )
  }
  const headerEnd = data.indexOf(0x0a, magic.length)
  if (headerEnd < 0 || headerEnd - magic.length > HEADER_MAX_BYTES)
    throw damaged(source, 'its header is cut off or too long')
  const checksumEnd = headerEnd + 1 + CHECKSUM_LINE_BYTES
  const checksumLine = data.subarray(headerEnd + 1, checksumEnd).toString('latin1')
  const headerLine = data.subarray(magic.length, headerEnd)
  if (checksumLine !== `${CHECKSUM_PREFIX}${sha256(headerLine)}\n`)
    throw damaged(source, 'its header does not match its checksum')
  let json: unknown
  try {
    json = parseJson(headerLine.toString('utf8'))
  } catch {
    throw damaged(source, 'its header is not valid JSON')
  }
  const format = z.object({ format: z.number() }).safeParse(json)
  if (format.success && format.data.format > BACKUP_FORMAT)
    throw tooNew(
      source,
      `backup format ${format.data.format}; this version reads format ${BACKUP_FORMAT}`,
    )
  const parsed = backupHeaderSchema.safeParse(json)
  if (!parsed.success) throw damaged(source, 'its header is not a backup header this version knows')
  const header = parsed.data
  if (header.schemaVersion > latestSchema)
    throw tooNew(source, `schema ${header.schemaVersion}; this version knows up to ${latestSchema}`)
  const prefix = data.subarray(0, checksumEnd)
  const sealed = data.subarray(checksumEnd)
  return {
    header,
    open(fileKey) {
      const database = openBlob(fileKey, sealed, prefix)
      if (!database)
        throw damaged(source, 'its contents fail their integrity check (cut short or altered)')
      return database
    },
  }
}

export const NOTHING_CHANGED = 'Nothing was changed.'

function headerBytes(header: BackupHeader): Buffer {
  const line = Buffer.from(JSON.stringify(backupHeaderSchema.parse(header)), 'utf8')
  return Buffer.concat([
    Buffer.from(BACKUP_MAGIC),
    line,
    Buffer.from(`\n${CHECKSUM_PREFIX}${sha256(line)}\n`),
  ])
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function damaged(source: string, why: string): BridgekeepError {
  return new BridgekeepError(
    'BACKUP_DAMAGED',
    `${capitalize(source)} is a damaged Bridgekeep backup: ${why}.`,
    `Use another copy of the backup. ${NOTHING_CHANGED}`,
  )
}

function tooNew(source: string, why: string): BridgekeepError {
  return new BridgekeepError(
    'BACKUP_TOO_NEW',
    `${capitalize(source)} was made by a newer version of Bridgekeep (${why}).`,
    `Update Bridgekeep to restore it. ${NOTHING_CHANGED}`,
  )
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
