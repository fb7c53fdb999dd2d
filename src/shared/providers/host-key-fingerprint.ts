import { fail, ok } from './fields'
import type { Parser } from './fields'

// An SSH server's host key fingerprint as OpenSSH prints it (ssh-keygen -lf, the "ECDSA key
// fingerprint is SHA256:…" line of a first connection): the unpadded base64 of the SHA-256 of
// the key blob. It is what a connection pins, so the credentials only go to that server.

const SHA256 = /SHA256:([A-Za-z0-9+/]{43})=?(?![A-Za-z0-9+/])/

const WHERE =
  'Ask the server\'s administrator for "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub" run on the server, or use the SHA256:… line your provider documents.'

export const hostKeyFingerprint: Parser = (value) => {
  // The whole line ssh-keygen -lf prints ("256 SHA256:… comment (ED25519)") is accepted too.
  const found = SHA256.exec(value)
  if (found) return ok(`SHA256:${found[1]}`)
  if (/^MD5:|^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(value))
    return fail(
      `is an MD5 fingerprint; give the SHA256 one (ssh-keygen -E sha256 -lf <host key>.pub prints it). ${WHERE}`,
    )
  if (/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+) AAAA/.test(value) || /\sssh-\S+ AAAA/.test(value))
    return fail(
      'is a public key line, not its fingerprint; pipe it through ssh-keygen -lf - to get the SHA256:… value.',
    )
  return fail(
    `must be a SHA256 fingerprint like SHA256:Txl5FnbQvdagnCIIZeUMBg3pErIjrpg4OHJ+bgzvYm8. ${WHERE}`,
  )
}
