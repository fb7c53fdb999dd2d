import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

export const ROOT = resolve(__dirname, '..')

/** Runs a TypeScript entry point as a real Node child process (through tsx), as a user would. */
export function runNode(entry: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', resolve(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 15_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
