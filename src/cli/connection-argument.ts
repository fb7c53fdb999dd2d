import { connectionTarget } from '../shared/connection-uri'
import { BridgekeepError } from '../shared/errors'
import { UsageError } from './framework/errors'

/**
 * A connection argument as the CLI takes it: a slug, a name, or connection://<env>/<name>
 * (src/shared/connection-uri.ts). A malformed URI is a usage error (exit 2), like any
 * malformed argument; `envRequired` commands also need the environment from one place or the
 * other.
 */
export function connectionArgument(
  ref: string,
  env: string | undefined,
  command: string,
): { ref: string; env: string | undefined } {
  try {
    return connectionTarget(ref, env)
  } catch (error) {
    if (error instanceof BridgekeepError && error.code === 'VALIDATION')
      throw new UsageError(`${error.message} ${error.hint ?? ''}`.trim(), command)
    throw error
  }
}

/** Like connectionArgument, for commands that act in an environment: one must be given. */
export function connectionInEnvironment(
  ref: string,
  env: string | undefined,
  command: string,
): { ref: string; env: string } {
  const target = connectionArgument(ref, env, command)
  if (target.env === undefined)
    throw new UsageError(
      '--env is required (or name the connection as connection://<env>/<name>).',
      command,
    )
  return { ref: target.ref, env: target.env }
}
