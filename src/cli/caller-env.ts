import { CALLER_ENV_MAX_BYTES, CALLER_ENV_VALUE_MAX, ENV_NAME } from '../shared/agent-answers'

/**
 * What of an environment a caller sends with a use: the variables with ordinary names, smallest
 * first until CALLER_ENV_MAX_BYTES (a huge one, such as a long PATH-like list, is what is left
 * out; a reference to it then reads "not set", which names it).
 */
export function callerEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const sent: Record<string, string> = {}
  let bytes = 0
  const entries = Object.entries(env)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .filter(
      ([name, value]) =>
        ENV_NAME.test(name) && name.length <= 256 && value.length <= CALLER_ENV_VALUE_MAX,
    )
    .sort((a, b) => a[0].length + a[1].length - (b[0].length + b[1].length))
  for (const [name, value] of entries) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 8
    if (bytes > CALLER_ENV_MAX_BYTES) break
    sent[name] = value
  }
  return sent
}
