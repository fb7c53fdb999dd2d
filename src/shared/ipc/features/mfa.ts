import { z } from 'zod'
import { channel } from '../define'

/** How long the app's dialog waits for a code before the request is refused. */
export const MFA_PROMPT_TIMEOUT_MS = 120_000

const requestId = z.string().uuid()

/** Main needs the code of a connection's MFA device (a CLI call through the app's agent, a verify). */
const mfaAskedSchema = z.object({
  requestId,
  connection: z.string(),
  /** The device (an MFA ARN or a hardware serial): not secret, shown so the user picks the right one. */
  serial: z.string(),
  /** A command's new session, or a verify started in the window (it assumes a role behind MFA). */
  purpose: z.enum(['session', 'verify']),
  /** ISO time the request gives up. */
  expiresAt: z.string(),
})
export type MfaAsked = z.infer<typeof mfaAskedSchema>

export const mfaChannels = {
  /** The code typed in the dialog; checked for its 6 digits here, by STS after. */
  answer: channel(
    z.object({ requestId, code: z.string().regex(/^\d{6}$/, 'Type the 6 digits.') }).strict(),
    z.undefined(),
  ),
  /** The dialog was dismissed: the request is refused as cancelled. */
  cancel: channel(z.object({ requestId }).strict(), z.undefined()),
}

export const mfaEvents = {
  asked: mfaAskedSchema,
  /** The request was answered, cancelled or timed out (in any window): close its dialog. */
  settled: z.object({ requestId }),
}
