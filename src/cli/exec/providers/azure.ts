import { azureSettingVariables, azureTokenVariables } from '../../../shared/token-variables'
import type { EnvMapper } from '../env-plan'

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
  const set = (name: string, value: string | undefined) => {
    if (value === undefined) return
    plan.set[`AZURE_${name}`] = value
    plan.set[`ARM_${name}`] = value
  }
  // An issued token (a short-lived-only connection): the token and the ids, never the secret,
  // nor the client id that would send the SDKs looking for one.
  if (secrets.access_token) {
    Object.assign(plan.set, azureTokenVariables(secrets.access_token, config))
    plan.unset.push(...OTHER_CREDENTIALS, 'AZURE_CLIENT_ID', 'ARM_CLIENT_ID')
    plan.unset.push('AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET')
    return
  }
  Object.assign(plan.set, azureSettingVariables(config))
  set('CLIENT_ID', config.client_id)
  set('CLIENT_SECRET', secrets.client_secret)
  if (secrets.client_secret) plan.unset.push(...OTHER_CREDENTIALS)
}
