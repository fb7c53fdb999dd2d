import { isIP } from 'node:net'
import type { ConnectionOptions } from 'node:tls'

/** What node-postgres takes as `ssl`: false for none, else Node's TLS options. */
export type Ssl = false | ConnectionOptions

/**
 * A PostgreSQL connection's sslmode as node-postgres options, following libpq: disable and allow
 * start without TLS; prefer and require are unverified (require verifies the CA when one is
 * given, as libpq does with a root certificate); verify-ca checks the CA, verify-full the host
 * name too. Used by the verify operation and by team spaces.
 */
export function sslFor(mode: string, host: string, ca: string | undefined): Ssl {
  if (mode === 'disable' || mode === 'allow') return false
  if (mode === 'verify-full')
    return { ca, rejectUnauthorized: true, ...(isIP(host) ? {} : { servername: host }) }
  if (mode === 'verify-ca' || (mode === 'require' && ca))
    return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
  return { rejectUnauthorized: false }
}
