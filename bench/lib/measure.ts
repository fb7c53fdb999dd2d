import { performance } from 'node:perf_hooks'

/** Median and tail of a list of samples (milliseconds or whatever unit the caller uses). */
export function summarize(samples: number[]): {
  median: number
  p95: number
  min: number
  runs: number
} {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  return { median: at(0.5), p95: at(0.95), min: sorted[0] ?? Number.NaN, runs: sorted.length }
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, returning each run's milliseconds. */
export async function sample(
  fn: () => unknown,
  runs: number,
  warmup = Math.ceil(runs / 10),
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  return samples
}

/** Rounds for JSON output: figures are noisy past three significant decimals. */
export const round = (value: number, digits = 3) => Number(value.toFixed(digits))

/** The harness contract: one JSON object, on the last line of output. */
export function report(figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}
