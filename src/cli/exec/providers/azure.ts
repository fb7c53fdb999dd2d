import type { EnvMapper } from '../env-plan'

const AZURE_CLOUDS: Record<string, { authority: string; arm: string }> = {
  public: { authority: 'https://login.microsoftonline.com', arm: 'public' },
  usgovernment: { authority: 'https://login.microsoftonline.us', arm: 'usgovernment' },
  china: { authority: 'https://login.chinacloudapi.cn', arm: 'china' },
}

/** Variables through which az, the SDKs and Terraform would find other credentials. */
const OTHER_CREDENTIALS = [
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  'ARM_CLIENT_CERTIFICATE_PATH',
  'ARM_USE_MSI',
  'ARM_USE_OIDC',
  'ARM_OIDC_TOKEN',
]

/** AZURE_* for az and the Azure SDKs, ARM_* for Terraform. */
export const azureEnv: EnvMapper = ({ config, secrets }, plan) => {
  const cloud = AZURE_CLOUDS[config.cloud ?? 'public'] ?? AZURE_CLOUDS.public!
  const set = (name: string, value: string | undefined) => {
    if (value === undefined) return
    plan.set[`AZURE_${name}`] = value
    plan.set[`ARM_${name}`] = value
  }
  set('TENANT_ID', config.tenant_id)
  set('SUBSCRIPTION_ID', config.subscription_id)
  plan.set.AZURE_AUTHORITY_HOST = cloud.authority
  plan.set.ARM_ENVIRONMENT = cloud.arm
  // An issued token (a short-lived-only connection): the token and the ids, never the secret,
  // nor the client id that would send the SDKs looking for one.
  if (secrets.access_token) {
    plan.set.AZURE_ACCESS_TOKEN = secrets.access_token
    plan.unset.push(...OTHER_CREDENTIALS, 'AZURE_CLIENT_ID', 'ARM_CLIENT_ID')
    plan.unset.push('AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET')
    return
  }
  set('CLIENT_ID', config.client_id)
  set('CLIENT_SECRET', secrets.client_secret)
  if (secrets.client_secret) plan.unset.push(...OTHER_CREDENTIALS)
}
