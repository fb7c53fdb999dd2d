import { createPrivateKey } from 'node:crypto'
import type { ParsedKey } from 'ssh2'
import { failure } from './failure'

// The stored private key as ssh2 can sign with it. ssh2 reads OpenSSH and legacy PEM keys
// (encrypted or not) itself; a PKCS#8 key ("BEGIN [ENCRYPTED] PRIVATE KEY", as openssl writes
// them) is rewritten here, in memory, in the legacy PEM form of its type. Errors never quote
// the key or the passphrase.

type ParseKey = (data: string, passphrase?: string) => ParsedKey | Error

const BAD_PASSPHRASE = /passphrase|decrypt|bad decrypt|integrity/i

function wrongPassphrase() {
  return failure(
    'authentication',
    'the private key could not be decrypted: the key passphrase is wrong, so nothing was sent to the server.',
    'Enter the passphrase the key was made with (or a copy of the key without one) and save the connection again.',
  )
}

/** PKCS#8 (RSA or EC) as PKCS#1/SEC1 PEM, which ssh2 reads. */
function fromPkcs8(key: string, passphrase: string | undefined): string {
  let parsed
  try {
    parsed = createPrivateKey({ key, format: 'pem', ...(passphrase ? { passphrase } : {}) })
  } catch {
    throw key.includes('ENCRYPTED') ? wrongPassphrase() : unreadable()
  }
  if (parsed.asymmetricKeyType === 'rsa')
    return parsed.export({ format: 'pem', type: 'pkcs1' }).toString()
  if (parsed.asymmetricKeyType === 'ec')
    return parsed.export({ format: 'pem', type: 'sec1' }).toString()
  throw failure(
    'invalid-config',
    `the private key is a PKCS#8 ${parsed.asymmetricKeyType ?? 'unknown'} key, which SFTP sign-in cannot use in that form.`,
    "Convert a copy to OpenSSH's format (ssh-keygen -p -f <copy>) and paste that.",
  )
}

function unreadable() {
  return failure(
    'invalid-config',
    'the private key could not be read.',
    'Paste the whole private key file again (from its BEGIN line to its END line).',
  )
}

/** The key, decrypted and parsed, or a classified failure. */
export function usablePrivateKey(
  parseKey: ParseKey,
  key: string,
  passphrase: string | undefined,
): ParsedKey {
  const pkcs8 = /-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(key)
  const text = pkcs8 ? fromPkcs8(key, passphrase) : key
  const parsed = parseKey(text, pkcs8 ? undefined : passphrase)
  if (parsed instanceof Error) {
    if (BAD_PASSPHRASE.test(parsed.message)) throw wrongPassphrase()
    throw unreadable()
  }
  return parsed
}
