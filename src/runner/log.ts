import type { RunnerLogLevel } from '../shared/runner-protocol/protocol'

export type RunnerLogFields = Record<string, string | number | boolean | string[] | undefined>

export interface RunnerLogLine {
  time: string
  level: RunnerLogLevel
  event: string
  fields: Record<string, string | number | boolean | string[]>
}

/**
 * The runner's log: an event name and scalar fields chosen by our code (never an object, so
 * never a secret by accident), as JSON lines on stderr, plus an optional sink (the control
 * channel, for a runner started by hand).
 */
export interface RunnerLogger {
  debug(event: string, fields?: RunnerLogFields): void
  info(event: string, fields?: RunnerLogFields): void
  warn(event: string, fields?: RunnerLogFields): void
  error(event: string, fields?: RunnerLogFields): void
  /** Also send lines here (until it is set to undefined). */
  setSink(sink: ((line: RunnerLogLine) => void) | undefined): void
}

export function createRunnerLogger(
  write: (text: string) => void = (text) => process.stderr.write(text),
): RunnerLogger {
  let sink: ((line: RunnerLogLine) => void) | undefined
  const at =
    (level: RunnerLogLevel) =>
    (event: string, fields: RunnerLogFields = {}) => {
      const clean: RunnerLogLine['fields'] = {}
      for (const [key, value] of Object.entries(fields)) if (value !== undefined) clean[key] = value
      const line: RunnerLogLine = { time: new Date().toISOString(), level, event, fields: clean }
      write(`${JSON.stringify(line)}\n`)
      sink?.(line)
    }
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setSink: (next) => {
      sink = next
    },
  }
}
