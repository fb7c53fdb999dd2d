import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Gives the whole unit run one temporary root (TMPDIR, which os.tmpdir() and child processes
 * read) and removes it at the end, so vaults, identities and plaintext fixtures that tests write
 * never outlive the run, even when a test dies before its own clean-up.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'bridgekeep-tests-'))
  // Traversable like /tmp itself, so the PostgreSQL fixture's server user reaches its own folder;
  // what tests create inside (mkdtemp) is 0700 as ever.
  chmodSync(root, 0o755)
  process.env.TMPDIR = root
  return () => rmSync(root, { recursive: true, force: true })
}
