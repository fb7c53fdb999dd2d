import { POLICY_VERSION } from './iam-policy'

/** A literal, or a CloudFormation reference to a template parameter. */
export type TemplateValue = string | { Ref: string }

export interface TrustPolicyInput {
  /** The identity Bridgekeep acts as when it assumes the role (a user, a role, or an account). */
  principal: TemplateValue
  externalId: TemplateValue
  /** Only sessions signed in with MFA may assume the role. */
  requireMfa?: boolean
}

export interface TrustPolicy {
  Version: typeof POLICY_VERSION
  Statement: {
    Sid: string
    Effect: 'Allow'
    Principal: { AWS: TemplateValue }
    Action: 'sts:AssumeRole'
    Condition: {
      StringEquals: { 'sts:ExternalId': TemplateValue }
      Bool?: { 'aws:MultiFactorAuthPresent': 'true' }
    }
  }[]
}

/**
 * Who may assume the role: the acting principal only, and only when it presents the external ID
 * (without it, anyone who learns the role ARN and can make that principal act — a confused deputy
 * — could use the role). With requireMfa, "Bool" fails when the key is absent, as it is for
 * sessions without MFA, so they are refused.
 */
export function trustPolicy(input: TrustPolicyInput): TrustPolicy {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: 'BridgekeepAssumeRole',
        Effect: 'Allow',
        Principal: { AWS: input.principal },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'sts:ExternalId': input.externalId },
          ...(input.requireMfa ? { Bool: { 'aws:MultiFactorAuthPresent': 'true' as const } } : {}),
        },
      },
    ],
  }
}

/**
 * A fresh external ID: "bk-" and 32 random bytes in base64url (256 bits; characters STS accepts
 * in an ExternalId). Web Crypto, so the app's page and Node make it the same way.
 */
export function newExternalId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return `bk-${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`
}

const PRINCIPAL_ARN =
  /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:(?:root|user\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}|role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/

/**
 * The principal a trust policy may name: an IAM user or role ARN, or an account's root (any
 * identity of that account its own policies allow). A 12-digit account becomes its root ARN.
 */
export function parsePrincipal(
  value: string,
): { ok: true; arn: string } | { ok: false; problem: string } {
  const text = value.trim()
  if (/^\d{12}$/.test(text)) return { ok: true, arn: `arn:aws:iam::${text}:root` }
  if (PRINCIPAL_ARN.test(text)) return { ok: true, arn: text }
  if (/^arn:[\w-]+:sts::\d{12}:assumed-role\//.test(text))
    return {
      ok: false,
      problem:
        'is an assumed-role session ARN, which a trust policy cannot name lastingly. Use the role it belongs to (arn:aws:iam::<account>:role/<name>); `aws sts get-caller-identity` shows the session.',
    }
  return {
    ok: false,
    problem:
      'must be the ARN of the IAM user or role Bridgekeep acts as (arn:aws:iam::123456789012:user/ci or …:role/runner), or a 12-digit account ID.',
  }
}
