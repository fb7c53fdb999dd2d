import { describe, expect, it } from 'vitest'
import { canary } from '../../../test/fixtures/canary'
import { runChild, SignalRelay } from './run-child'

/** runChild with a relay that is stopped after, and what it reported. */
async function run(command: string[], env: Record<string, string | undefined>) {
  const relay = new SignalRelay(false)
  const reported: string[] = []
  try {
    const code = await runChild(command, relay, {
      env,
      onSpawnError: (message) => reported.push(message),
    })
    return { code, reported }
  } finally {
    relay.stop()
  }
}

describe('runChild', () => {
  it('runs the command with the environment it is given', async () => {
    const value = canary.alnum(30)
    const script = `process.exit(process.env.BK_VALUE === ${JSON.stringify(value)} ? 7 : 1)`
    expect(await run([process.execPath, '-e', script], { BK_VALUE: value })).toEqual({
      code: 7,
      reported: [],
    })
  })

  it('refuses a variable holding NUL by its name, never quoting the value (as Node would)', async () => {
    const secret = canary.alnum(40)
    const result = await run([process.execPath, '-e', 'process.exit(0)'], {
      PATH: process.env.PATH,
      KUBE_TOKEN: `${secret}\u0000${secret}`,
    })
    expect(result.code).toBe(126)
    expect(result.reported).toEqual([
      `${process.execPath}: cannot run it: the variable KUBE_TOKEN holds a NUL character, which no environment can (give the connection's field a value without one).`,
    ])
    expect(JSON.stringify(result)).not.toContain(secret)
  })

  it('reports any other refusal to start by its code only', async () => {
    const secret = canary.alnum(40)
    const result = await run([process.execPath, `-e${secret}\u0000`], { PATH: process.env.PATH })
    expect(result.code).toBe(126)
    expect(result.reported).toEqual([`${process.execPath}: cannot run it (ERR_INVALID_ARG_VALUE).`])
  })
})
