/**
 * The sender-origin check every IPC call passes first. The app's pages come from app://bridgekeep
 * (or the dev server in development, or the loopback server in e2e); anything else, such as a
 * frame that navigated away or an injected iframe, is refused.
 */
export function isTrustedSender(
  senderUrl: string | undefined,
  trustedOrigins: readonly string[],
): boolean {
  if (!senderUrl) return false
  let origin: string
  try {
    origin = originOf(senderUrl)
  } catch {
    return false
  }
  return trustedOrigins.includes(origin)
}

/**
 * The origin of a URL. For custom schemes (app://) WHATWG URL gives the opaque origin "null", so
 * it is rebuilt from scheme and host, which is what Electron uses for standard schemes.
 */
export function originOf(url: string): string {
  const parsed = new URL(url)
  if (parsed.origin !== 'null') return parsed.origin
  if (!parsed.host) throw new Error(`URL has no host: ${url}`)
  return `${parsed.protocol}//${parsed.host}`
}
