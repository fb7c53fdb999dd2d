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

/** JSON lines on stderr: what the app and the CLI use until a file sink arrives. */
export const stderrLogger = createLogger((line) =>
  process.stderr.write(`${JSON.stringify(line)}\n`),
)

/** Collects lines in memory: for tests, and for hosts that show logs themselves. */
export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = []
  return Object.assign(
    createLogger((line) => lines.push(line)),
    { lines },
  )
}
