import { randomBytes } from 'node:crypto'
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The plaintext database a backup is made from, and the one a restore decrypts, live for a
 * moment as hidden 0600 files in the 0700 data folder, and are removed when the work ends. A
 * process killed in the middle leaves one behind: the next backup or restore removes those that
 * no process has touched for an hour (a younger one may be another process's work in progress).
 */
export function temporaryFile(dataDir: string, kind: 'backup' | 'restore'): string {
  return join(dataDir, `.${kind}-${randomBytes(6).toString('hex')}.tmp`)
}

const TEMPORARY = /^\.(backup|restore)-[0-9a-f]{12}\.tmp(-journal|-wal|-shm)?$/
const STALE_MS = 60 * 60 * 1000

export function cleanStaleTemporaryFiles(dataDir: string, now: Date): void {
  let names: string[]
  try {
    names = readdirSync(dataDir)
  } catch {
    return
  }
  for (const name of names) {
    if (!TEMPORARY.test(name)) continue
    const path = join(dataDir, name)
    try {
      if (now.getTime() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true })
    } catch {
      // Removed by its own process meanwhile.
    }
  }
}
