import { BridgekeepError } from './errors'

// `connection://<env>/<name>` names a connection as used in an environment, in one string that
// fits wherever a connection is named (exec, aws credential-process, verify, show, the agent's
// requests) and that the details page shows for each environment a connection is authorized for.
// Both parts are a slug or a name; a name with "/" or "%" in it is %-escaped.

const SCHEME = 'connection://'

/** The URI of a connection in an environment, from their slugs (which need no escaping). */
export function connectionUri(environmentSlug: string, connectionSlug: string): string {
  return `${SCHEME}${encodeURIComponent(environmentSlug)}/${encodeURIComponent(connectionSlug)}`
}

/**
 * What a connection reference names: a plain reference as it is, with `env` the environment
 * given apart (--env); a URI split into its connection and environment, where `env` may repeat
 * the URI's environment but not contradict it.
 */
export function connectionTarget(
  ref: string,
  env: string | undefined,
): { ref: string; env: string | undefined } {
  if (!ref.startsWith(SCHEME)) return { ref, env }
  const match = /^connection:\/\/([^/]+)\/([^/]+)$/.exec(ref)
  if (!match)
    throw invalid(
      `${ref} is not a connection URI.`,
      'Write connection://<environment>/<connection>, e.g. connection://staging/app-db (a "/" inside a name is written %2F).',
    )
  const uriEnv = decoded(match[1]!, ref)
  const name = decoded(match[2]!, ref)
  if (env !== undefined && env.trim().toLowerCase() !== uriEnv.trim().toLowerCase())
    throw invalid(
      `The environment ${env} contradicts the one in ${ref}.`,
      'Give the environment once: in the URI, or with --env and a plain connection name.',
    )
  return { ref: name, env: uriEnv }
}

/** A %-escaped part; a malformed escape is the caller's mistake, explained, not a crash. */
function decoded(part: string, ref: string): string {
  let text: string
  try {
    text = decodeURIComponent(part)
  } catch {
    throw invalid(
      `${ref} has a malformed %-escape.`,
      'Write a literal % as %25, or leave the name unescaped.',
    )
  }
  if (text.trim() === '' || /\p{Cc}/u.test(text))
    throw invalid(
      `${ref} names an empty or unprintable part.`,
      'Use the slugs bridgekeep ls shows.',
    )
  return text
}

function invalid(message: string, hint: string): BridgekeepError {
  return new BridgekeepError('VALIDATION', message, hint)
}
