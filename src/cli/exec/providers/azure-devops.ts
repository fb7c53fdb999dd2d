import type { EnvMapper } from '../env-plan'

// az devops reads AZURE_DEVOPS_EXT_PAT; Terraform's azuredevops provider AZDO_*.
export const azureDevopsEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (secrets.pat) {
    plan.set.AZURE_DEVOPS_EXT_PAT = secrets.pat
    plan.set.AZDO_PERSONAL_ACCESS_TOKEN = secrets.pat
  }
  if (config.organization_url) plan.set.AZDO_ORG_SERVICE_URL = config.organization_url
}
