import { vi } from 'vitest'

/**
 * Everything this process printed while `run` ran: process warnings (the 'warning' event, which
 * Node emits on a later tick, and process.emitWarning itself), stderr and the console. For tests
 * that plant a canary secret and check nothing passes it on.
 */
export async function printedDuring(run: () => unknown): Promise<string> {
  const printed: string[] = []
  const onWarning = (warning: Error) => printed.push(`${warning.name}: ${warning.message}`)
  process.on('warning', onWarning)
  const spies = [
    vi.spyOn(process.stderr, 'write'),
    vi.spyOn(process, 'emitWarning'),
    vi.spyOn(console, 'warn'),
    vi.spyOn(console, 'error'),
    vi.spyOn(console, 'log'),
  ]
  try {
    await run()
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', onWarning)
    for (const spy of spies) {
      printed.push(...spy.mock.calls.map((call) => String(call[0])))
      spy.mockRestore()
    }
  }
  return printed.join('\n')
}

/** Everything an error carries that a user could see: message, hint, field issues, stack. */
export function shownBy(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return [error.message, error.stack, JSON.stringify(error)].join('\n')
}
