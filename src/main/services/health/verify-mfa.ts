import type { LinkedConnection } from '../../../shared/operations'
import type { MfaNeed } from '../issued-sessions/mfa-code'

/** A connection as a check sends it, with the id and name a prompt names it by. */
export interface CheckedConnection extends LinkedConnection {
  id: string
  name: string
}

/**
 * The MFA device a check needs a code for: that of a cross-account role behind MFA, the
 * connection's own or the AWS connection it borrows (ECR, S3 state). Any other connection with a
 * device proves its key with GetCallerIdentity, which AWS answers without MFA: no code is asked.
 */
export function roleBehindMfa(
  own: CheckedConnection,
  borrowed: CheckedConnection | undefined,
): MfaNeed | undefined {
  const acting = borrowed ?? own
  const serial = acting.config.mfa_serial
  if (acting.provider !== 'aws' || acting.authMode !== 'cross-account' || !serial) return undefined
  return { connectionId: acting.id, connection: acting.name, serial, purpose: 'verify' }
}
