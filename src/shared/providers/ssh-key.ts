import { fail, ok } from './fields'
import type { Parsed, Parser } from './fields'
import { isDer, pemBlocks } from './pem'

// An SSH private key: OpenSSH's own format (ssh-keygen's default since 7.8) or a PEM
// RSA/EC/PKCS#8 key. A Git connection's key must be unencrypted, since nothing is there to type a
// passphrase when a pipeline runs git; an SFTP connection stores the passphrase beside it.
// Messages name the problem, never the key.

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

/** The key's shape: readable and whether a passphrase protects it, or what is wrong with it. */
function inspect(value: string): { encrypted: boolean } | { problem: string } {
  if (/^ssh-(rsa|ed25519|dss) |^ecdsa-sha2-/.test(value))
    return {
      problem:
        'is a public key (the .pub file); paste the private key file instead (id_ed25519, not id_ed25519.pub).',
    }
  const blocks = pemBlocks(value)
  if (blocks.length !== 1)
    return {
      problem:
        'must be one private key file, from -----BEGIN OPENSSH PRIVATE KEY----- to its END line (e.g. ~/.ssh/id_ed25519).',
    }
  const [block] = blocks
  const label = block?.label ?? ''
  if (label === 'ENCRYPTED PRIVATE KEY') return { encrypted: true }
  if (label === 'OPENSSH PRIVATE KEY') {
    const cipher = block?.der ? opensshCipher(block.der) : undefined
    if (cipher === undefined)
      return { problem: 'is not a readable OpenSSH private key; copy the whole file again.' }
    return { encrypted: cipher !== 'none' }
  }
  if (['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY'].includes(label)) {
    // A legacy encrypted PEM key has Proc-Type/DEK-Info headers before its base64 body.
    if (value.includes('Proc-Type: 4,ENCRYPTED')) return { encrypted: true }
    return isDer(block?.der)
      ? { encrypted: false }
      : { problem: 'is not a readable private key; copy the whole file again.' }
  }
  return {
    problem:
      'must be an SSH private key (BEGIN OPENSSH PRIVATE KEY, or an RSA/EC/PKCS#8 private key in PEM).',
  }
}

function parsed(value: string, refuseEncrypted: boolean): Parsed {
  const shape = inspect(value)
  if ('problem' in shape) return fail(shape.problem)
  return refuseEncrypted && shape.encrypted ? fail(DECRYPT) : ok(value)
}

/** A private key ssh can use without asking anything (no passphrase). */
export const sshPrivateKey: Parser = (value) => parsed(value, true)

/** A private key, possibly protected by a passphrase given in another field. */
export const sshPrivateKeyWithPassphrase: Parser = (value) => parsed(value, false)

/** Whether a key (already accepted by one of the parsers above) needs a passphrase. */
export function sshKeyIsEncrypted(value: string): boolean {
  const shape = inspect(value)
  return 'encrypted' in shape && shape.encrypted
}
