import { decodeBase64, decodeUtf8, encodeBase64 } from './encoding'

export interface PemBlock {
  /** 'CERTIFICATE', 'PRIVATE KEY', 'RSA PRIVATE KEY', ... */
  label: string
  /** Undefined when the body is not base64 (e.g. a legacy encrypted key with Proc-Type headers). */
  der: Uint8Array | undefined
}

// The body stops at the next "-----", so text full of unmatched BEGIN lines stays linear.
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----((?:(?!-----)[\s\S])*)-----END \1-----/g

/** Every PEM block in the text, in order; text around the blocks (openssl's subject= lines) is skipped. */
export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((match) => ({
    label: match[1] ?? '',
    der: decodeBase64(match[2] ?? ''),
  }))
}

/** A DER structure is an ASN.1 SEQUENCE, so its first byte is 0x30. */
export function isDer(der: Uint8Array | undefined): der is Uint8Array {
  return der !== undefined && der.length > 1 && der[0] === 0x30
}

/** Canonical PEM: 64-character lines, '\n' line ends, no text around the blocks. */
export function formatPem(blocks: readonly { label: string; der: Uint8Array }[]): string {
  return blocks
    .map((block) => {
      const body = encodeBase64(block.der).match(/.{1,64}/g) ?? []
      return [`-----BEGIN ${block.label}-----`, ...body, `-----END ${block.label}-----`].join('\n')
    })
    .join('\n')
}

/**
 * The PEM text inside base64 — a kubeconfig's certificate-authority-data is the CA bundle in
 * base64, and people paste it as is.
 */
export function unwrapBase64Pem(text: string): string | undefined {
  const bytes = decodeBase64(text)
  const decoded = bytes && decodeUtf8(bytes)
  return decoded?.includes('-----BEGIN ') ? decoded : undefined
}
