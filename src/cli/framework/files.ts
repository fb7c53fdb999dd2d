import { lstatSync } from 'node:fs'
import { extname } from 'node:path'
import { BridgekeepError } from '../../shared/errors'
import { stageFile, type StagedFile } from '../../main/fs/atomic-write'

/**
 * How the CLI writes a file a user asked for (shares, runner credentials, audit exports): 0600,
 * content staged in a hidden temporary file beside it and given its name only once complete and
 * flushed, never over an existing file unless asked (`replace`, atomically, never through a
 * symlink). An interrupted command (Ctrl-C, SIGTERM, SIGHUP) removes its temporary files; after a
 * kill -9 only a hidden `.name.*.tmp` is left, never a file that looks finished.
 *
 * `claimOutput` is called before the work that fills the file: what the CLI writes may hold
 * secrets, an old file of that name may matter, and work whose output cannot be written should
 * not happen at all.
 */
export function claimOutput(
  path: string,
  nothingDone: string,
  options: { replace?: boolean } = {},
): ClaimedFile {
  if (isFolder(path))
    throw new BridgekeepError(
      'VALIDATION',
      `${path} is a folder. ${nothingDone}`,
      'Give a file name with --output, e.g. a name inside that folder.',
    )
  if (!options.replace && exists(path)) throw alreadyThere(path, nothingDone)
  let guarded: ReturnType<typeof stageGuarded>
  try {
    guarded = stageGuarded(path)
  } catch (error) {
    throw cannotCreate(path, error, nothingDone)
  }
  const { staged, forget } = guarded
  return {
    async write(content) {
      try {
        await afterPendingSignals()
        return staged.commit(content, { replace: options.replace === true })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          throw alreadyThere(path, nothingDone)
        throw cannotCreate(path, error, nothingDone)
      } finally {
        forget()
      }
    },
    abandon() {
      staged.discard()
      forget()
    },
  }
}

export interface ClaimedFile {
  /** Writes the content and gives the file its name; returns the path. */
  write(content: Uint8Array | string): Promise<string>
  /** The work failed: the temporary file goes, the target is untouched. */
  abandon(): void
}

/**
 * Runs `work` with `path` claimed first (when there is one; see claimOutput), and abandons the
 * claim when the work fails. The work is handed the claim, so it can write the file itself
 * before it records anything (a share is recorded as sent only once its file exists).
 */
export async function whileClaimed<T>(
  path: string | undefined,
  nothingDone: string,
  work: (claimed: ClaimedFile | undefined) => Promise<T>,
  options: { replace?: boolean } = {},
): Promise<{ result: T; claimed: ClaimedFile | undefined }> {
  const claimed = path === undefined ? undefined : claimOutput(path, nothingDone, options)
  try {
    return { result: await work(claimed), claimed }
  } catch (error) {
    claimed?.abandon()
    throw error
  }
}

/** The suggested name, or name-2, name-3... when a file of that name is already there. */
export async function writeFresh(path: string, content: Uint8Array | string): Promise<string> {
  const extension = extname(path)
  const stem = path.slice(0, path.length - extension.length)
  const { staged, forget } = stageGuarded(path)
  try {
    await afterPendingSignals()
    for (let attempt = 1; ; attempt += 1) {
      const candidate = attempt === 1 ? path : `${stem}-${attempt}${extension}`
      if (exists(candidate) && attempt < 100) continue
      try {
        return staged.commit(content, { to: candidate })
      } catch (error) {
        // Taken between the check and the link: the staged file is gone with the failed commit.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error
        return await writeFresh(path, content)
      }
    }
  } finally {
    forget()
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory()
  } catch {
    return false
  }
}

function alreadyThere(path: string, nothingDone: string): BridgekeepError {
  return new BridgekeepError(
    'CONFLICT',
    `${path} already exists. ${nothingDone}`,
    'Choose another file with --output, move the old one away, or replace it with --force where the command offers it.',
  )
}

function cannotCreate(path: string, error: unknown, nothingDone: string): BridgekeepError {
  const code = (error as NodeJS.ErrnoException).code
  const why =
    code === 'ENOENT'
      ? 'its folder does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'you may not write to its folder'
        : code === 'ENOTDIR'
          ? 'part of the path is a file, not a folder'
          : code === 'EISDIR'
            ? 'it is a folder'
            : code === 'ENOSPC'
              ? 'the disk is full'
              : `${code ?? 'error'}`
  return new BridgekeepError(
    'VALIDATION',
    `Cannot create ${path}: ${why}. ${nothingDone}`,
    'Choose a file in a folder you can write to with --output.',
  )
}

/** Temporary files of commands still writing, removed if a signal ends the command. */
const pending = new Set<StagedFile>()
let guards = 0
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Stages `path` (see stageFile) with the signal handlers in place first: while no handler is
 * registered a signal kills the process outright, so a temporary file made before them could be
 * left behind. `forget` is called once the file is committed or discarded.
 */
function stageGuarded(path: string): { staged: StagedFile; forget: () => void } {
  if (guards++ === 0) {
    for (const signal of SIGNALS) process.on(signal, onSignal)
    process.on('exit', discardPending)
  }
  const release = () => {
    if (--guards > 0) return
    for (const signal of SIGNALS) process.removeListener(signal, onSignal)
    process.removeListener('exit', discardPending)
  }
  let staged: StagedFile
  try {
    staged = stageFile(path)
  } catch (error) {
    release()
    throw error
  }
  pending.add(staged)
  let forgotten = false
  return {
    staged,
    forget: () => {
      if (forgotten) return
      forgotten = true
      pending.delete(staged)
      release()
    },
  }
}

function discardPending(): void {
  for (const staged of pending) staged.discard()
  pending.clear()
}

/**
 * Lets a signal that arrived during synchronous work (the passphrase KDF, encryption) reach
 * onSignal before a file is given its name. Node handles a signal in the event loop's poll phase;
 * one setImmediate can still run before the next poll, a second one cannot. Without this, the
 * handlers were removed once the file was committed and the caught signal was dropped: a command
 * stopped with Ctrl-C went on to finish.
 */
function afterPendingSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)))
}

/** Removes the temporary files, then dies of the signal as the command would have without us. */
function onSignal(signal: NodeJS.Signals): void {
  discardPending()
  guards = 0
  for (const name of SIGNALS) process.removeListener(name, onSignal)
  process.removeListener('exit', discardPending)
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}
