import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { version } from '../../package.json'
import { runNode } from '../../test/run-node'

const cli = (args: string[], env: Record<string, string> = {}) =>
  runNode('src/cli/index.ts', args, env)

describe('bridgekeep CLI (child process)', () => {
  it('prints its version', () => {
    expect(cli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` })
  })

  it('reports the data folder the app uses, honouring BRIDGEKEEP_HOME', () => {
    const home = mkdtempSync(join(tmpdir(), 'bk-cli-'))
    const result = cli(['info', '--json'], { BRIDGEKEEP_HOME: home })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      name: 'Bridgekeep',
      version,
      dataDir: home,
      settingsFile: join(home, 'settings.json'),
      node: process.versions.node,
      // Run here through tsx, not bin/bridgekeep.cjs, which is what turns the cache on.
      compileCache: null,
    })
  })

  it('explains an unknown command and exits 2', () => {
    const result = cli(['frobnicate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown command "frobnicate"')
    expect(result.stderr).toContain('bridgekeep --help')
  })

  it('names the subcommands of a three-word group, and an unknown one among them', () => {
    const bare = cli(['aws', 'sso'])
    expect(bare.code).toBe(2)
    expect(bare.stderr).toContain(
      '"aws sso" needs a subcommand: aws sso login, aws sso add, aws sso logout.',
    )
    const unknown = cli(['aws', 'sso', 'signout'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain(
      'unknown command "aws sso signout". Commands: aws sso login, aws sso add, aws sso logout.',
    )
    const missing = cli(['aws', 'sso', 'login', '--region', 'eu-west-1'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--start-url is required')
  })

  it('explains an unknown option and exits 2', () => {
    const result = cli(['info', '--colour'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("Unknown option '--colour'")
  })

  it('shows usage with no command, exiting 2', () => {
    const result = cli([])
    expect(result.code).toBe(2)
    expect(result.stdout).toContain('Usage: bridgekeep <command>')
  })
})
