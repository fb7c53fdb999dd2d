import { BridgekeepError } from '../../../shared/errors'

/** The connection whose MFA device's code is needed, as a prompt names it. */
export interface MfaNeed {
  connectionId: string
  connection: string
  /** The device: an MFA ARN or a hardware token's serial (not secret). */
  serial: string
  /** What the code is for, as a prompt says it: a new session (the default) or a verify. */
  purpose?: 'session' | 'verify'
}

/**
 * Whoever can give the code for one session: a flag or variable, the terminal, the app's dialog.
 * Asked only when no cached session will do, and once per session issued.
 */
export type MfaCodeSource = (need: MfaNeed) => Promise<string>

const SIX_DIGITS = /^\d{6}$/

/** A code as typed: spaces (as authenticator apps group it, "123 456") are dropped. */
export function parseMfaCode(value: string, where: string): string {
  const code = value.replace(/\s+/g, '')
  if (SIX_DIGITS.test(code)) return code
  // The value is a one-time code: not quoted back, in case a secret was pasted by mistake.
  throw new BridgekeepError(
    'VALIDATION',
    `The MFA code (${where}) must be the 6 digits the MFA device shows now.`,
    'Type the current 6-digit code from the authenticator app or hardware token.',
  )
}

/** A fixed code given with the request (--mfa-code, BRIDGEKEEP_MFA_CODE, the agent request). */
export function fixedMfaCode(code: string): MfaCodeSource {
  return async () => code
}

/**
 * A given code for a verify of several connections: STS takes a code once, so it serves the first
 * connection that asks; any other that needs one is refused with what to do, not sent a spent code.
 */
export function singleUseMfaCode(code: string): MfaCodeSource {
  let spent = false
  return async (need) => {
    if (!spent) {
      spent = true
      return code
    }
    throw mfaCodeRequired(
      need,
      `One MFA code is taken once, and it went to another connection: verify ${need.connection} on its own with a fresh code.`,
    )
  }
}

/** No one can be asked: the error says how to give the code. */
export function mfaCodeRequired(need: MfaNeed, hint: string): BridgekeepError {
  return new BridgekeepError(
    'MFA_CODE_REQUIRED',
    `Connection ${need.connection} needs the code of its MFA device (${need.serial}) for a new session.`,
    hint,
  )
}

/** Used when the caller gave no way to ask: the CLI run on a terminal knows how. */
export const refuseMfaCode: MfaCodeSource = async (need) => {
  throw mfaCodeRequired(
    need,
    'Run the command on a terminal to type the code, or give it with --mfa-code or BRIDGEKEEP_MFA_CODE.',
  )
}
