import { randomBytes } from 'node:crypto'
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { delimiter as posixDelimiter, dirname, join, resolve, win32 } from 'node:path'
import type { CommandLineToolStatus } from '../../shared/ipc/features/command-line'
import { BridgekeepError } from '../../shared/errors'

/** Everything the command-line tool's place depends on, so that tests can point it at temp folders. */
export interface ToolPlaces {
  /** The packaged executable (`<resources>/cli/bridgekeep`); undefined in a source checkout. */
  executable: string | undefined
  platform: NodeJS.Platform
  home: string
  /** PATH as this process sees it. */
  pathVariable: string
  /** The system-wide folder used when this user may write to it (/usr/local/bin). */
  systemBin: string
}

/** In the packaged app the executable sits in its resources; a source checkout has none. */
export function packagedExecutable(
  resourcesPath: string,
  packaged: boolean,
  platform: NodeJS.Platform,
): string | undefined {
  if (!packaged) return undefined
  return join(resourcesPath, 'cli', platform === 'win32' ? 'bridgekeep.exe' : 'bridgekeep')
}

/**
 * Whether `bridgekeep` leads to the app's executable, as editors install their command: a symlink
 * in /usr/local/bin when this user may write there, else in ~/.local/bin; on Windows the
 * executable's folder on the user PATH.
 */
export function commandLineToolStatus(places: ToolPlaces): CommandLineToolStatus {
  const { executable } = places
  if (executable === undefined)
    return {
      state: 'unavailable',
      reason: 'This is a source checkout: there is no packaged bridgekeep executable.',
      hint: 'Use node bin/bridgekeep.cjs (the development command), or build the executable with npm run build:cli.',
    }
  if (!existsSync(executable))
    return {
      state: 'unavailable',
      reason: `This build of Bridgekeep has no command-line tool at ${executable}.`,
      hint: 'Reinstall Bridgekeep from a release that includes it, or use node bin/bridgekeep.cjs from a source checkout.',
    }
  if (places.platform === 'win32') return windowsStatus(executable, places.pathVariable)
  for (const folder of candidateFolders(places)) {
    const link = join(folder, 'bridgekeep')
    if (leadsTo(link, executable))
      return { state: 'installed', link, executable, ...onPathNote(folder, places) }
  }
  const link = join(targetFolder(places), 'bridgekeep')
  const existing = describeExisting(link)
  return existing
    ? { state: 'conflict', link, executable, existing }
    : { state: 'not-installed', link, executable }
}

/**
 * Links the executable onto PATH. A different file already at the link's place is replaced only
 * with `replace` (the user confirmed), atomically (a new link renamed over it), and never a folder.
 */
export function installCommandLineTool(
  places: ToolPlaces,
  options: { replace: boolean },
): CommandLineToolStatus {
  const status = commandLineToolStatus(places)
  switch (status.state) {
    case 'installed':
      return status
    case 'unavailable':
      throw new BridgekeepError('NOT_SUPPORTED', status.reason, status.hint)
    case 'conflict':
      if (!options.replace)
        throw new BridgekeepError(
          'CONFLICT',
          `${status.link} already exists (${status.existing}), and it is not Bridgekeep's command-line tool.`,
          'Confirm that it should be replaced, or move it away yourself.',
        )
      if (lstatSync(status.link).isDirectory())
        throw new BridgekeepError(
          'CONFLICT',
          `${status.link} is a folder: it cannot be replaced by the command-line tool.`,
          'Move the folder away, then install the command-line tool again.',
        )
      break
    case 'not-installed':
      if (status.note) throw new BridgekeepError('NOT_SUPPORTED', status.note)
  }
  const folder = dirname(status.link)
  mkdirSync(folder, { recursive: true, mode: 0o755 })
  // A fresh link renamed into place: rename replaces a file or a symlink itself, never following it.
  const staged = join(folder, `.bridgekeep.${randomBytes(6).toString('hex')}.tmp`)
  symlinkSync(status.executable, staged)
  try {
    renameSync(staged, status.link)
  } catch (error) {
    rmSync(staged, { force: true })
    throw new BridgekeepError(
      'FORBIDDEN',
      `Could not create ${status.link} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      `Check that you may write to ${folder}.`,
    )
  }
  return commandLineToolStatus(places)
}

function candidateFolders(places: ToolPlaces): string[] {
  return [places.systemBin, join(places.home, '.local', 'bin')]
}

/** /usr/local/bin when this user may write to it (root, or a Homebrew-owned one), else ~/.local/bin. */
function targetFolder(places: ToolPlaces): string {
  try {
    accessSync(places.systemBin, constants.W_OK)
    return places.systemBin
  } catch {
    return join(places.home, '.local', 'bin')
  }
}

function leadsTo(link: string, executable: string): boolean {
  try {
    if (!lstatSync(link).isSymbolicLink()) return false
    if (resolve(dirname(link), readlinkSync(link)) === resolve(executable)) return true
    return realpathSync(link) === realpathSync(executable)
  } catch {
    return false
  }
}

/** What is in the way, in words: never the file's content. */
function describeExisting(link: string): string | undefined {
  try {
    const stat = lstatSync(link)
    if (stat.isSymbolicLink()) return `a link to ${readlinkSync(link)}`
    if (stat.isDirectory()) return 'a folder'
    return 'a file'
  } catch {
    return undefined
  }
}

function onPathNote(folder: string, places: ToolPlaces): { onPath: boolean; note?: string } {
  const onPath = places.pathVariable
    .split(posixDelimiter)
    .some((entry) => entry && resolve(entry) === resolve(folder))
  if (onPath) return { onPath }
  return {
    onPath,
    note: `${folder} is not on your PATH: add export PATH="${folder}:$PATH" to your shell's profile (~/.profile, ~/.bashrc or ~/.zshrc), then open a new terminal.`,
  }
}

/** Windows: the executable's own folder on the user PATH, which the user adds (the app says how). */
function windowsStatus(executable: string, pathVariable: string): CommandLineToolStatus {
  const folder = win32.dirname(executable)
  const onPath = pathVariable
    .split(';')
    .some((entry) => entry && win32.resolve(entry).toLowerCase() === folder.toLowerCase())
  if (onPath) return { state: 'installed', link: folder, executable, onPath }
  return {
    state: 'not-installed',
    link: folder,
    executable,
    note: `Add ${folder} to your user PATH: in PowerShell run [Environment]::SetEnvironmentVariable('Path', [Environment]::GetEnvironmentVariable('Path', 'User') + ';${folder}', 'User'), then open a new terminal.`,
  }
}
