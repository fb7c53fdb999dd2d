import { randomUUID } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import { MFA_PROMPT_TIMEOUT_MS } from '../../../shared/ipc/features/mfa'
import type { EventBus } from '../events/event-bus'
import { mfaCodeRequired, type MfaCodeSource, type MfaNeed } from '../issued-sessions/mfa-code'

interface Pending {
  resolve: (code: string) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
  need: MfaNeed
}

export interface MfaPromptsOptions {
  /**
   * Whether a window is there to show the dialog in (the Electron shell: a visible window; the
   * e2e browser host: an open page). Absent: always.
   */
  windowShown?: () => boolean
  timeoutMs?: number
}

/**
 * The app's way of getting an MFA code: main pushes `mfa:asked` to the window, which shows a
 * small dialog; the code comes back on `mfa:answer` (or `mfa:cancel`) and goes to the one
 * request that asked, never stored or logged. Unanswered within MFA_PROMPT_TIMEOUT_MS, or
 * dismissed, the request is refused with what to do instead; every window is told to close the
 * dialog either way (`mfa:settled`). With no window shown (the app in the tray) nobody would see
 * the dialog: the request is answered at once, as a headless agent answers, so the CLI asks on
 * its terminal or says how to give the code, instead of waiting for the time-out.
 */
export class MfaPrompts {
  private readonly pending = new Map<string, Pending>()
  private readonly timeoutMs: number
  private readonly windowShown: () => boolean

  constructor(
    private readonly events: EventBus,
    options: MfaPromptsOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? MFA_PROMPT_TIMEOUT_MS
    this.windowShown = options.windowShown ?? (() => true)
  }

  /** An MfaCodeSource for the app's agent and its verify: asks in the window, if one is shown. */
  readonly ask: MfaCodeSource = (need) => {
    if (!this.windowShown())
      return Promise.reject(
        mfaCodeRequired(
          need,
          'No Bridgekeep window is open to ask in (the app runs in the tray). Run the command on a terminal to type the code, give it with --mfa-code or BRIDGEKEEP_MFA_CODE, or open the Bridgekeep window and run the command again.',
        ),
      )
    return new Promise<string>((resolve, reject) => {
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
        purpose: need.purpose ?? 'session',
        expiresAt: new Date(Date.now() + this.timeoutMs).toISOString(),
      })
    })
  }

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
