import { join } from 'node:path'
import { resolveDataDir } from '../paths'

/**
 * Where the agent for this user's vault listens. A data folder named by BRIDGEKEEP_HOME has its
 * own agent, in `<data folder>/agent/` (so two vaults never share one); the default vault's agent
 * lives in `$XDG_RUNTIME_DIR/bridgekeep/` (a per-user tmpfs that logout clears) or, without one,
 * in the data folder. Either folder is created 0700 by the agent, the socket itself is 0600.
 */
export function agentSocketPath(env: Record<string, string | undefined> = process.env): string {
  if (!env.BRIDGEKEEP_HOME?.trim() && env.XDG_RUNTIME_DIR?.trim())
    return join(env.XDG_RUNTIME_DIR.trim(), 'bridgekeep', 'agent.sock')
  return join(resolveDataDir(env), 'agent', 'agent.sock')
}
