import { fail, ok } from './fields'
import type { Parser } from './fields'
import { formatPem, isDer, pemBlocks, unwrapBase64Pem } from './pem'

// Used for secret fields too (the HTTP client key), so problems never quote the text.

/**
 * One or more CERTIFICATE blocks (a CA bundle), normalized to canonical PEM. Base64 of the PEM
 * is accepted too: that is what a kubeconfig's certificate-authority-data holds.
 */
export const certificatePem: Parser = (value) => {
  const text = value.includes('-----BEGIN ') ? value : unwrapBase64Pem(value)
  if (!text)
    return fail(
      'must be a PEM certificate: a block starting with -----BEGIN CERTIFICATE----- (paste the .crt/.pem file or pick it).',
    )
  const blocks = pemBlocks(text)
  if (blocks.length === 0)
    return fail('has no complete -----BEGIN/END CERTIFICATE----- block; is it cut off?')
  if (blocks.some((block) => block.label !== 'CERTIFICATE'))
    return fail('must contain only CERTIFICATE blocks; remove keys and other blocks.')
  const certificates = blocks.flatMap((block) => (isDer(block.der) ? [block] : []))
  if (certificates.length !== blocks.length)
    return fail(
      'has a certificate whose body is damaged (not base64 DER); paste the file unchanged.',
    )
  return ok(
    formatPem(certificates.map((block) => ({ label: block.label, der: block.der as Uint8Array }))),
  )
}

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'])

/** A client certificate with its unencrypted private key, in one PEM text. */
export const certificateWithKey: Parser = (value) => {
  const blocks = pemBlocks(value)
  if (blocks.some((block) => block.label.includes('ENCRYPTED')))
    return fail(
      'holds an encrypted private key; export it without a passphrase (e.g. openssl pkey -in key.pem).',
    )
  const certificates = blocks.filter((block) => block.label === 'CERTIFICATE')
  const keys = blocks.filter((block) => KEY_LABELS.has(block.label))
  if (certificates.length === 0 || keys.length !== 1)
    return fail(
      'must hold the client certificate (-----BEGIN CERTIFICATE-----) and its private key (-----BEGIN PRIVATE KEY-----) in PEM; concatenate the two files.',
    )
  if (![...certificates, ...keys].every((block) => isDer(block.der)))
    return fail(
      'has a PEM block whose body is damaged (not base64 DER); paste the files unchanged.',
    )
  const ordered = [...certificates, ...keys].map((block) => ({
    label: block.label,
    der: block.der as Uint8Array,
  }))
  return ok(formatPem(ordered))
}
