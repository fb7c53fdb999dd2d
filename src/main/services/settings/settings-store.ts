import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BridgekeepError } from '../../../shared/errors'
import { defaultSettings, settingsSchema, type Settings } from '../../../shared/settings'
import { writeFileAtomic } from '../../fs/atomic-write'
import type { EventBus } from '../events/event-bus'

/**
 * Preferences kept in `settings.json` beside the vault: readable before the vault is unlocked.
 * A corrupt file is reported (with where it is and what to do), never silently replaced, since
 * the user may have edited it by hand.
 */
export class SettingsStore {
  readonly path: string

  constructor(
    dataDir: string,
    private readonly events: EventBus,
  ) {
    this.path = join(dataDir, 'settings.json')
  }

  get(): Settings {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...defaultSettings }
      throw new BridgekeepError(
        'SETTINGS_CORRUPT',
        `The settings file ${this.path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`,
        'Check the permissions of the file and its folder.',
      )
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw this.corrupt('it is not valid JSON')
    }
    const parsed = settingsSchema.safeParse({ ...defaultSettings, ...(isObject(json) ? json : {}) })
    if (!isObject(json) || !parsed.success) {
      const field = parsed.success ? undefined : parsed.error.issues[0]?.path.join('.')
      throw this.corrupt(field ? `the value of "${field}" is not valid` : 'it is not a JSON object')
    }
    return parsed.data
  }

  /** `settings:update`'s patch, or (from the backup scheduler) the backup schedule's fields. */
  update(patch: Partial<Settings>): Settings {
    const next = settingsSchema.parse({ ...this.get(), ...patch })
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 })
    writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`)
    this.events.emit('settings:changed', next)
    return next
  }

  private corrupt(why: string): BridgekeepError {
    return new BridgekeepError(
      'SETTINGS_CORRUPT',
      `The settings file ${this.path} cannot be used: ${why}.`,
      'Fix the file, or delete it to go back to the default settings, then try again.',
    )
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
