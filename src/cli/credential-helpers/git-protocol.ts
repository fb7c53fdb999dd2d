import type { CredentialSet } from '../../shared/agent-answers'
import { BridgekeepError } from '../../shared/errors'
import { normalizedHost } from './helper-request'

/**
 * git's credential helper protocol (git-credential(1)): git writes `key=value` lines (protocol,
 * host, path, username...) ended by a blank line or the end of input; `get` answers `username=`
 * and `password=` lines.
 */
export interface GitRequest {
  protocol: string
  /** host[:port], lowercase. */
  host: string
}

const LOOPBACK = /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?::\d+)?$/

/** What git asked for; a malformed request says what is wrong, never quoting it (it may hold a password). */
export function parseGitRequest(text: string): GitRequest {
  const fields = new Map<string, string>()
  const lines = text.split('\n')
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '')
    if (line === '') {
      if (lines.slice(index + 1).some((rest) => rest.trim() !== '')) break
      continue
    }
    const equals = line.indexOf('=')
    if (equals <= 0)
      throw new BridgekeepError(
        'VALIDATION',
        `Line ${index + 1} of git's credential request is not key=value.`,
        'This command is run by git (git config credential.helper "!bridgekeep git-credential --env <env>"); to try it by hand: printf "protocol=https\\nhost=github.com\\n\\n" | bridgekeep git-credential get --env <env>',
      )
    const key = line.slice(0, equals)
    if (!fields.has(key)) fields.set(key, line.slice(equals + 1))
  }
  const fromUrl = fields.has('url') ? urlParts(fields.get('url')!) : undefined
  const protocol = (fields.get('protocol') ?? fromUrl?.protocol ?? '').toLowerCase()
  const hostText = fields.get('host') ?? fromUrl?.host
  if (!protocol || hostText === undefined)
    throw new BridgekeepError(
      'VALIDATION',
      `git's credential request names no ${protocol ? 'host' : 'protocol'}.`,
      'Git sends protocol= and host= lines; by hand: printf "protocol=https\\nhost=github.com\\n\\n" | bridgekeep git-credential get --env <env>',
    )
  const host = normalizedHost(hostText)
  if (host === undefined)
    throw new BridgekeepError(
      'VALIDATION',
      "git's credential request names a host that is not a host name or address (letters, digits, dots, dashes, an optional :port).",
      'Check the remote URL (git remote -v).',
    )
  if (protocol !== 'https' && !(protocol === 'http' && LOOPBACK.test(host)))
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      `Bridgekeep hands git credentials over https only, not ${protocol === 'http' ? 'plain http' : `"${protocol}"`} (host ${host}).`,
      'Use the https:// URL of the remote (git remote set-url origin https://...).',
    )
  return { protocol, host }
}

function urlParts(url: string): { protocol: string; host: string } | undefined {
  try {
    const parsed = new URL(url)
    return { protocol: parsed.protocol.replace(/:$/, ''), host: parsed.host }
  } catch {
    return undefined
  }
}

/**
 * The username and password git sends for a connection. GitHub and GitLab take the token as the
 * password with any username; the names used are the ones their documentation gives for tokens.
 */
export function gitAnswer(credentials: CredentialSet): string {
  const { provider, config, secrets } = credentials
  const [username, password] =
    provider === 'github'
      ? ['x-access-token', secrets.token]
      : provider === 'gitlab'
        ? ['oauth2', secrets.token]
        : [config.username ?? secrets.username, secrets.password]
  if (!username || !password)
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      `This ${provider} connection has no ${username ? 'password' : 'username'} to give git.`,
      'Set its Username and Password (bridgekeep edit / rotate), or use another connection.',
    )
  // One value per line is the protocol: a line break inside one would start another key.
  if (/[\n\r\0]/.test(username + password))
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      `This ${provider} connection's username or password holds a line break, which git's credential protocol cannot carry.`,
      'Rotate it to a value without line breaks.',
    )
  return `username=${username}\npassword=${password}\n`
}
