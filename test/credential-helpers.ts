// The world the credential-helper tests (src/cli/credential-helpers-*.test.ts) run git and docker
// in: a CLI vault, a private HOME, `bridgekeep` on PATH, and every output kept for the leak check.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { bridgekeepOnPath, cliVault, type CliResult } from './cli'
import { environmentIds } from './services'

export interface HelperWorld {
  vault: Awaited<ReturnType<typeof cliVault>>
  home: string
  /** The directory on PATH holding `bridgekeep`, as installed. */
  tools: string
  /** Everything git and the helpers see: the vault, the private HOME, `bridgekeep` on PATH. */
  env(extra?: Record<string, string>): Record<string, string>
  /** Keeps a run's stderr for expectNothingLeaked. */
  record(result: CliResult): CliResult
  /** Keeps other output (a process's log) for expectNothingLeaked. */
  keepOutput(text: string): void
  /** Secrets planted in the vault (or handed out) that must never leak. */
  canaries: string[]
  /** Authorizes the connections for staging, the environment the helpers are asked for. */
  authorizeForStaging(connections: { id: string }[]): void
  /** No canary in any stderr recorded, the audit trail or the log. */
  expectNothingLeaked(): void
}

export async function helperWorld(): Promise<HelperWorld> {
  const vault = await cliVault()
  const home = mkdtempSync(join(tmpdir(), 'bk-helper-home-'))
  const tools = mkdtempSync(join(tmpdir(), 'bk-helper-bin-'))
  // `bridgekeep` on PATH, as installed: the current source through tsx.
  bridgekeepOnPath(tools)
  const stderrs: string[] = []
  const canaries: string[] = []
  return {
    vault,
    home,
    tools,
    env: (extra = {}) => ({
      BRIDGEKEEP_HOME: vault.home,
      BRIDGEKEEP_AGENT: 'off',
      HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      PATH: `${tools}:${process.env.PATH ?? ''}`,
      ...extra,
    }),
    record: (result) => {
      stderrs.push(result.stderr)
      return result
    },
    keepOutput: (text) => stderrs.push(text),
    canaries,
    authorizeForStaging: (connections) => {
      const ids = environmentIds(vault.services)
      vault.services.authorizations.applyChanges({
        grants: connections.map((c) => ({ connectionId: c.id, environmentId: ids.staging! })),
      })
    },
    expectNothingLeaked: () => {
      const trail = JSON.stringify(vault.services.audit.query({ limit: 1000 }))
      const stderr = stderrs.join('\n')
      for (const secret of canaries) {
        expect(stderr).not.toContain(secret)
        expect(trail).not.toContain(secret)
        expect(JSON.stringify(vault.log.lines)).not.toContain(secret)
      }
    },
  }
}
