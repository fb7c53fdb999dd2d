import {
  formatSessionMinutes,
  parseSessionMinutes,
  SESSION_DURATION_FIELD,
} from '../aws/session-duration'
import { defineField, fail, ok, quote } from './fields'
import type { Parser } from './fields'

// The fields that shape the sessions tools get from a connection's stored keys or its role: how
// long they last, and the MFA device whose code Bridgekeep asks for before it starts one. Both
// apply to inline and cross-account mode; the role's shorter limit is the provider's check.

const MFA_DEVICE_ARN =
  /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:mfa\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/
const HARDWARE_SERIAL = /^[A-Z0-9]{9,32}$/
const MFA_EXAMPLE = 'arn:aws:iam::123456789012:mfa/alice'

/** A virtual MFA device's ARN, or a hardware token's serial number (what STS takes as SerialNumber). */
const mfaSerial: Parser = (value) => {
  if (MFA_DEVICE_ARN.test(value) || HARDWARE_SERIAL.test(value)) return ok(value)
  if (/^arn:[\w-]+:iam::\d{12}:(?:user|role)\//.test(value))
    return fail(
      `is a user or role ARN, not an MFA device's. Copy the device's identifier from IAM → Users → the user → Security credentials → Multi-factor authentication, e.g. ${MFA_EXAMPLE}.`,
    )
  return fail(
    `${quote(value)} is not an MFA device: use the virtual device's ARN (arn:aws:iam::<12-digit account>:mfa/<name>, e.g. ${MFA_EXAMPLE}) or a hardware token's serial number (e.g. GAHT12345678).`,
  )
}

/** How long the sessions tools get last (a use-only or short-lived-only connection, a role's). */
export const sessionDurationField = defineField({
  key: SESSION_DURATION_FIELD,
  label: 'Session duration',
  advanced: true,
  authModes: ['inline', 'cross-account'],
  example: '1h',
  placeholder: '1h (the default); e.g. 15m, 4h, 1h30m',
  help: "How long the short-lived credentials handed to tools last: the assumed role's session (cross-account), or the session issued from the stored keys when tools get short-lived credentials only. 15 minutes to 12 hours for a role, and no longer than the role's Maximum session duration; up to 36 hours for an IAM user's keys. Empty: 1 hour.",
  parse: (value) => {
    const parsed = parseSessionMinutes(value)
    return parsed.ok ? ok(formatSessionMinutes(parsed.minutes)) : fail(parsed.problem)
  },
})

export const mfaDeviceField = defineField({
  key: 'mfa_serial',
  label: 'MFA device',
  authModes: ['inline', 'cross-account'],
  example: MFA_EXAMPLE,
  help: "Optional: the MFA device of the IAM user whose keys are stored (its ARN, or a hardware token's serial). Bridgekeep then asks for the device's 6-digit code whenever it needs a new session (GetSessionToken, or AssumeRole for a role that requires MFA), and keeps the session, sealed, until shortly before it expires. Tools get only the session.",
  parse: mfaSerial,
})
