import type { EnvMapper } from '../env-plan'

const AZURE_CLOUDS: Record<string, { authority: string; arm: string }> = {
  public: { authority: 'https://login.microsoftonline.com', arm: 'public' },
  usgovernment: { authority: 'https://login.microsoftonline.us', arm: 'usgovernment' },
  china: { authority: 'https://login.chinacloudapi.cn', arm: 'china' },
}

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
  set('CLIENT_ID', config.client_id)
  set('CLIENT_SECRET', secrets.client_secret)
  plan.set.AZURE_AUTHORITY_HOST = cloud.authority
  plan.set.ARM_ENVIRONMENT = cloud.arm
  if (secrets.client_secret)
    plan.unset.push(
      'AZURE_CLIENT_CERTIFICATE_PATH',
      'AZURE_USERNAME',
      'AZURE_PASSWORD',
      'AZURE_FEDERATED_TOKEN_FILE',
      'ARM_CLIENT_CERTIFICATE_PATH',
      'ARM_USE_MSI',
      'ARM_USE_OIDC',
      'ARM_OIDC_TOKEN',
    )
}
