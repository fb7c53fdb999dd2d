import { userInfo } from 'node:os'
import { join } from 'node:path'
import { resolveDataDir } from '../paths'

const PIPE_PREFIX = '\\\\.\\pipe\\'

/**
 * Where the agent for this user's vault listens. A data folder named by BRIDGEKEEP_HOME has its
 * own agent, in `<data folder>/agent/` (so two vaults never share one); the default vault's agent
 * lives in `$XDG_RUNTIME_DIR/bridgekeep/` (a per-user tmpfs that logout clears) or, without one,
 * in the data folder. Either folder is created 0700 by the agent, the socket itself is 0600.
 *
 * Windows has no socket files: the agent is a named pipe, `\\.\pipe\bridgekeep-<hash of the data
 * folder>-<user>`, one per vault and user. Pipes have no folder whose permissions could keep
 * other users out; the agent's token (agent-token.ts) is what does.
 */
export function agentSocketPath(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  user: () => string = () => userInfo().username,
): string {
  if (platform === 'win32') {
    // node:crypto is loaded here only: it is a noticeable part of a call the agent answers.
    const { createHash } = process.getBuiltinModule('node:crypto')
    const folder = createHash('sha256').update(resolveDataDir(env, platform)).digest('hex')
    const name = user().replace(/[^A-Za-z0-9._-]/g, '_') || 'user'
    return `${PIPE_PREFIX}bridgekeep-${folder.slice(0, 16)}-${name}`
  }
  if (!env.BRIDGEKEEP_HOME?.trim() && env.XDG_RUNTIME_DIR?.trim())
    return join(env.XDG_RUNTIME_DIR.trim(), 'bridgekeep', 'agent.sock')
  return join(resolveDataDir(env, platform), 'agent', 'agent.sock')
}

/** A Windows named pipe rather than a socket file: no folder, no file mode, nothing to remove. */
export function isNamedPipe(path: string): boolean {
  return path.startsWith(PIPE_PREFIX)
}
