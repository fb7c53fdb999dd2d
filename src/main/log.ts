import { RotatingFile, type RotatingFileOptions } from './fs/rotating-file'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, string | number | boolean | string[] | undefined>

/**
 * Structured log lines: an event name and fields chosen by the caller. There is deliberately no
 * way to log an arbitrary object, so nothing secret reaches a log by accident.
 */
export interface Logger {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
}

export interface LogLine {
  time: string
  level: LogLevel
  event: string
  fields: LogFields
}

export function createLogger(write: (line: LogLine) => void): Logger {
  const at =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}) =>
      write({ time: new Date().toISOString(), level, event, fields })
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** JSON lines on stderr: what the CLI uses, and the app beside its log file. */
export const stderrLogger = createLogger((line) =>
  process.stderr.write(`${JSON.stringify(line)}\n`),
)

/**
 * JSON lines in a size-rotated file (1 MiB, three kept, 0600; see fs/rotating-file.ts): the
 * app's log, `<data folder>/logs/app.log` (`appLogFile` in paths.ts). Only the typed fields
 * reach it: a value a cast slipped past `LogFields` (an object, an error) is dropped, not
 * written, so the file holds no more than the types allow.
 */
export function fileLogger(
  path: string,
  options: RotatingFileOptions & { also?: Logger } = {},
): Logger {
  const file = new RotatingFile(path, options)
  const { also } = options
  return createLogger((line) => {
    file.append(`${JSON.stringify({ ...line, fields: typedFields(line.fields) })}\n`)
    also?.[line.level](line.event, line.fields)
  })
}

const FIELD_TEXT_MAX = 2000

/** Strings (cut to 2,000 characters), numbers, booleans and lists of strings; nothing else. */
export function typedFields(fields: Record<string, unknown>): LogFields {
  const out: LogFields = {}
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') out[key] = value.slice(0, FIELD_TEXT_MAX)
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value
    else if (Array.isArray(value))
      out[key] = value
        .filter((item): item is string => typeof item === 'string')
        .map((item) => item.slice(0, FIELD_TEXT_MAX))
  }
  return out
}

/** Collects lines in memory: for tests, and for hosts that show logs themselves. */
export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = []
  return Object.assign(
    createLogger((line) => lines.push(line)),
    { lines },
  )
}
