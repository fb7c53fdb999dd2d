import { BridgekeepError, isBridgekeepError } from '../../shared/errors'
import type { Logger } from '../log'
import type { AuditRecorder } from '../services/audit/audit-service'
import { tokenMatches } from './agent-token'
import { foreignOwner } from './caller'

/** At most this many refusals a minute are audited; more are logged only (one connect each). */
const AUDITED_PER_MINUTE = 30

/**
 * Admits a request that carries this agent's token (undefined), or refuses it (the error to
 * answer). Without the token it comes from a process that cannot read the token file, so (the
 * folders being private) not the vault's user, or from one that read the token of an earlier
 * start. A refusal is recorded in the audit trail (appending works while locked) and logged, with
 * the pid the caller claimed and, on Linux, the other user who owns that pid; never with what it
 * sent. The answer says why.
 */
export function callerGate(
  token: Buffer,
  options: { audit: AuditRecorder; log: Logger },
): (frame: unknown) => BridgekeepError | undefined {
  const recent: number[] = []
  return (frame) => {
    const request = (frame ?? {}) as { token?: unknown; caller?: { pid?: unknown } | null }
    if (tokenMatches(token, request.token)) return undefined
    return refuse(request, recent, options)
  }
}

function refuse(
  request: { token?: unknown; caller?: { pid?: unknown } | null },
  recent: number[],
  options: { audit: AuditRecorder; log: Logger },
): BridgekeepError {
  const pid = request.caller?.pid
  const claimed = typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
  const uid = foreignOwner(claimed)
  options.log.warn('agent.refused', {
    reason: request.token ? 'wrong token' : 'no token',
    pid: claimed,
    otherUserUid: uid,
  })
  const now = Date.now()
  while (recent.length > 0 && now - recent[0]! > 60_000) recent.shift()
  if (recent.length < AUDITED_PER_MINUTE) {
    recent.push(now)
    const who = claimed === undefined ? 'no pid' : `pid ${claimed}`
    const owner = uid === undefined ? '' : `, a process of another user (uid ${uid})`
    try {
      options.audit.record({
        action: 'agent.refused',
        outcome: 'failure',
        target: { type: 'vault' },
        detail: `Refused a request without the agent's token (it claimed ${who}${owner})`,
      })
    } catch (error) {
      // The vault's file may be gone; the refusal stands either way.
      options.log.warn('agent.audit-failed', {
        code: isBridgekeepError(error) ? error.code : 'INTERNAL',
      })
    }
  }
  return new BridgekeepError(
    'FORBIDDEN',
    "The Bridgekeep agent refused the request: this process cannot read the agent's token (agent.token in the vault's data folder): it runs as another user, or the agent restarted since the token was read.",
    'Run bridgekeep as the user who started the agent, with the same BRIDGEKEEP_HOME; if the agent restarted, run the command again.',
  )
}
