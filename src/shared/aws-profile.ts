import { z } from 'zod'
import { SLUG_PATTERN } from './connections'

/**
 * A profile for ~/.aws/config whose credentials come from `bridgekeep aws credential-process`.
 * Every part ends up in the file as written, so each is held to a pattern that cannot start a
 * new line or section.
 */
export const awsProfileRequestSchema = z
  .object({
    profile: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
        'Profile name: letters, digits, dots, hyphens and underscores, at most 64 characters.',
      ),
    /** The connection's slug and the environment's, as `bridgekeep` takes them. */
    connection: z.string().max(64).regex(SLUG_PATTERN, 'Connection: a slug such as "prod-aws".'),
    environment: z.string().max(40).regex(SLUG_PATTERN, 'Environment: a slug such as "staging".'),
    region: z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/, 'Region: an AWS region such as "eu-west-1".')
      .optional(),
  })
  .strict()

export const awsProfileWriteSchema = awsProfileRequestSchema
  .extend({
    /** Replace that profile's section when the file already has one (the user confirmed it). */
    replace: z.boolean().optional(),
  })
  .strict()

export const awsProfilePreviewSchema = z.object({
  /** The file it goes to: ~/.aws/config, or AWS_CONFIG_FILE. */
  path: z.string(),
  profile: z.string(),
  /** The section as it will be written, lines joined with "\n". */
  section: z.string(),
  /** A profile of that name is already in the file (its settings are not shown: they may be keys). */
  exists: z.boolean(),
})
export type AwsProfilePreview = z.infer<typeof awsProfilePreviewSchema>

export const awsProfileWrittenSchema = z.object({
  path: z.string(),
  profile: z.string(),
  replaced: z.boolean(),
})
export type AwsProfileWritten = z.infer<typeof awsProfileWrittenSchema>

/** `[default]` or `[profile name]`: how the AWS CLI names a profile's section in ~/.aws/config. */
export function sectionHeader(profile: string): string {
  return profile === 'default' ? '[default]' : `[profile ${profile}]`
}

/** The profile's section, line by line: credential_process through bridgekeep, and the region. */
export function profileSection(request: {
  profile: string
  connection: string
  environment: string
  region?: string | undefined
}): string[] {
  return [
    sectionHeader(request.profile),
    `credential_process = bridgekeep aws credential-process ${request.connection} --env ${request.environment}`,
    ...(request.region ? [`region = ${request.region}`] : []),
  ]
}
