import type { EnvMapper } from '../env-plan'

// The civo CLI and Terraform provider read CIVO_TOKEN (and CIVO_REGION).
export const civoEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (secrets.api_key) plan.set.CIVO_TOKEN = secrets.api_key
  if (config.default_region) plan.set.CIVO_REGION = config.default_region
}
