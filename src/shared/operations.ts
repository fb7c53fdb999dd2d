import { z } from 'zod'
import { providerIds } from './providers/ids'
import type { AuthMode } from './providers/types'

// The operations the runner performs on a connection, as they travel between the app and the
// runner: what goes in (the connection's values, resolved by the app) and what comes back.
// Pure schemas, so the app, the runner and the renderer agree on one shape.

const authModes = ['inline', 'runner-delegated', 'cross-account'] as const satisfies AuthMode[]

const values = z.record(z.string(), z.string().max(65_536))

const connectionValues = {
  provider: z.enum(providerIds),
  authMode: z.enum(authModes),
  /** The non-secret fields, as the catalog normalized them. */
  config: values,
  /** The secret fields of the pinned secret version. The runner uses them and drops them. */
  secrets: values,
}

export const operationInputSchema = z
  .object({
    ...connectionValues,
    /**
     * The connection a borrowing field names (ECR's and the S3 state backend's aws_connection,
     * the GCS state backend's gcp_connection), resolved by the app like any other use.
     */
    linked: z.object(connectionValues).strict().optional(),
    options: z
      .object({
        /** The whole operation's budget; an endpoint that does not answer in time is unreachable. */
        timeoutMs: z.number().int().min(100).max(120_000).optional(),
        /**
         * issue-credentials: the lifetime asked for (the provider may cap it): up to 36 h, AWS's
         * limit for GetSessionToken; the AWS catalog keeps a role's sessions within 12 h.
         */
        durationSeconds: z.number().int().min(900).max(129_600).optional(),
        /**
         * The one-time code of the MFA device (AWS mfa_serial) of the connection that acts (the
         * linked one, for a connection that borrows), typed by the user for this one operation
         * and never stored: issue-credentials starts a session with it, verify assumes a role
         * behind MFA with it.
         */
        mfaCode: z
          .string()
          .regex(/^\d{6}$/, 'The MFA code is the 6 digits the device shows.')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
export type OperationInput = z.infer<typeof operationInputSchema>
export type LinkedConnection = NonNullable<OperationInput['linked']>

export const DEFAULT_TIMEOUT_MS = 10_000

/**
 * Why an operation failed, in the categories users act on. Each comes with a message that starts
 * with its prefix ("Authentication failed: ...") and a remedy sentence.
 */
export const errorClasses = [
  'authentication',
  'permission',
  'expired',
  'wrong-target',
  'unreachable',
  'untrusted-certificate',
  'invalid-config',
  'unsupported',
  'unexpected',
] as const
export type ErrorClass = (typeof errorClasses)[number]

export const errorClassPrefixes: Record<ErrorClass, string> = {
  authentication: 'Authentication failed',
  permission: 'Permission denied',
  expired: 'Credentials expired',
  'wrong-target': 'Wrong target',
  unreachable: 'Endpoint unreachable',
  'untrusted-certificate': 'Untrusted certificate',
  'invalid-config': 'Invalid configuration',
  unsupported: 'Not supported',
  unexpected: 'Unexpected answer',
}

export const operationErrorSchema = z.object({
  class: z.enum(errorClasses),
  /** "<prefix>: what went wrong." Never contains a secret. */
  message: z.string(),
  /** One sentence: what to do about it. */
  remedy: z.string(),
})
export type OperationError = z.infer<typeof operationErrorSchema>

export const identitySchema = z.object({
  /** What a person recognises: an ARN, a client email, a login name, a server version. */
  label: z.string(),
  /** Further facts the provider proved (account, project, tenant, scopes...), by name. */
  details: z.record(z.string(), z.string()),
})
export type Identity = z.infer<typeof identitySchema>

const isoTime = z.iso.datetime({ offset: true })

export const verifyResultSchema = z.object({
  status: z.enum(['healthy', 'failing']),
  identity: identitySchema.optional(),
  /** Wall time of the whole operation in the runner, in milliseconds. */
  latencyMs: z.number().nonnegative(),
  /** When the credential itself expires, where the provider says (a token's expiry date). */
  expiresAt: isoTime.optional(),
  /** What the check did not cover (e.g. "The bucket itself was not checked"). */
  notes: z.array(z.string()).optional(),
  /** What works now but will break a use, with the fix (an AWS capability's missing actions). */
  warnings: z.array(z.string()).optional(),
  error: operationErrorSchema.optional(),
})
export type VerifyResult = z.infer<typeof verifyResultSchema>

/** Short-lived credentials for exec, tagged by kind. */
export const issuedCredentialsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('aws-session'),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    sessionToken: z.string(),
    expiration: isoTime,
  }),
  z.object({ kind: z.literal('gcp-access-token'), token: z.string(), expiresAt: isoTime }),
  z.object({ kind: z.literal('azure-access-token'), token: z.string(), expiresAt: isoTime }),
])
export type IssuedCredentials = z.infer<typeof issuedCredentialsSchema>

