import { basename } from 'node:path'
import { isBridgekeepError } from '../../shared/errors'
import type { OpenedShareFile } from '../../shared/ipc/features/sharing'
import { readFileLimited } from '../fs/bounded-read'
import type { EventBus } from '../services/events/event-bus'

/** Bridgekeep writes shares far smaller than this; the page refuses larger files too. */
const MAX_SHARE_FILE_BYTES = 40 * 1024 * 1024

/**
 * The .bkshare file named on the app's command line: what the OS passes when a share is
 * double-clicked (at start, or to the second instance). Flags are never mistaken for it.
 */
export function shareFileIn(argv: readonly string[]): string | undefined {
  return [...argv]
    .reverse()
    .find((arg) => !arg.startsWith('-') && arg.toLowerCase().endsWith('.bkshare'))
}

/**
 * A share file the desktop opened, kept until the window takes it: the window may not be loaded
 * yet (a double-click that starts the app), so it is told to come and get it rather than handed
 * the file in an event it could miss.
 */
export class OpenedShares {
  private pending: OpenedShareFile | undefined

  constructor(private readonly events: EventBus) {}

  open(path: string): void {
    const name = basename(path)
    try {
      const data = readFileLimited(path, { what: 'a share file', limit: MAX_SHARE_FILE_BYTES })
      this.pending = { name, file: data.toString('base64') }
    } catch (error) {
      this.pending = {
        name,
        problem: isBridgekeepError(error) ? error.message : `${name} could not be read.`,
      }
    }
    this.events.emit('sharing:fileOpened', { name })
  }

  /** The file, once: the import preview shows it and nothing opens it again. */
  take(): OpenedShareFile | null {
    const pending = this.pending ?? null
    this.pending = undefined
    return pending
  }
}
