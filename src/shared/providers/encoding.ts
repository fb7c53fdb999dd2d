// atob and TextDecoder exist in both the renderer and Node, unlike Buffer.

/**
 * Decodes standard or URL-safe base64, tolerating whitespace (wrapped PEM bodies) and missing
 * padding. Undefined when the text is not base64.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined
  const unpadded = compact.replace(/=+$/, '')
  if (unpadded.length % 4 === 1) return undefined
  try {
    const binary = atob(unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4))
    return Uint8Array.from(binary, (char) => char.charCodeAt(0))
  } catch {
    return undefined
  }
}

/** Strict UTF-8 (undefined on invalid sequences), so binary garbage is not mistaken for text. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

/** btoa for bytes: re-wrapping a decoded PEM body. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}
