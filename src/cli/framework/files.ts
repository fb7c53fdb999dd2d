import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { extname } from 'node:path'
import { BridgekeepError } from '../../shared/errors'

/**
 * Creates `path` 0600 if it does not exist yet, before the work that fills it: what the CLI writes
 * (shares, runner credentials) holds secrets, an old file of that name may matter, and work whose
 * output cannot be written should not happen at all.
 */
export function claimFile(path: string, nothingDone: string) {
  let fd: number
  try {
    fd = openSync(path, 'wx', 0o600)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new BridgekeepError(
      code === 'EEXIST' ? 'CONFLICT' : 'VALIDATION',
      code === 'EEXIST'
        ? `${path} already exists. ${nothingDone}`
        : `Cannot create ${path} (${code ?? 'error'}). ${nothingDone}`,
      code === 'EEXIST'
        ? 'Choose another file with --output, or move the old one away.'
        : 'Choose a folder you can write to with --output.',
    )
  }
  return {
    write(content: Uint8Array | string): string {
      writeFileSync(fd, content)
      closeSync(fd)
      return path
    },
    abandon(): void {
      closeSync(fd)
      rmSync(path, { force: true })
    },
  }
}

export type ClaimedFile = ReturnType<typeof claimFile>

/**
 * Runs `work` with `path` claimed first (when there is one; see claimFile), and removes the
 * claimed file again when the work fails. The caller writes the work's output to `claimed`.
 */
export async function whileClaimed<T>(
  path: string | undefined,
  nothingDone: string,
  work: () => Promise<T>,
): Promise<{ result: T; claimed: ClaimedFile | undefined }> {
  const claimed = path === undefined ? undefined : claimFile(path, nothingDone)
  try {
    return { result: await work(), claimed }
  } catch (error) {
    claimed?.abandon()
    throw error
  }
}

/** The suggested name, or name-2, name-3... when a file of that name is already there. */
export function writeFresh(path: string, content: Uint8Array | string): string {
  const extension = extname(path)
  const stem = path.slice(0, path.length - extension.length)
  for (let attempt = 1; ; attempt += 1) {
    const candidate = attempt === 1 ? path : `${stem}-${attempt}${extension}`
    try {
      writeFileSync(candidate, content, { mode: 0o600, flag: 'wx' })
      return candidate
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error
    }
  }
}
