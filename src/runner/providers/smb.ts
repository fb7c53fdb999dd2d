import { execFile } from 'node:child_process'
import type { ExecFileException } from 'node:child_process'
import type { OperationFailure } from './failure'
import { failure, unexpected } from './failure'
import type { ErrorClass } from '../../shared/operations'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidInput } from './define-operations'

// SMB: Samba's smbclient signs in and lists the share's top directory (`-c ls`). The password
// reaches it through its PASSWD environment variable, never the command line (where any user
// could read it in the process list) nor a file. The environment is otherwise empty, so no
// Kerberos ticket or USER of the runner's own account can stand in for the stored login.

const SMBCLIENT = 'smbclient'

interface Outcome {
  code: number | string | null
  stdout: string
  stderr: string
}

/** The exit code, or why smbclient did not finish (not found, out of time, aborted). */
function outcomeCode(error: ExecFileException): number | string {
  if (error.killed) return 'ETIMEDOUT'
  return error.code ?? error.name
}

function run(args: string[], password: string, context: OperationBudget): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      SMBCLIENT,
      args,
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          PASSWD: password,
          KRB5CCNAME: 'MEMORY:bridgekeep-verify',
          LC_ALL: 'C',
        },
        signal: context.signal,
        timeout: context.remainingMs(),
        maxBuffer: 4 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => resolve({ code: error ? outcomeCode(error) : 0, stdout, stderr }),
    )
  })
}

/** What each NT status smbclient reports means for the user. */
const STATUSES: Record<string, [ErrorClass, string, string]> = {
  NT_STATUS_LOGON_FAILURE: [
    'authentication',
    'refused the username and password',
    'Check the username, domain and password; if the password changed, rotate this connection.',
  ],
  NT_STATUS_WRONG_PASSWORD: [
    'authentication',
    'refused the password',
    'Check the password; if it changed, rotate this connection.',
  ],
  NT_STATUS_NO_SUCH_USER: [
    'authentication',
    'does not know this user',
    'Check the username and the Domain field (empty for an account of the server itself).',
  ],
  NT_STATUS_ACCOUNT_DISABLED: [
    'authentication',
    'says the account is disabled',
    'Ask the administrator to enable the account.',
  ],
  NT_STATUS_ACCOUNT_LOCKED_OUT: [
    'authentication',
    'says the account is locked out (too many wrong passwords)',
    'Wait for the lockout to end or ask the administrator to unlock it, then check the password.',
  ],
  NT_STATUS_PASSWORD_EXPIRED: [
    'expired',
    'says the password has expired',
    'Change the password on the domain, then rotate this connection.',
  ],
  NT_STATUS_PASSWORD_MUST_CHANGE: [
    'expired',
    'wants the password changed before it is used',
    'Change the password on the domain, then rotate this connection.',
  ],
  NT_STATUS_ACCESS_DENIED: [
    'permission',
    'signed the user in, but refused access to the share',
    'Ask the administrator to give the account read access to the share.',
  ],
  NT_STATUS_BAD_NETWORK_NAME: [
    'wrong-target',
    'has no share of that name',
    'Check the Share field (smbclient -L <host> lists the shares).',
  ],
  NT_STATUS_CONNECTION_REFUSED: [
    'unreachable',
    'refused the connection (nothing listens there)',
    'Check the host and port (SMB is port 445) and that this machine can reach it (VPN, firewall).',
  ],
  NT_STATUS_IO_TIMEOUT: [
    'unreachable',
    'did not answer in time',
    'Check the host and port and that this machine can reach it (VPN, firewall).',
  ],
  NT_STATUS_HOST_UNREACHABLE: [
    'unreachable',
    'is unreachable',
    'Check the host and that this machine can reach it (VPN, firewall).',
  ],
  NT_STATUS_NETWORK_UNREACHABLE: [
    'unreachable',
    'is on an unreachable network',
    'Check the host and that this machine can reach it (VPN, firewall).',
  ],
  NT_STATUS_CONNECTION_RESET: [
    'unreachable',
    'reset the connection',
    'Check that the port is an SMB server (445) and that the server accepts SMB2 or later.',
  ],
  NT_STATUS_CONNECTION_DISCONNECTED: [
    'unreachable',
    'closed the connection',
    'Check that the port is an SMB server (445) and that the server accepts SMB2 or later.',
  ],
  NT_STATUS_INVALID_NETWORK_RESPONSE: [
    'unexpected',
    'did not answer as an SMB server',
    "Check the host and port: they should be the file server's SMB service (445).",
  ],
}

// A listing line: two spaces, the name, attribute letters, size, then a date like
// "Mon Dec  7 07:51:38 2026".
const ENTRY = /^ {2}(.+?)\s+[A-Z]*\s+\d+\s+\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/

function classify(outcome: Outcome, where: string): OperationFailure {
  const said = `${outcome.stdout}\n${outcome.stderr}`
  const status = /NT_STATUS_[A-Z_]+/.exec(said)?.[0]
  const known = status ? STATUSES[status] : undefined
  if (known) return failure(known[0], `${where} ${known[1]} (${status}).`, known[2])
  if (outcome.code === 'ENOENT')
    return failure(
      'unsupported',
      "smbclient is not installed on the runner's machine; it is what signs in to SMB shares.",
      "Install Samba's client on that machine (Debian/Ubuntu: apt-get install smbclient; Fedora: dnf install samba-client; macOS: brew install samba).",
    )
  if (outcome.code === 'ABORT_ERR' || outcome.code === 'ETIMEDOUT')
    return failure(
      'unreachable',
      `${where} did not answer in time.`,
      'Check the host and port and that this machine can reach it (VPN, firewall).',
    )
  const line = (status ?? said.trim().split('\n').at(-1) ?? '').slice(0, 160)
  return unexpected(
    `smbclient could not list ${where} (${line || `exit ${String(outcome.code)}`}).`,
  )
}

async function verify({ config, secrets }: ValidInput, context: OperationBudget): Promise<Proof> {
  const host = config.host ?? ''
  const port = config.port ?? '445'
  const share = config.share ?? ''
  const unc = `//${host.includes(':') ? `[${host}]` : host}/${share}`
  const where = `${unc} (port ${port})`
  const args = [unc, '-p', port, '-U', config.username ?? '', '-c', 'ls']
  if (config.domain) args.push('-W', config.domain)
  const outcome = await run(args, secrets.password ?? '', context)
  if (outcome.code !== 0) throw classify(outcome, where)
  const names = outcome.stdout
    .split('\n')
    .map((line) => ENTRY.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== '.' && name !== '..')
  const user = config.domain ? `${config.domain}\\${config.username}` : (config.username ?? '')
  return {
    identity: {
      label: `${user} on ${unc}`,
      details: { server: `${host}:${port}`, share, user, entries: String(names.length) },
    },
  }
}

export const smbOperations = defineOperations('smb', { verify })
