// The last line of defence: whatever a provider or an SDK put into a message, no secret of the
// operation leaves the runner in a result. Every secret value is searched for in the forms it
// travels in (raw, URL-encoded, base64, JSON-escaped), and so are the secret parts of structured
// secrets (a service account key's private key, a kubeconfig's tokens and keys, PEM lines).

const REDACTED = '[redacted]'
/** Shorter fragments match ordinary words; every real secret is longer. */
const MIN_LENGTH = 6

const SECRET_KEYS = /private|secret|token|password|passwd|credential|-key-data|^key$/i
const YAML_SECRET =
  /(?:token|client-key-data|client-certificate-data|password|secret|id-token|refresh-token)["']?\s*:\s*["']?([^\s"',}]+)/gi
const PEM_LINE = /^[A-Za-z0-9+/=]{16,}$/

function jsonSecrets(value: unknown, key = '', depth = 0): string[] {
  if (depth > 8) return []
  // Addresses (token_uri, auth_provider_x509_cert_url) are not secret, whatever their key says.
  if (typeof value === 'string')
    return SECRET_KEYS.test(key) && !/_ur[il]$/.test(key) ? [value] : []
  if (Array.isArray(value)) return value.flatMap((item) => jsonSecrets(item, key, depth + 1))
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([inner, item]) => jsonSecrets(item, inner, depth + 1))
  return []
}

function parts(secret: string): string[] {
  const found = [secret, secret.trim()]
  if (secret.trim().startsWith('{'))
    try {
      found.push(...jsonSecrets(JSON.parse(secret)))
    } catch {
      // not JSON after all
    }
  for (const match of secret.matchAll(YAML_SECRET)) if (match[1]) found.push(match[1])
  return found.flatMap((part) => [
    part,
    ...part
      .split(/\\n|\r?\n/)
      .map((line) => line.trim())
      .filter((line) => PEM_LINE.test(line)),
  ])
}

function encodings(value: string): string[] {
  return [
    value,
    encodeURIComponent(value),
    Buffer.from(value).toString('base64'),
    JSON.stringify(value).slice(1, -1),
  ]
}

/** The strings to remove from anything that leaves the runner, longest first. */
export function sensitiveStrings(
  secretSets: readonly Readonly<Record<string, string>>[],
): string[] {
  const found = new Set<string>()
  for (const secrets of secretSets)
    for (const secret of Object.values(secrets))
      for (const part of parts(secret))
        for (const form of encodings(part)) if (form.length >= MIN_LENGTH) found.add(form)
  return [...found].sort((a, b) => b.length - a.length)
}

export function scrubText(text: string, sensitive: readonly string[]): string {
  let result = text
  for (const value of sensitive)
    if (result.includes(value)) result = result.split(value).join(REDACTED)
  return result
}

/** Scrubs every string inside a JSON-like value (a result). */
export function scrub<T>(value: T, sensitive: readonly string[]): T {
  if (sensitive.length === 0) return value
  if (typeof value === 'string') return scrubText(value, sensitive) as T
  if (Array.isArray(value)) return value.map((item) => scrub(item, sensitive)) as T
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, scrub(item, sensitive)]),
    ) as T
  return value
}
