import { CALLER_ENV_MAX_BYTES, CALLER_ENV_VALUE_MAX, ENV_NAME } from '../shared/agent-answers'
import { withoutSecretVariables } from './secret-variables'

/**
 * What of its environment the CLI sends with a use, so that `env:` secret references read the
 * caller's variables (and a `command:` reference runs with them), not the agent's: the variables
 * with ordinary names, never Bridgekeep's own secret ones (the vault's passphrase is nobody
 * else's business), smallest first until CALLER_ENV_MAX_BYTES of JSON. A huge one left out is
 * then "not set" to a reference, which names it.
 */
export function callerEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const sent: Record<string, string> = {}
  let bytes = 0
  const entries = Object.entries(withoutSecretVariables(env))
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .filter(
      ([name, value]) =>
        ENV_NAME.test(name) && name.length <= 256 && value.length <= CALLER_ENV_VALUE_MAX,
    )
    .map(([name, value]) => ({ name, value, size: JSON.stringify([name, value]).length }))
    .sort((a, b) => a.size - b.size)
  for (const { name, value, size } of entries) {
    bytes += size
    if (bytes > CALLER_ENV_MAX_BYTES) break
    sent[name] = value
  }
  return sent
}
