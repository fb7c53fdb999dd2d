import { fail, ok } from './fields'
import type { Parser } from './fields'
import { isDer, pemBlocks } from './pem'

// An SSH private key as ssh reads it without asking anything: OpenSSH's own format
// (ssh-keygen's default since 7.8) or a PEM RSA/EC/PKCS#8 key, unencrypted, since nothing is
// there to type a passphrase when a pipeline runs git. Messages name the problem, never the key.

const MAGIC = 'openssh-key-v1\u0000'

/** The cipher an OpenSSH key is encrypted with ("none" when it is not), or undefined if malformed. */
function opensshCipher(der: Uint8Array): string | undefined {
  const magic = new TextDecoder().decode(der.subarray(0, MAGIC.length))
  if (magic !== MAGIC || der.length < MAGIC.length + 4) return undefined
  const at = MAGIC.length
  const length =
    ((der[at] ?? 0) << 24) |
    ((der[at + 1] ?? 0) << 16) |
    ((der[at + 2] ?? 0) << 8) |
    (der[at + 3] ?? 0)
  if (length <= 0 || length > 64 || at + 4 + length > der.length) return undefined
  return new TextDecoder().decode(der.subarray(at + 4, at + 4 + length))
}

const DECRYPT =
  "is protected by a passphrase; give a copy without one (ssh-keygen -p -N '' -f <copy>) or a deploy key made for this."

export const sshPrivateKey: Parser = (value) => {
  if (/^ssh-(rsa|ed25519|dss) |^ecdsa-sha2-/.test(value))
    return fail(
      'is a public key (the .pub file); paste the private key file instead (id_ed25519, not id_ed25519.pub).',
    )
  if (value.includes('Proc-Type: 4,ENCRYPTED')) return fail(DECRYPT)
  const blocks = pemBlocks(value)
  if (blocks.length !== 1)
    return fail(
      'must be one private key file, from -----BEGIN OPENSSH PRIVATE KEY----- to its END line (e.g. ~/.ssh/id_ed25519).',
    )
  const [block] = blocks
  if (block?.label === 'ENCRYPTED PRIVATE KEY') return fail(DECRYPT)
  if (block?.label === 'OPENSSH PRIVATE KEY') {
    const cipher = block.der ? opensshCipher(block.der) : undefined
    if (cipher === undefined)
      return fail('is not a readable OpenSSH private key; copy the whole file again.')
    return cipher === 'none' ? ok(value) : fail(DECRYPT)
  }
  if (['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY'].includes(block?.label ?? ''))
    return isDer(block?.der)
      ? ok(value)
      : fail('is not a readable private key; copy the whole file again.')
  return fail(
    'must be an SSH private key (BEGIN OPENSSH PRIVATE KEY, or an RSA/EC/PKCS#8 private key in PEM).',
  )
}
