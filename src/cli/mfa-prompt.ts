import { BridgekeepError, isBridgekeepError } from '../shared/errors'
import {
  mfaCodeRequired,
  parseMfaCode,
  type MfaCodeSource,
} from '../main/services/issued-sessions/mfa-code'
import { stringOption, type OptionSpec, type OptionValues } from './framework/command'
import { interactive, type CliIO } from './framework/io'
import { printable } from './framework/output'
import { SECRET_VARIABLES } from '../shared/secret-variables'

/** `--mfa-code`, for the commands that may start an AWS session (exec, credential-process). */
export const MFA_CODE_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'code',
  description: `the 6-digit code of the connection's MFA device, when a new AWS session needs one (or ${SECRET_VARIABLES.mfaCode}); asked on the terminal otherwise`,
}

/** A code a script gave, and where it came from (for the message when it is malformed). */
export interface GivenMfaCode {
  value: string
  where: string
}

/**
 * The code a script gave (--mfa-code, else BRIDGEKEEP_MFA_CODE); undefined when none. It is an
 * input of the session it is for, so it is checked only when a session needs it: a variable left
 * set for a connection without an MFA device is no error.
 */
export function givenMfaCode(io: CliIO, values: OptionValues): GivenMfaCode | undefined {
  const option = stringOption(values, 'mfa-code')
  if (option !== undefined) return { value: option, where: '--mfa-code' }
  const variable = io.env[SECRET_VARIABLES.mfaCode]
  if (variable !== undefined && variable !== '')
    return { value: variable, where: SECRET_VARIABLES.mfaCode }
  return undefined
}

/** The given code if it is well formed, to send with the agent request; undefined otherwise. */
export function sendableMfaCode(given: GivenMfaCode | undefined): string | undefined {
  if (given === undefined) return undefined
  try {
    return parseMfaCode(given.value, given.where)
  } catch {
    return undefined
  }
}

/**
 * Without a terminal: credential_process is run by the AWS CLI and SDKs, which give it none, so
 * the code has to come from a run that can ask, or from the app.
 */
function noTerminalHint(op: string): string {
  return op === 'credential-process'
    ? 'Run bridgekeep exec <conn> --env <env> -- aws sts get-caller-identity once on a terminal (it asks for the code and keeps the session until shortly before it expires), or open the Bridgekeep app, which asks in its window.'
    : `Run the command on a terminal to type the code, or give it with --mfa-code or ${SECRET_VARIABLES.mfaCode}.`
}

/** Whether `op` can ask for a code on this terminal (credential_process never has one). */
export function canAskOnTerminal(io: CliIO, op: string): boolean {
  return op !== 'credential-process' && interactive(io)
}

/**
 * The given code, else the terminal, for the device a session needs; refuses without either. A
 * malformed given code is refused here, when it is needed.
 */
export function terminalMfa(io: CliIO, op: string, given?: GivenMfaCode): MfaCodeSource {
  return async (need) => {
    if (given !== undefined) return parseMfaCode(given.value, given.where)
    if (!canAskOnTerminal(io, op)) throw mfaCodeRequired(need, noTerminalHint(op))
    // Loaded only when a prompt is shown: node:readline is not needed otherwise.
    const { promptSecret } = await import('./framework/prompt')
    const typed = await promptSecret(
      io,
      `MFA code for ${printable(need.connection)} (device ${printable(need.serial)}): `,
    )
    return parseMfaCode(typed, 'as typed')
  }
}

/**
 * The agent had nobody to ask (a headless `bridgekeep agent`): ask here and send the code with
 * the request again, or refuse with what to do. Any other refusal passes through.
 */
export async function codeAfterRefusal(
  error: unknown,
  io: CliIO,
  op: string,
  given?: GivenMfaCode,
): Promise<string> {
  if (!isBridgekeepError(error) || error.code !== 'MFA_CODE_REQUIRED') throw error
  // A code was given but not sent, being malformed: now that it is needed, say so.
  if (given !== undefined) return parseMfaCode(given.value, given.where)
  if (!canAskOnTerminal(io, op))
    throw new BridgekeepError(error.code, error.message, noTerminalHint(op))
  io.stderr.write(`${printable(error.message)}\n`)
  const { promptSecret } = await import('./framework/prompt')
  return parseMfaCode(await promptSecret(io, 'MFA code: '), 'as typed')
}
