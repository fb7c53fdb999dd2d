import { randomUUID } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import { MFA_PROMPT_TIMEOUT_MS } from '../../../shared/ipc/features/mfa'
import type { EventBus } from '../events/event-bus'
import type { MfaCodeSource, MfaNeed } from '../issued-sessions/mfa-code'

interface Pending {
  resolve: (code: string) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
  need: MfaNeed
}

/**
 * The app's way of getting an MFA code: main pushes `mfa:asked` to the window, which shows a
 * small dialog; the code comes back on `mfa:answer` (or `mfa:cancel`) and goes to the one
 * request that asked, never stored or logged. Unanswered within MFA_PROMPT_TIMEOUT_MS, or
 * dismissed, the request is refused with what to do instead; every window is told to close the
 * dialog either way (`mfa:settled`).
 */
export class MfaPrompts {
  private readonly pending = new Map<string, Pending>()

  constructor(
    private readonly events: EventBus,
    private readonly timeoutMs = MFA_PROMPT_TIMEOUT_MS,
  ) {}

  /** An MfaCodeSource for the app's agent: asks in the window. */
  readonly ask: MfaCodeSource = (need) =>
    new Promise<string>((resolve, reject) => {
      const requestId = randomUUID()
      const timer = setTimeout(
        () =>
          this.settle(requestId, (entry) =>
            entry.reject(
              cancelled(
                entry.need,
                `no code was typed in the Bridgekeep window within ${Math.round(this.timeoutMs / 1000)} seconds. Run the command again and type the code in the dialog, or give it with --mfa-code.`,
              ),
            ),
          ),
        this.timeoutMs,
      )
      timer.unref?.()
      this.pending.set(requestId, { resolve, reject, timer, need })
      this.events.emit('mfa:asked', {
        requestId,
        connection: need.connection,
        serial: need.serial,
        expiresAt: new Date(Date.now() + this.timeoutMs).toISOString(),
      })
    })

  answer(requestId: string, code: string): void {
    if (!this.settle(requestId, (entry) => entry.resolve(code))) throw gone()
  }

  cancel(requestId: string): void {
    this.settle(requestId, (entry) =>
      entry.reject(
        cancelled(
          entry.need,
          'the dialog was cancelled in the Bridgekeep window. Run the command again to be asked again.',
        ),
      ),
    )
  }

  private settle(requestId: string, done: (entry: Pending) => void): boolean {
    const entry = this.pending.get(requestId)
    if (!entry) return false
    this.pending.delete(requestId)
    clearTimeout(entry.timer)
    done(entry)
    this.events.emit('mfa:settled', { requestId })
    return true
  }
}

/** Dismissed or timed out: a refusal of its own, so the CLI does not ask again on its terminal. */
function cancelled(need: MfaNeed, why: string): BridgekeepError {
  return new BridgekeepError(
    'MFA_CANCELLED',
    `No new session for ${need.connection}: ${why}`,
    'The code is the 6 digits the MFA device shows; each works once, for 30 seconds.',
  )
}

function gone(): BridgekeepError {
  return new BridgekeepError(
    'NOT_FOUND',
    'That MFA request is no longer waiting (it was answered, cancelled or timed out).',
    'Run the command again; a new dialog will ask for the code.',
  )
}
