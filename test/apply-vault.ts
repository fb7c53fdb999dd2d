import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cliVault, inProcessCli } from './cli'

/** A GitHub token and a database password the catalog accepts, random: canaries too. */
export const token = () => `ghp_${randomBytes(18).toString('hex')}`
export const password = () => `pw-${randomBytes(16).toString('hex')}`

/**
 * A keychain vault for `apply`/`get` tests, the CLI run in this process against it, files in a
 * folder of its own, and a connection's details by slug.
 */
export async function applyVault() {
  const vault = await cliVault()
  const dir = mkdtempSync(join(tmpdir(), 'bk-apply-'))
  const run = (args: string[], input?: string) =>
    inProcessCli(args, {
      env: { BRIDGEKEEP_HOME: vault.home, HOME: dir, BRIDGEKEEP_AGENT: 'off' },
      cwd: dir,
      ...(input === undefined ? {} : { input }),
    })
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }
  const detail = (slug: string) =>
    vault.services.connections.get(vault.services.connections.findByRef(slug).id)
  return { vault, dir, run, file, detail }
}
