import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content: write a
 * sibling temp file, flush it, then rename over the target (atomic on one filesystem).
 */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  const fd = openSync(temp, 'wx', mode)
  try {
    writeSync(fd, content)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, { force: true })
    throw error
  }
  closeSync(fd)
  try {
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}
