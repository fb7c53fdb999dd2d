import { readlinkSync, statSync } from 'node:fs'
import { findUnsafeCharacter } from '../../shared/text'

/** Who asked the agent: what the client says, and the executable Linux reports for that pid. */
export interface AgentCaller {
  pid: number
  /** As the client named itself ("bridgekeep"): a claim, not a proof. */
  program: string
  /** /proc/<pid>/exe, when the pid is a live process of this user (Linux only). */
  executable?: string
}

/**
 * Adds what the OS knows about the caller's pid. Only a process of this user counts (another
 * user's pid is not ours to describe, and its exe link is unreadable anyway); a path with control
 * characters is left out rather than written to the audit trail.
 */
export function identifyCaller(
  claimed: { pid: number; program: string },
  platform = process.platform,
): AgentCaller {
  if (platform !== 'linux') return { ...claimed }
  try {
    if (statSync(`/proc/${claimed.pid}`).uid !== process.getuid?.()) return { ...claimed }
    const executable = readlinkSync(`/proc/${claimed.pid}/exe`)
    return findUnsafeCharacter(executable) ? { ...claimed } : { ...claimed, executable }
  } catch {
    return { ...claimed }
  }
}

/**
 * The uid owning `pid` when it is not this process's user (Linux: the owner of /proc/<pid>), for
 * the audit entry of a refused caller; undefined when it is ours, gone, or the OS does not say.
 * The pid is the caller's claim: a process of another user behind it is a fact worth recording,
 * its absence proves nothing.
 */
export function foreignOwner(pid: unknown, platform = process.platform): number | undefined {
  if (platform !== 'linux' || typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0)
    return undefined
  try {
    const uid = statSync(`/proc/${pid}`).uid
    return uid === process.getuid?.() ? undefined : uid
  } catch {
    return undefined
  }
}

/** " for pid 4242 (bridgekeep, /usr/bin/node)": appended to an audit entry's detail. */
export function describeCaller(caller: AgentCaller): string {
  const what = [caller.program, caller.executable].filter(Boolean).join(', ')
  return ` for pid ${caller.pid} (${what})`
}
