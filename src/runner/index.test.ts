import { describe, expect, it } from 'vitest'
import { version } from '../../package.json'
import { runNode } from '../../test/run-node'

const runner = (args: string[]) => runNode('src/runner/index.ts', args)

describe('bridgekeep-runner (child process)', () => {
  it('prints its version', () => {
    expect(runner(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` })
  })

  it('refuses to start without a credentials file, saying which option is missing', () => {
    const result = runner([])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      '--credentials <runner.json> (or BRIDGEKEEP_RUNNER_CREDENTIALS) is required',
    )
  })

  it('names a credentials file it cannot read, and exits 1', () => {
    const result = runner(['--credentials', '/nonexistent/runner.json'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'Cannot read the credentials file /nonexistent/runner.json (ENOENT).',
    )
  })
})
