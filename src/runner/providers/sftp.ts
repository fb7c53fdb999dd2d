import { createHash } from 'node:crypto'
import type {
  AnyAuthMethod,
  Client,
  ConnectConfig,
  KeyboardInteractiveCallback,
  Prompt,
  SFTPWrapper,
} from 'ssh2'
import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidInput } from './define-operations'
import { onFirstUse } from './sdk'
import { usablePrivateKey } from './ssh-private-key'

// SFTP: connect, check the server's host key against the pinned fingerprint BEFORE any
// credential is sent (ssh2's hostVerifier runs during the key exchange), sign in with exactly the
// stored method (never "none", never an agent), then list the start directory.

/** ssh2, loaded on the first SFTP verify (./sdk). */
const ssh2 = onFirstUse(async () => (await import('ssh2')).default)

/** OpenSSH's fingerprint of a host key blob: SHA256:<unpadded base64>. */
export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`
}

interface SshError extends Error {
  level?: string
  code?: string | number
}

/** SFTP status codes (draft-ietf-secsh-filexfer-02) the listing can fail with. */
const NO_SUCH_FILE = 2
const PERMISSION_DENIED = 3

function refusedHostKey(where: string, presented: string, pinned: string): OperationFailure {
  return failure(
    'wrong-target',
    `${where} presented the host key ${presented}, not ${pinned} that this connection is pinned to; no credentials were sent.`,
    "Compare that fingerprint with the one the server's administrator or provider gives you. Only if it is theirs (the key was replaced), put it in the connection's Host key fingerprint field.",
  )
}

function classify(error: unknown, where: string, config: Record<string, string>): OperationFailure {
  if (error instanceof OperationFailure) return error
  const { level, message = '' } = error as SshError
  if (level === 'client-authentication')
    return config.auth === 'key'
      ? failure(
          'authentication',
          `${where} refused the private key for user "${config.username}".`,
          "Check the username, and that the key's public half (ssh-keygen -y -f <key>) is in that account's authorized_keys on the server.",
        )
      : failure(
          'authentication',
          `${where} refused the password for user "${config.username}".`,
          'Check the username and password; if the password changed, rotate this connection.',
        )
  if (level === 'client-timeout')
    return failure(
      'unreachable',
      `${where} did not complete the SSH handshake in time.`,
      'Check the host and port (SFTP is usually port 22) and that this machine can reach it.',
    )
  if (level === 'protocol' || /protocol|identification|banner/i.test(message))
    return unexpected(`${where} did not answer as an SSH server (${message.slice(0, 120)}).`)
  if (level === 'handshake')
    return failure(
      'unreachable',
      `${where}: the SSH handshake failed (${message.slice(0, 120)}).`,
      'The server may only offer algorithms too old to be safe; ask its administrator to enable current ones (Ed25519 or ECDSA host keys, curve25519 key exchange).',
    )
  return (
    transportFailure(error, where) ??
    unexpected(`${where} failed in an unexpected way (${message.slice(0, 120)}).`)
  )
}

function listingFailure(error: unknown, where: string, path: string): OperationFailure {
  const code = (error as SshError).code
  if (code === NO_SUCH_FILE)
    return failure(
      'wrong-target',
      `signed in to ${where}, but there is no directory ${path} there.`,
      'Correct the Remote path, or leave it empty to list the start directory.',
    )
  if (code === PERMISSION_DENIED)
    return failure(
      'permission',
      `signed in to ${where}, but the account may not list ${path}.`,
      'Give the account read access to that directory, or choose one it may read.',
    )
  return unexpected(`signed in to ${where}, but listing ${path} failed (${String(code)}).`)
}

/** Resolves the directory and counts its entries. */
function listDirectory(sftp: SFTPWrapper, path: string, where: string) {
  return new Promise<{ directory: string; entries: number }>((resolve, reject) => {
    sftp.realpath(path, (error, directory) => {
      if (error) return reject(listingFailure(error, where, path))
      sftp.readdir(directory, (listError, list) => {
        if (listError) return reject(listingFailure(listError, where, directory))
        resolve({
          directory,
          entries: list.filter((entry) => !/^\.\.?$/.test(entry.filename)).length,
        })
      })
    })
  })
}

function authMethods(
  input: ValidInput,
  parseKey: Parameters<typeof usablePrivateKey>[0],
): AnyAuthMethod[] {
  const { config, secrets } = input
  const username = config.username ?? ''
  if (config.auth === 'key') {
    const key = usablePrivateKey(parseKey, secrets.private_key ?? '', secrets.passphrase)
    return [{ type: 'publickey', username, key }]
  }
  const password = secrets.password ?? ''
  return [
    { type: 'password', username, password },
    // Servers that check passwords through PAM often offer only keyboard-interactive: the
    // password answers its hidden prompts, and nothing else is answered.
    {
      type: 'keyboard-interactive',
      username,
      prompt: (
        _name: string,
        _instructions: string,
        _lang: string,
        prompts: Prompt[],
        finish: KeyboardInteractiveCallback,
      ) => finish(prompts.map((prompt) => (prompt.echo ? '' : password))),
    },
  ]
}

async function verify(input: ValidInput, context: OperationBudget): Promise<Proof> {
  const { config } = input
  const host = config.host ?? ''
  const port = Number(config.port ?? '22')
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const pinned = config.host_key_fingerprint ?? ''
  const { Client, utils } = await ssh2()
  // The key is decrypted before connecting: a wrong passphrase is said without a round trip.
  const authHandler = authMethods(input, utils.parseKey)
  let presented: string | undefined
  const client: Client = new Client()
  const session = new Promise<Proof>((resolve, reject) => {
    client.on('error', (error) =>
      reject(
        presented && presented !== pinned
          ? refusedHostKey(where, presented, pinned)
          : classify(error, where, config),
      ),
    )
    client.on('close', () =>
      reject(unexpected(`${where} closed the connection before SFTP started.`)),
    )
    client.on('ready', () => {
      client.sftp((error, sftp) => {
        if (error)
          return reject(
            failure(
              'unsupported',
              `signed in to ${where}, but the server offers no SFTP there (${error.message.slice(0, 80)}).`,
              'Ask the administrator to enable the sftp subsystem for this account, or use the host and port of the SFTP service.',
            ),
          )
        listDirectory(sftp, config.remote_path || '.', where).then(({ directory, entries }) => {
          resolve({
            identity: {
              label: `${config.username}@${where}`,
              details: {
                server: where,
                user: config.username ?? '',
                hostKey: pinned,
                directory,
                entries: String(entries),
              },
            },
          })
        }, reject)
      })
    })
  })
  const options: ConnectConfig = {
    host,
    port,
    username: config.username ?? '',
    authHandler,
    hostVerifier: (key: Buffer) => {
      presented = sha256Fingerprint(key)
      return presented === pinned
    },
    readyTimeout: context.remainingMs(),
  }
  const abort = () => client.destroy()
  context.signal.addEventListener('abort', abort, { once: true })
  try {
    client.connect(options)
    return await session
  } finally {
    context.signal.removeEventListener('abort', abort)
    client.end()
  }
}

export const sftpOperations = defineOperations('sftp', { verify })
