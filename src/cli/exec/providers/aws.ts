import type { CredentialSet, EnvMapper, EnvPlan } from '../env-plan'

/** Variables through which the AWS SDKs would find other credentials than the ones given. */
const AWS_OTHER_CREDENTIALS = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
]

/**
 * A config key an STS endpoint override would have. The catalog has no such field today; the
 * caller's own AWS_ENDPOINT_URL_STS passes through unchanged.
 */
export const STS_ENDPOINT_FIELD = 'sts_endpoint'

/** Access keys (and their region) for the AWS CLI and SDKs; also used by ECR and S3 state. */
export function awsKeys(
  plan: EnvPlan,
  keys: { id?: string; secret?: string; token?: string },
  region: string | undefined,
): void {
  if (keys.id && keys.secret) {
    plan.set.AWS_ACCESS_KEY_ID = keys.id
    plan.set.AWS_SECRET_ACCESS_KEY = keys.secret
    if (keys.token) plan.set.AWS_SESSION_TOKEN = keys.token
    plan.unset.push(...AWS_OTHER_CREDENTIALS)
  }
  if (region) {
    plan.set.AWS_REGION = region
    plan.set.AWS_DEFAULT_REGION = region
  }
}

/** An AWS connection's credentials, in its own default region unless `region` is given. */
export function awsFrom(credentials: CredentialSet, plan: EnvPlan, region?: string): void {
  const { secrets, config } = credentials
  awsKeys(
    plan,
    {
      id: secrets.access_key_id,
      secret: secrets.secret_access_key,
      token: secrets.session_token,
    },
    region ?? config.default_region,
  )
  const sts = config[STS_ENDPOINT_FIELD]
  if (sts) plan.set.AWS_ENDPOINT_URL_STS = sts
}

export const awsEnv: EnvMapper = (credentials, plan) => awsFrom(credentials, plan)
