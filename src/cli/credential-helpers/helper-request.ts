import type { AgentValue } from '../../shared/agent-answers'
import type { CredentialHelperTool } from '../../shared/agent-protocol'
import { readStreamLimited } from '../../main/fs/bounded-read'
import { BridgekeepError } from '../../shared/errors'
import {
  stringOption,
  type CommandContext,
  type OptionSpec,
  type OptionValues,
} from '../framework/command'
import type { CliIO } from '../framework/io'
import { connectionArgument } from '../connection-argument'
import { fromVault } from '../from-vault'

/** A credential helper's --env: the tool that starts it may not pass flags (docker never does). */
export const HELPER_ENV_OPTION: OptionSpec = {
  type: 'string',
  short: 'e',
  valueName: 'env',
  description: 'the environment (name or slug); default: BRIDGEKEEP_ENV',
}

/** What a tool writes on a helper's stdin is a few lines: anything bigger is not its protocol. */
const HELPER_INPUT_LIMIT = 64 * 1024

/**
 * The credentials a helper hands its tool, through the same vault operation as exec (agent or
 * in-process): resolved for the environment (refused unless authorized), recorded as usage and
 * audited as `credential-helper`, naming the tool and host, never a secret.
 */
export async function helperCredentials(
  context: CommandContext,
  values: OptionValues,
  tool: CredentialHelperTool,
  target: { ref?: string; host?: string },
): Promise<AgentValue<'credential-helper'>> {
  // A connection:// reference carries its environment, ahead of the ambient BRIDGEKEEP_ENV.
  const named =
    target.ref === undefined
      ? undefined
      : connectionArgument(target.ref, stringOption(values, 'env'), '')
  const env = named?.env ?? stringOption(values, 'env') ?? context.io.env.BRIDGEKEEP_ENV
  if (env === undefined || env.trim() === '')
    throw new BridgekeepError(
      'VALIDATION',
      `The ${tool} credential helper was not told which environment to use.`,
      "Give --env <env> in the helper's command line, or set BRIDGEKEEP_ENV (e.g. export BRIDGEKEEP_ENV=staging) where the tool runs.",
    )
  return fromVault(context, values, {
    op: 'credential-helper',
    tool,
    env,
    ...(named === undefined ? {} : { ref: named.ref }),
    ...(target.host === undefined ? {} : { host: target.host }),
  })
}

/** The tool's request on stdin, bounded, as text. */
export async function helperInput(io: CliIO, tool: string): Promise<string> {
  const bytes = await readStreamLimited(io.stdin, {
    source: 'stdin',
    limit: HELPER_INPUT_LIMIT,
    what: `a ${tool} credential request`,
    hint: `This command is run by ${tool}, which writes a few lines on its stdin.`,
  })
  return bytes.toString('utf8')
}

/** host[:port], lowercase, from what a tool sent; undefined when it is not a host. */
export function normalizedHost(text: string): string | undefined {
  const host = text.trim().toLowerCase()
  return /^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/.test(host) &&
    host.length <= 300
    ? host
    : undefined
}
