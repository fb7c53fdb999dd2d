import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'

/**
 * A file being written: its content goes to a hidden temporary file beside the target, which
 * only takes the target's name once it is complete and on disk. A crash, Ctrl-C or kill -9 at
 * any moment leaves either nothing under the target's name (or the old file) or the whole new
 * content: never an empty or cut file that looks finished.
 */
export interface StagedFile {
  /** The hidden temporary file (removed by `commit` and `discard`). */
  readonly temp: string
  /**
   * Writes `content`, flushes it, and gives it the target's name: with `replace`, atomically over
   * whatever is there (a symlink there is replaced, never followed); without, only if nothing
   * is there (EEXIST otherwise: a dangling symlink counts as something). Flushes the folder so
   * the new name survives a power cut too.
   */
  commit(content: Uint8Array | string, options?: { replace?: boolean; to?: string }): string
  /** Gives up: the temporary file is removed; the target is untouched. */
  discard(): void
}

/**
 * Creates the temporary file for `path` now (0600 by default), so that a folder that does not
 * exist or cannot be written to fails before any work is done.
 */
export function stageFile(path: string, mode = 0o600): StagedFile {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  let fd: number | undefined = openSync(temp, 'wx', mode)
  const close = () => {
    if (fd !== undefined) closeSync(fd)
    fd = undefined
  }
  return {
    temp,
    commit(content, options = {}) {
      const target = options.to ?? path
      try {
        if (fd === undefined)
          throw new Error('This staged file was already committed or discarded.')
        writeFileSync(fd, content)
        fsyncSync(fd)
        close()
        if (options.replace) renameSync(temp, target)
        else {
          // link() refuses an existing name, symlinks included, and never follows one.
          linkSync(temp, target)
          unlinkSync(temp)
        }
      } catch (error) {
        close()
        rmSync(temp, { force: true })
        throw error
      }
      syncFolder(dirname(target))
      return target
    },
    discard() {
      close()
      rmSync(temp, { force: true })
    },
  }
}

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content: write a
 * sibling temp file, flush it, then rename over the target (atomic on one filesystem).
 */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  stageFile(path, mode).commit(content, { replace: true })
}

/** fsync on a folder makes a rename or link in it durable; some platforms cannot, and need not. */
export function syncFolder(folder: string): void {
  let fd: number | undefined
  try {
    fd = openSync(folder, 'r')
    fsyncSync(fd)
  } catch {
    // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
