import type { EnvMapper } from '../env-plan'

// The scw CLI, the Scaleway SDKs and Terraform's scaleway provider read SCW_*.
export const scalewayEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (secrets.access_key) plan.set.SCW_ACCESS_KEY = secrets.access_key
  if (secrets.secret_key) plan.set.SCW_SECRET_KEY = secrets.secret_key
  if (config.default_project_id) plan.set.SCW_DEFAULT_PROJECT_ID = config.default_project_id
  if (config.default_organization_id)
    plan.set.SCW_DEFAULT_ORGANIZATION_ID = config.default_organization_id
  if (config.default_region) plan.set.SCW_DEFAULT_REGION = config.default_region
  if (config.default_zone) plan.set.SCW_DEFAULT_ZONE = config.default_zone
  if (config.api_url) plan.set.SCW_API_URL = config.api_url
  // A profile chosen by the caller would fill in what these leave out from another account.
  plan.unset.push('SCW_PROFILE', 'SCW_CONFIG_PATH')
}
