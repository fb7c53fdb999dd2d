/**
 * What Bridgekeep hands to a browser: https, or plain http to this computer (its own one-time
 * loopback redirect, or a local endpoint standing in for AWS in tests). Nothing else (file:,
 * custom schemes, plain http elsewhere) is ever given to an opener.
 */
export function isOpenableLink(link: string): boolean {
  try {
    const { protocol, hostname } = new URL(link)
    return (
      protocol === 'https:' ||
      (protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname))
    )
  } catch {
    return false
  }
}
