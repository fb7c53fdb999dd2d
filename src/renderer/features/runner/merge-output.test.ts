import { describe, expect, it } from 'vitest'
import type { RunnerLogEntry } from '../../api/runner'
import { mergeOutputLines } from './merge-output'

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0, ms)).toISOString()

function output(seq: number, ms: number, text: string, runnerId = 'local'): RunnerLogEntry {
  return {
    seq,
    time: at(ms),
    level: 'warn',
    source: 'runner',
    runnerId,
    event: 'runner.output',
    fields: { text },
  }
}

describe('mergeOutputLines', () => {
  it('joins a stack trace printed line by line into one entry, keeping its lines', () => {
    const merged = mergeOutputLines([
      output(1, 0, 'Error: boom'),
      output(2, 5, '    at main (runner.js:10:3)'),
      output(3, 9, '    at run (runner.js:20:1)'),
    ])
    expect(merged).toHaveLength(1)
    expect(merged[0]!.seq).toBe(1)
    expect(merged[0]!.fields.text).toBe(
      'Error: boom\n    at main (runner.js:10:3)\n    at run (runner.js:20:1)',
    )
  })

  it('keeps apart lines from different runners, far apart in time, or split by an event', () => {
    const event: RunnerLogEntry = { ...output(4, 20, ''), event: 'runner.crashed', fields: {} }
    const merged = mergeOutputLines([
      output(1, 0, 'one'),
      output(2, 5, 'other runner', 'remote'),
      output(3, 3000, 'later'),
      event,
      output(5, 3010, 'after the event'),
    ])
    expect(merged.map((line) => line.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('leaves a gap in the sequence (a line filtered out) unjoined', () => {
    expect(mergeOutputLines([output(1, 0, 'a'), output(3, 1, 'b')])).toHaveLength(2)
  })
})
