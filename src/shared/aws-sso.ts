import { z } from 'zod'
import { accountId } from './providers/aws-shared-fields'
import { ssoRoleName, ssoStartUrl } from './providers/aws-sso-fields'
import type { Parser } from './providers/fields'
import { awsRegions } from './providers/regions'

/** A zod string checked (and normalized) by one of the catalog's field parsers. */
const parsed = (label: string, parse: Parser) =>
  z.string().transform((raw, ctx) => {
    const result = parse(raw.trim())
    if (result.ok) return result.value
    ctx.addIssue({ code: 'custom', message: `${label}: ${result.problem}` })
    return z.NEVER
  })

const region = z.string().refine((value) => awsRegions.some((option) => option.value === value), {
  message: 'Region: pick the region IAM Identity Center is enabled in, such as us-east-1.',
})

const endpoint = z
  .string()
  .url('Endpoint: an http(s) URL.')
  .refine((value) => /^https?:\/\//.test(value), 'Endpoint: an http(s) URL.')

/** Which IAM Identity Center to sign in to; the endpoints are overrides (VPC endpoints, tests). */
export const ssoInstanceSchema = z
  .object({
    startUrl: parsed('Start URL', ssoStartUrl),
    region,
    oidcEndpoint: endpoint.optional(),
    portalEndpoint: endpoint.optional(),
  })
  .strict()

/** What the app shows while waiting: the page to open and the code to confirm there. */
export const ssoSignInStartedSchema = z.object({
  signInId: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string().optional(),
  userCode: z.string(),
  expiresAt: z.string(),
})

export const ssoAccountSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  email: z.string().optional(),
  roles: z.array(z.string()),
})

export const ssoSignedInSchema = z.object({
  startUrl: z.string(),
  region: z.string(),
  accounts: z.array(ssoAccountSchema),
})

/** Connections for the ticked account × permission set pairs, authorized as asked. */
export const ssoCreateConnectionsSchema = z
  .object({
    startUrl: parsed('Start URL', ssoStartUrl),
    region,
    choices: z
      .array(
        z
          .object({
            accountId: parsed('Account', accountId),
            accountName: z.string().min(1).max(100),
            roleName: parsed('Permission set', ssoRoleName),
          })
          .strict(),
      )
      .min(1, 'Tick at least one account and permission set.')
      .max(500),
    environmentIds: z.array(z.string().min(1).max(100)).max(1000).default([]),
    confirmProtected: z.boolean().optional(),
  })
  .strict()

export const ssoCreatedSchema = z.object({ connectionIds: z.array(z.string()) })

/** A sign-in to end: its start URL and region. */
export const ssoSignOutSchema = z
  .object({ startUrl: parsed('Start URL', ssoStartUrl), region })
  .strict()

/** What signing out did (AwsSsoService.signOut). */
export const ssoSignedOutSchema = z.object({
  startUrl: z.string(),
  region: z.string(),
  portal: z.enum(['ended', 'already-ended', 'unreachable']),
  forgottenCredentials: z.number().int().min(0),
})
