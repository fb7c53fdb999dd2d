import type { z } from 'zod'
import { describeIssues, fieldIssues } from '../../shared/validation'
import { findChannel } from '../../shared/ipc/contract'
import { isBridgekeepError } from '../../shared/errors'
import { fail, ok, type IpcResult } from '../../shared/ipc/result'
import type { Logger } from '../log'
import { isTrustedSender } from './origin'
import type { HandlerRegistry } from './registry'

export interface DispatchContext {
  /** URL of the frame that sent the call. */
  senderUrl: string | undefined
  trustedOrigins: readonly string[]
  log: Logger
}

/**
 * The one generic IPC handler, shared by the Electron shell and the e2e browser host: checks the
 * sender's origin, parses the input against the contract, runs the handler, checks its output,
 * and always resolves to a result envelope. It never throws and never echoes input values back,
 * since they may contain secrets.
 */
export async function dispatch(
  registry: HandlerRegistry,
  channel: string,
  rawInput: unknown,
  context: DispatchContext,
): Promise<IpcResult<unknown>> {
  if (!isTrustedSender(context.senderUrl, context.trustedOrigins)) {
    context.log.warn('ipc.refused', { channel, reason: 'untrusted sender' })
    return fail({
      code: 'FORBIDDEN',
      message: 'This page is not allowed to call Bridgekeep.',
      hint: 'Only the Bridgekeep window itself may use its API.',
    })
  }
  const spec = findChannel(channel)
  const handler = registry.get(channel)
  if (!spec || !handler) {
    return fail({ code: 'UNKNOWN_CHANNEL', message: `There is no IPC channel named "${channel}".` })
  }
  const input = spec.input.safeParse(rawInput)
  if (!input.success) {
    return fail({
      code: 'VALIDATION',
      message: `Invalid input for ${channel}: ${describeIssues(input.error)}`,
      hint: 'Correct the highlighted values and try again.',
      issues: fieldIssues(input.error),
    })
  }
  try {
    const value = await handler(input.data)
    const output = spec.output.safeParse(value)
    if (!output.success) {
      // A bug on our side; the issue paths (not the values) are enough to find it.
      context.log.error('ipc.bad-output', { channel, issues: issuePaths(output.error) })
      return fail({
        code: 'INTERNAL',
        message: `Bridgekeep produced an invalid answer for ${channel}.`,
      })
    }
    return ok(output.data)
  } catch (error) {
    if (isBridgekeepError(error)) return fail(error.toShape())
    context.log.error('ipc.crashed', { channel, error: errorName(error) })
    return fail({
      code: 'INTERNAL',
      message: `Something went wrong in ${channel}.`,
      hint: "Try again; if it keeps happening, the app log has the details: logs/app.log in Bridgekeep's data folder (Settings, About).",
    })
  }
}

function issuePaths(error: z.ZodError): string[] {
  return error.issues.map((issue) => issue.path.map(String).join('.') || '(root)')
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error
}
