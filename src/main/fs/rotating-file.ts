import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { dirname } from 'node:path'

export interface RotatingFileOptions {
  /** The file is rotated before a write would take it past this size (1 MiB). */
  maxBytes?: number
  /** Rotated files kept beside it: <file>.1 (the newest) … <file>.<keep> (3). */
  keep?: number
}

export const DEFAULT_MAX_BYTES = 1024 * 1024
export const DEFAULT_KEEP = 3

/**
 * An append-only log file in the data folder, rotated by size: the app's log (logs/app.log) and
 * the runner's (logs/runner.log). The folder is created 0700 and the file 0600 (an existing file
 * others could read is tightened), and rotated files keep that mode. Writes are synchronous, so a
 * line written just before a crash is on disk; a write that fails (a full disk) is dropped rather
 * than taking its caller down.
 */
export class RotatingFile {
  private bytes: number | undefined
  private readonly maxBytes: number
  private readonly keep: number

  constructor(
    readonly path: string,
    options: RotatingFileOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
    this.keep = options.keep ?? DEFAULT_KEEP
  }

  /** Appends `text` (whole lines). Returns whether it was written. */
  append(text: string): boolean {
    const size = Buffer.byteLength(text)
    try {
      if (this.bytes === undefined) this.bytes = this.open()
      if (this.bytes > 0 && this.bytes + size > this.maxBytes) this.rotate()
      appendFileSync(this.path, text, { mode: 0o600 })
      this.bytes += size
      return true
    } catch {
      // Size unknown after a failure: measured again on the next write.
      this.bytes = undefined
      return false
    }
  }

  /** Creates the folder, tightens an existing file, and returns its size. */
  private open(): number {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 })
    if (!existsSync(this.path)) return 0
    const stat = statSync(this.path)
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) chmodSync(this.path, 0o600)
    return stat.size
  }

  private rotate(): void {
    rmSync(`${this.path}.${this.keep}`, { force: true })
    for (let index = this.keep - 1; index >= 1; index--) {
      if (existsSync(`${this.path}.${index}`))
        renameSync(`${this.path}.${index}`, `${this.path}.${index + 1}`)
    }
    if (existsSync(this.path)) renameSync(this.path, `${this.path}.1`)
    this.bytes = 0
  }
}
