import { logLevels, type RunnerLogLevel } from '../../shared/runner-protocol/protocol'
import type { RunnerLogEntry, RunnerLogQuery } from '../../shared/runner-protocol/status'
import { RotatingFile } from '../fs/rotating-file'
import { createLogger, type LogFields, type Logger } from '../log'

export interface RunnerLogOptions {
  /** The log file; rotated to <file>.1, <file>.2 ... when it grows past maxFileBytes. */
  file?: string
  maxFileBytes?: number
  keepFiles?: number
  capacity?: number
}

type NewEntry = Omit<RunnerLogEntry, 'seq' | 'fields'> & {
  fields: LogFields | Record<string, unknown>
}

const FIELD_TEXT_MAX = 2000
const rank = (level: RunnerLogLevel) => logLevels.indexOf(level)

/**
 * The runner's log as the app shows it: the last `capacity` lines (1,000) in memory for the
 * Runner page, and every line in a size-rotated file in the data folder. Lines are an event and
 * scalar fields only; the runner's own lines arrive already in that shape.
 */
export class RunnerLog {
  private readonly lines: RunnerLogEntry[] = []
  private seq = 0
  private readonly listeners = new Set<(entry: RunnerLogEntry) => void>()
  private readonly capacity: number
  private readonly file: RotatingFile | undefined

  constructor(options: RunnerLogOptions = {}) {
    this.capacity = options.capacity ?? 1000
    this.file = options.file
      ? new RotatingFile(options.file, {
          ...(options.maxFileBytes === undefined ? {} : { maxBytes: options.maxFileBytes }),
          ...(options.keepFiles === undefined ? {} : { keep: options.keepFiles }),
        })
      : undefined
  }

  append(entry: NewEntry): RunnerLogEntry {
    const full: RunnerLogEntry = { ...entry, seq: ++this.seq, fields: scalarFields(entry.fields) }
    this.lines.push(full)
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity)
    // A full disk must not take the runner down with it; the ring buffer still has the line.
    this.file?.append(`${JSON.stringify(full)}\n`)
    for (const listener of this.listeners) listener(full)
    return full
  }

  /** A line a runner printed: its structured log, or plain text (a crash, a refusal). */
  appendOutput(line: string, runnerId: string): RunnerLogEntry {
    return this.append(
      parseRunnerLine(line, runnerId) ?? {
        time: new Date().toISOString(),
        level: 'warn',
        source: 'runner',
        runnerId,
        event: 'runner.output',
        fields: { text: line.slice(0, 300) },
      },
    )
  }

  onLine(listener: (entry: RunnerLogEntry) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Newest last, at most `limit`, at `level` or above, of `runnerId`, matching `search`. */
  query(raw: RunnerLogQuery = {}): RunnerLogEntry[] {
    const { level, search, runnerId, limit = 200 } = raw ?? {}
    const needle = search?.trim().toLowerCase()
    const matches = this.lines.filter(
      (line) =>
        (!level || rank(line.level) >= rank(level)) &&
        (!runnerId || line.runnerId === runnerId) &&
        (!needle || searchable(line).includes(needle)),
    )
    return matches.slice(-limit)
  }

  /**
   * A Logger whose lines land here (as the app's), and in `also` (the app's own log). A line
   * about one runner (a `runnerId` field: connected, dropped, refused...) is filed under that
   * runner, so the page can show one runner's story.
   */
  logger(also?: Logger): Logger {
    return createLogger((line) => {
      const about = line.fields.runnerId
      this.append({
        time: line.time,
        level: line.level,
        source: 'app',
        runnerId: typeof about === 'string' ? about : null,
        event: line.event,
        fields: line.fields,
      })
      also?.[line.level](line.event, line.fields)
    })
  }
}

function parseRunnerLine(line: string, runnerId: string): NewEntry | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value = JSON.parse(line) as Record<string, unknown>
    const level = value.level
    if (typeof value.event !== 'string' || !(logLevels as readonly unknown[]).includes(level))
      return undefined
    return {
      time: typeof value.time === 'string' ? value.time : new Date().toISOString(),
      level: level as RunnerLogEntry['level'],
      source: 'runner',
      runnerId,
      event: value.event.slice(0, 100),
      fields: (typeof value.fields === 'object' && value.fields !== null
        ? value.fields
        : {}) as RunnerLogEntry['fields'],
    }
  } catch {
    return undefined
  }
}

/** Only scalars (and lists of strings) survive, each text cut to a sane length. */
function scalarFields(fields: Record<string, unknown>): RunnerLogEntry['fields'] {
  const out: RunnerLogEntry['fields'] = {}
  for (const [key, value] of Object.entries(fields).slice(0, 40)) {
    const name = key.slice(0, 64)
    if (typeof value === 'string') out[name] = value.slice(0, FIELD_TEXT_MAX)
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = value
    else if (Array.isArray(value))
      out[name] = value
        .filter((item): item is string => typeof item === 'string')
        .slice(0, 50)
        .map((item) => item.slice(0, 200))
  }
  return out
}

function searchable(line: RunnerLogEntry): string {
  const values = Object.entries(line.fields).map(([key, value]) => `${key}=${String(value)}`)
  return `${line.event} ${line.runnerId ?? ''} ${values.join(' ')}`.toLowerCase()
}
