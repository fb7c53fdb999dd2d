import { defineField, fail, host, integer, notAnOption, singleLine } from './fields'
import type { Parser } from './fields'
import { hostKeyFingerprint } from './host-key-fingerprint'
import { password } from './postgres'
import { sshKeyIsEncrypted, sshPrivateKeyWithPassphrase } from './ssh-key'
import type { AuthMode, CheckContext, FieldIssue, ProviderSpec } from './types'

// An SFTP login, pinned to the server's host key: Verify (runner's sftp.ts) refuses to sign in
// anywhere the key does not match, so the credentials never reach an impostor.

const withPassword = { field: 'auth', values: ['password'] }
const withKey = { field: 'auth', values: ['key'] }

/** ssh's login name rules are loose; what breaks "user@host" and scp-like addresses is not. */
const loginName: Parser = notAnOption((value) =>
  /[\s@:/\\]/.test(value)
    ? fail(
        'must be the login name alone, without spaces, "@", ":" or slashes (e.g. deploy, not deploy@files.example.com).',
      )
    : singleLine(256)(value),
)

const remotePath: Parser = (value) =>
  value.includes('\\')
    ? fail('uses "/" between directories on an SFTP server, e.g. /upload/reports.')
    : singleLine(1024)(value)

const privateKey = defineField({
  key: 'private_key',
  label: 'Private key',
  secret: true,
  required: true,
  input: 'textarea',
  acceptsFile: true,
  showWhen: withKey,
  help: "The private key whose public half is in the account's authorized_keys on the server: OpenSSH format (ssh-keygen's default) or an RSA/EC key in PEM, with or without a passphrase.",
  missing: 'Paste the private key file (e.g. ~/.ssh/id_ed25519, not the .pub file) or choose it.',
  parse: sshPrivateKeyWithPassphrase,
})
const passphrase = defineField({
  key: 'passphrase',
  label: 'Key passphrase',
  secret: true,
  showWhen: withKey,
  help: "The private key's passphrase, if it has one (ssh-keygen asked for it when the key was made). Empty for a key without one.",
  parse: password,
})

function check(
  values: Readonly<Record<string, string>>,
  _authMode: AuthMode,
  context?: CheckContext,
): FieldIssue[] {
  const key = values[privateKey.key]
  // Editing with the key kept: its content is unknown here, so nothing can be said about it.
  if (values.auth !== 'key' || key === undefined) return []
  const hasPassphrase =
    values[passphrase.key] !== undefined || (context?.kept.has(passphrase.key) ?? false)
  if (sshKeyIsEncrypted(key) && !hasPassphrase)
    return [
      {
        field: passphrase.key,
        message:
          'Key passphrase: required, because the private key is protected by one. Enter it, or give a copy of the key without one.',
      },
    ]
  if (!sshKeyIsEncrypted(key) && values[passphrase.key] !== undefined)
    return [
      {
        field: passphrase.key,
        message:
          'Key passphrase: the private key is not protected by a passphrase, so none is used. Leave this empty.',
      },
    ]
  return []
}

export const sftp: ProviderSpec = {
  id: 'sftp',
  label: 'SFTP',
  category: 'File Transfer',
  description:
    "An SFTP login (host, user, password or private key), pinned to the server's host key fingerprint.",
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'host',
      label: 'Host',
      required: true,
      example: 'files.example.com',
      help: "The SFTP server's host name or IP address, e.g. a Hetzner Storage Box (u123456.your-storagebox.de) or an AWS Transfer Family endpoint.",
      missing:
        "Enter the server's host name, e.g. files.example.com (the provider's connection details name it).",
      parse: host('files.example.com'),
    }),
    defineField({
      key: 'port',
      label: 'Port',
      input: 'number',
      example: '22',
      defaultValue: '22',
      help: 'The TCP port; 22 unless the provider says otherwise (Hetzner Storage Box: 23).',
      parse: integer(1, 65535),
    }),
    defineField({
      key: 'username',
      label: 'Username',
      required: true,
      example: 'deploy',
      help: 'The account to sign in as (sftp user@host takes the part before "@").',
      missing: 'Enter the login name the server knows, e.g. deploy.',
      parse: loginName,
    }),
    defineField({
      key: 'auth',
      label: 'Sign in with',
      required: true,
      options: [
        { value: 'password', label: 'Password' },
        { value: 'key', label: 'Private key' },
      ],
      defaultValue: 'password',
      help: 'A password, or a private key whose public key the server has in authorized_keys (preferred).',
    }),
    defineField({
      key: 'password',
      label: 'Password',
      secret: true,
      required: true,
      showWhen: withPassword,
      help: "The account's password.",
      missing: "Enter the account's password.",
      parse: password,
    }),
    privateKey,
    passphrase,
    defineField({
      key: 'host_key_fingerprint',
      label: 'Host key fingerprint',
      required: true,
      example: 'SHA256:Txl5FnbQvdagnCIIZeUMBg3pErIjrpg4OHJ+bgzvYm8',
      help: 'The server\'s SSH host key fingerprint (SHA256:…), as "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub" prints it on the server or your provider publishes it. Nothing is sent to a server whose key does not match; Verify then shows the fingerprint it found, to compare.',
      missing:
        'Enter the SHA256:… fingerprint of the server\'s host key: ask its administrator for "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub", or see the provider\'s documentation.',
      parse: hostKeyFingerprint,
    }),
    defineField({
      key: 'remote_path',
      label: 'Remote path',
      example: '/upload',
      help: "The directory Verify lists and tools start in. Empty: the account's start (home) directory.",
      parse: remotePath,
    }),
  ],
  check,
}
