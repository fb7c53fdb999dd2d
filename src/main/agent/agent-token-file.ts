import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where the agent's token lives and how a client reads it (agent-token.ts makes and checks it).
 * Apart from it because a client, on every exec or credential_process call, needs only this and
 * not what making a token loads (node:crypto, staged writes).
 */
export function agentTokenPath(dataDir: string): string {
  return join(dataDir, 'agent.token')
}

/** The running agent's token as this process can read it, or undefined (another user, no agent). */
export function readAgentToken(dataDir: string): string | undefined {
  try {
    return readFileSync(agentTokenPath(dataDir), 'utf8').trim()
  } catch {
    return undefined
  }
}
