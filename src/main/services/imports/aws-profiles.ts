import { join } from 'node:path'
import { FileReadError, readTextFileLimited } from '../../fs/bounded-read'
import { getProvider, maskSecret, validateConnectionValues } from '../../../shared/providers'
import { parseIni } from './ini'

export interface AwsProfile {
  profile: string
  /** Values for an AWS connection (inline keys), ready for the catalog's validation. */
  values: Record<string, string>
}

export interface AwsProfilePreview {
  profile: string
  /** The access key ID, masked to its last 4 characters. */
  accessKeyId: string
  region?: string
  /** Keys with a session token: they expire. */
  temporary: boolean
  /** Why it cannot be imported as is (a message naming the field), when it cannot. */
  problem?: string
}

export interface AwsFiles {
  credentialsPath: string
  configPath: string
}

/** Where the AWS CLI and SDKs read from: the same environment variables, then ~/.aws. */
export function awsFiles(home: string, env: Record<string, string | undefined>): AwsFiles {
  return {
    credentialsPath: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    configPath: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
  }
}

/**
 * Reads the profiles that hold keys. The files are only read, never written. Returns undefined
 * when there is no credentials file.
 */
export function readAwsProfiles(files: AwsFiles): AwsProfile[] | undefined {
  const credentials = readIfPresent(files.credentialsPath, 'an AWS credentials file')
  if (credentials === undefined) return undefined
  const config = parseIni(readIfPresent(files.configPath, 'an AWS config file') ?? '')
  const profiles: AwsProfile[] = []
  for (const [profile, settings] of parseIni(credentials)) {
    const accessKeyId = settings.get('aws_access_key_id')
    const secretAccessKey = settings.get('aws_secret_access_key')
    if (!accessKeyId && !secretAccessKey) continue
    const configSection = config.get(profile === 'default' ? 'default' : `profile ${profile}`)
    const region = settings.get('region') ?? configSection?.get('region')
    const values: Record<string, string> = {
      access_key_id: accessKeyId ?? '',
      secret_access_key: secretAccessKey ?? '',
    }
    const sessionToken = settings.get('aws_session_token')
    if (sessionToken) values.session_token = sessionToken
    // No region anywhere: the catalog's default (as the create form would suggest).
    const fallback = getProvider('aws')?.fields.find(
      (field) => field.key === 'default_region',
    )?.defaultValue
    if (region ?? fallback) values.default_region = (region ?? fallback)!
    profiles.push({ profile, values })
  }
  return profiles
}

export function previewAwsProfile(profile: AwsProfile): AwsProfilePreview {
  const result = validateConnectionValues('aws', 'inline', profile.values)
  const accessKeyId = profile.values.access_key_id ?? ''
  return {
    profile: profile.profile,
    accessKeyId: accessKeyId ? maskSecret(accessKeyId, true) : '(none)',
    ...(profile.values.default_region ? { region: profile.values.default_region } : {}),
    temporary: Boolean(profile.values.session_token),
    ...(result.ok ? {} : { problem: result.issues.map((issue) => issue.message).join(' ') }),
  }
}

/** The file's text (bounded: AWS_SHARED_CREDENTIALS_FILE may name anything), or undefined. */
function readIfPresent(path: string, what: string): string | undefined {
  try {
    return readTextFileLimited(path, { what })
  } catch (error) {
    if (error instanceof FileReadError && error.reason === 'missing') return undefined
    throw error
  }
}
