import { performance } from 'node:perf_hooks'

// Benches run without NODE_EXTRA_CA_CERTS: with it, every Node process a bench starts (the CLI,
// the runner, tsx children) reads and parses a CA bundle first, 36-56 ms per start here, which
// would be counted as Bridgekeep's. Removed at import (every bench imports this module), so no
// child inherits it, whether the bench runs through scripts/bench.mjs (which drops it as well)
// or directly; `report` says so in every result.
delete process.env.NODE_EXTRA_CA_CERTS

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

/**
 * The harness contract: one JSON object, on the last line of output. It also says whether the
 * processes measured ran with NODE_EXTRA_CA_CERTS ("unset": they did not).
 */
export function report(figures: Record<string, unknown>): void {
  const caCerts = process.env.NODE_EXTRA_CA_CERTS === undefined ? 'unset' : 'set'
  process.stdout.write(`${JSON.stringify({ ...figures, node_extra_ca_certs: caCerts })}\n`)
}
