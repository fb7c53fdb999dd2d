import type { RunnerLogEntry } from '../../api/runner'

/** Lines printed this close together are one message (a stack trace), not separate events. */
const SAME_MESSAGE_MS = 1000

/**
 * Plain text a runner prints over several lines (an exception and its stack) reaches the log one
 * line per entry; shown as one entry, its lines kept. Only back-to-back `runner.output` lines of
 * the same runner are joined, so a structured event in between still splits them.
 */
export function mergeOutputLines(lines: readonly RunnerLogEntry[]): RunnerLogEntry[] {
  const merged: RunnerLogEntry[] = []
  let previous: RunnerLogEntry | undefined
  for (const line of lines) {
    const last = merged.at(-1)
    if (
      last &&
      previous &&
      isOutput(last) &&
      isOutput(line) &&
      line.seq === previous.seq + 1 &&
      line.runnerId === last.runnerId &&
      Date.parse(line.time) - Date.parse(previous.time) < SAME_MESSAGE_MS
    ) {
      merged[merged.length - 1] = {
        ...last,
        fields: {
          ...last.fields,
          text: `${String(last.fields.text)}\n${String(line.fields.text)}`,
        },
      }
    } else {
      merged.push(line)
    }
    previous = line
  }
  return merged
}

function isOutput(line: RunnerLogEntry): boolean {
  return line.event === 'runner.output' && typeof line.fields.text === 'string'
}
