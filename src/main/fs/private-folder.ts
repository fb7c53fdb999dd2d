import { chmodSync, lstatSync, mkdirSync, statSync } from 'node:fs'
import { BridgekeepError } from '../../shared/errors'

/**
 * Makes sure `path` is a folder only its owner can read: created 0700, or an existing one that
 * others could read (0755, as a pre-made BRIDGEKEEP_HOME under umask 022 is) tightened to 0700.
 * A folder others can write to, or one of another user, is refused rather than changed: it is
 * shared (like /tmp) and not Bridgekeep's to take over. The vault's names, hosts, audit trail and
 * wrapped keys live here; a readable folder would let anyone on the machine copy them for
 * offline guessing of a passphrase. Windows folders are private to the user by their ACLs.
 */
export function ensurePrivateFolder(path: string, platform = process.platform): void {
  const fix = `Keep Bridgekeep's data in a folder of its own (set BRIDGEKEEP_HOME), or run: chmod 700 '${path}'`
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new BridgekeepError(
      'VALIDATION',
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `The data folder ${path} is not a folder.`
        : `The data folder ${path} cannot be created (${code ?? 'error'}).`,
      "Keep Bridgekeep's data in a folder you can write to (set BRIDGEKEEP_HOME).",
    )
  }
  if (platform === 'win32') return
  // A symlinked data folder is fine: its target is what must be private.
  const stat = statSync(path)
  if (!stat.isDirectory())
    throw new BridgekeepError('VALIDATION', `The data folder ${path} is not a folder.`, fix)
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid())
    throw new BridgekeepError(
      'VALIDATION',
      `The data folder ${path} belongs to another user.`,
      "Keep Bridgekeep's data in a folder of your own (set BRIDGEKEEP_HOME).",
    )
  if ((stat.mode & 0o022) !== 0 || (stat.mode & 0o1000) !== 0)
    throw new BridgekeepError(
      'VALIDATION',
      `The data folder ${path} can be written to by other users (mode ${octal(stat.mode)}).`,
      fix,
    )
  if ((stat.mode & 0o077) !== 0) {
    try {
      chmodSync(path, 0o700)
    } catch {
      throw new BridgekeepError(
        'VALIDATION',
        `The data folder ${path} can be read by other users (mode ${octal(stat.mode)}), and Bridgekeep cannot change that.`,
        fix,
      )
    }
  }
}

/** Tightens an existing file to 0600 (the vault's database and its -wal and -shm files). */
export function ensurePrivateFile(path: string, platform = process.platform): void {
  if (platform === 'win32') return
  let mode: number
  try {
    mode = lstatSync(path).mode
  } catch {
    return // not there (yet): created 0600 by whoever makes it
  }
  if ((mode & 0o077) !== 0) chmodSync(path, 0o600)
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0')
}
