import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync, unlinkSync } from 'node:fs'
import { stageFile } from '../fs/atomic-write'
import { ensurePrivateFolder } from '../fs/private-folder'
import { agentTokenPath } from './agent-token-file'

/**
 * The agent's token: 32 random bytes (hex), new at each start, in `<data folder>/agent.token`
 * (0600 in the 0700 data folder). Only a process of the user who owns the vault can read it, so a
 * request that carries it comes from that user: this is what Node offers in place of the peer's
 * credentials (SO_PEERCRED), which it cannot read. It lives in the data folder and not beside the
 * socket on purpose: the socket's folder is the one that may be loosened by mistake.
 */

export interface AgentToken {
  /** The token's text, as a client sends it. */
  readonly bytes: Buffer
  /** Writes it under its name (atomically, replacing an earlier agent's). */
  publish(): void
  /** Removes the file, only if it still holds this token: a successor may have replaced it. */
  remove(): void
  /** Gives up before publishing: the staged file is removed. */
  discard(): void
}

/**
 * Makes a new token and stages its file (so an unwritable data folder fails before the socket is
 * taken); `publish` gives it its name once this agent owns the socket.
 */
export function createAgentToken(dataDir: string, platform = process.platform): AgentToken {
  ensurePrivateFolder(dataDir, platform)
  const path = agentTokenPath(dataDir)
  const bytes = Buffer.from(randomBytes(32).toString('hex'))
  const staged = stageFile(path, 0o600)
  return {
    bytes,
    publish: () => void staged.commit(bytes, { replace: true }),
    discard: () => staged.discard(),
    remove() {
      try {
        if (readFileSync(path).equals(bytes)) unlinkSync(path)
      } catch {
        // Already gone (with the data folder, perhaps).
      }
    },
  }
}

/** Whether `given` is the token, compared in constant time. */
export function tokenMatches(expected: Buffer, given: unknown): boolean {
  if (typeof given !== 'string') return false
  const bytes = Buffer.from(given)
  return bytes.length === expected.length && timingSafeEqual(bytes, expected)
}
