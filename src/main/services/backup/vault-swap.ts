import { randomBytes } from 'node:crypto'
import { existsSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { syncFolder } from '../../fs/atomic-write'

/** The vault's files: the database and SQLite's write-ahead log and shared-memory index. */
function vaultFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`]
}

/**
 * The current vault, moved aside while a restored one takes its place. The restored file is
 * renamed into place (atomic on one filesystem); the old files keep their inode under a hidden
 * name beside it until `discard` (the restored vault opened) or `putBack` (it did not).
 */
export interface SetAside {
  /** The restored vault opened: the old files go. */
  discard(): void
  /** The restored vault failed: it goes, and the old files get their names back. */
  putBack(): void
}

/**
 * Moves whatever vault files are at `path` aside and renames `restored` to `path`. The caller
 * has closed (and checkpointed) every connection to the old vault in this process.
 */
export function swapInRestored(path: string, restored: string): SetAside {
  const tag = randomBytes(4).toString('hex')
  const moved: [from: string, to: string][] = []
  try {
    for (const file of vaultFiles(path)) {
      if (!existsSync(file)) continue
      const aside = `${file}.replaced-${tag}`
      renameSync(file, aside)
      moved.push([file, aside])
    }
    renameSync(restored, path)
    syncFolder(dirname(path))
  } catch (error) {
    restore(moved)
    throw error
  }
  return {
    discard() {
      for (const [, aside] of moved) rmSync(aside, { force: true })
      syncFolder(dirname(path))
    },
    putBack() {
      for (const file of vaultFiles(path)) rmSync(file, { force: true })
      restore(moved)
      syncFolder(dirname(path))
    },
  }
}

function restore(moved: [string, string][]): void {
  for (const [file, aside] of moved) renameSync(aside, file)
}