/**
 * The providers whose runner operations issue short-lived credentials, and the kind each gives
 * (src/runner/providers/index.test.ts holds the runner to this list). A connection that borrows
 * another's credentials (ECR's and the S3 state backend's aws_connection, the GCS state backend's
 * gcp_connection) gives that connection's kind.
 */
export const issuedKinds = {
  aws: 'aws-session',
  gcp: 'gcp-access-token',
  azure: 'azure-access-token',
  ecr: 'aws-session',
  gar: 'gcp-access-token',
  's3-state': 'aws-session',
  'gcs-state': 'gcp-access-token',
} as const satisfies Partial<Record<(typeof providerIds)[number], IssuedCredentials['kind']>>
export type IssuingProvider = keyof typeof issuedKinds

export function issuesCredentials(provider: string): provider is IssuingProvider {
  return Object.hasOwn(issuedKinds, provider)
}

/** When issued credentials stop working, whatever their kind. */
export function issuedExpiry(issued: IssuedCredentials): string {
  return issued.kind === 'aws-session' ? issued.expiration : issued.expiresAt
}

export const issueResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('issued'),
    credentials: issuedCredentialsSchema,
    latencyMs: z.number().nonnegative(),
  }),
  z.object({
    status: z.literal('failing'),
    error: operationErrorSchema,
    latencyMs: z.number().nonnegative(),
  }),
])
export type IssueResult = z.infer<typeof issueResultSchema>

/**
 * rotate-key, in two steps the app sequences: create a new access key for the user the
 * connection's key belongs to, then (once the new key has been stored and proved) deactivate
 * the old one. Deactivate, not delete: the user deletes it after checking nothing still uses it.
 */
export const keyRotationStepSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('create') }).strict(),
  z.object({ action: z.literal('deactivate'), accessKeyId: z.string().min(16).max(128) }).strict(),
])
export type KeyRotationStep = z.infer<typeof keyRotationStepSchema>

export const keyRotationResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('created'),
    userName: z.string(),
    accessKeyId: z.string(),
    /** The new secret, meant for the app to store as the connection's next version. */
    secretAccessKey: z.string(),
    latencyMs: z.number().nonnegative(),
  }),
  z.object({
    status: z.literal('deactivated'),
    userName: z.string(),
    accessKeyId: z.string(),
    latencyMs: z.number().nonnegative(),
  }),
  z.object({
    status: z.literal('failing'),
    error: operationErrorSchema,
    latencyMs: z.number().nonnegative(),
  }),
])
export type KeyRotationResult = z.infer<typeof keyRotationResultSchema>

/** A CloudFormation stack's name, as CloudFormation allows it. */
export const stackNameSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
    'a stack name starts with a letter and has up to 128 letters, digits and hyphens.',
  )

/**
 * read-stack: the role a cross-account setup's stack created (its RoleArn output), read with the
 * identity the connection acts as before assuming it, once the stack is complete.
 */
export const stackReadResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('read'),
    stackStatus: z.string(),
    roleArn: z.string(),
    latencyMs: z.number().nonnegative(),
  }),
  z.object({
    status: z.literal('failing'),
    error: operationErrorSchema,
    latencyMs: z.number().nonnegative(),
  }),
])
export type StackReadResult = z.infer<typeof stackReadResultSchema>

/**
 * console-sign-in: an AWS console URL from the federation endpoint. The URL signs whoever opens
 * it in until `expiresAt`: like issued credentials it goes to the app only, never to a log.
 */
export const consoleSignInResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('signed-in'),
    url: z.string().url(),
    expiresAt: isoTime,
    principal: z.string(),
    latencyMs: z.number().nonnegative(),
  }),
  z.object({
    status: z.literal('failing'),
    error: operationErrorSchema,
    latencyMs: z.number().nonnegative(),
  }),
])
export type ConsoleSignInResult = z.infer<typeof consoleSignInResultSchema>

/**
 * read-reference: the value a Kubernetes secret reference points at (a Secret's or ConfigMap's
 * key, a value of a Helm release), read with the Kubernetes connection's credentials. The value
 * is a secret meant for the one use that asked: like issued credentials, never logged.
 */
export const referenceReadResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('read'),
    value: z.string(),
    latencyMs: z.number().nonnegative(),
  }),
  z.object({
    status: z.literal('failing'),
    error: operationErrorSchema,
    latencyMs: z.number().nonnegative(),
  }),
])
export type ReferenceReadResult = z.infer<typeof referenceReadResultSchema>
