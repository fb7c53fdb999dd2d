import { BridgekeepError } from '../errors'

// The generic HTTP connection at the moment of use, one way for exec and the runner's verify:
// the URL with its placeholders filled (or taken whole from Password), the port override, and
// the properties as environment variable names.

/** The URL template that means "the whole URL is Password's value", substituted unencoded. */
export const SECRET_URL = '$(password)'

export const urlIsSecret = (template: string | undefined): boolean =>
  (template ?? '').trim() === SECRET_URL

/** Fills $(username) and $(password); URL-encoded in a URL, as they are in its userinfo/query. */
export function fillPlaceholders(
  template: string,
  values: { username?: string | undefined; password?: string | undefined },
  encode: boolean,
): string {
  return template.replace(/\$\((username|password)\)/g, (_, name: 'username' | 'password') => {
    const value = values[name] ?? ''
    return encode ? encodeURIComponent(value) : value
  })
}

/**
 * The URL to call, as text: the template filled in, or Password's value when the template is
 * exactly $(password) (unencoded: it is the whole URL), checked as an http(s) URL now; the port
 * field replaces the URL's port. Unchanged text when there is no port to apply. A problem is a
 * VALIDATION error that never quotes the URL (it may hold the secret).
 */
export function httpUrl(
  config: Readonly<Record<string, string | undefined>>,
  secrets: Readonly<Record<string, string | undefined>>,
): string {
  const fromSecret = urlIsSecret(config.url)
  const text = fromSecret
    ? (secrets.password ?? '').trim()
    : fillPlaceholders(
        config.url ?? '',
        { username: config.username, password: secrets.password },
        true,
      )
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw urlProblem(fromSecret, 'is not a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw urlProblem(fromSecret, 'does not start with https:// or http://')
  if (!config.port) return text
  url.port = config.port
  return url.toString()
}

function urlProblem(fromSecret: boolean, what: string): BridgekeepError {
  return fromSecret
    ? new BridgekeepError(
        'VALIDATION',
        `The URL is taken whole from Password ($(password)), but Password's value ${what}.`,
        'Store the full address in Password, e.g. https://user:token@status.example.com/api/health (it is kept encrypted).',
      )
    : new BridgekeepError(
        'VALIDATION',
        `The URL template, once filled in, ${what}.`,
        'Check the URL template and the Username and Password it uses.',
      )
}

/** BRIDGEKEEP_HTTP_PROPERTY_<NAME>: the name upper-cased, anything but letters and digits "_". */
export function propertyVariable(name: string): string {
  return `BRIDGEKEEP_HTTP_PROPERTY_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`
}

/** The properties (stored as one JSON object of strings) as [name, value] pairs, in order. */
export function propertyPairs(json: string | undefined): [string, string][] {
  if (!json) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return []
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return []
  return Object.entries(parsed).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  )
}
