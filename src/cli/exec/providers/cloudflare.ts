import type { EnvMapper } from '../env-plan'

// wrangler and the Terraform provider: an API token, or the global key with its email.
export const cloudflareEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (secrets.api_token) {
    plan.set.CLOUDFLARE_API_TOKEN = secrets.api_token
    plan.unset.push('CLOUDFLARE_API_KEY', 'CLOUDFLARE_EMAIL')
  } else if (secrets.global_api_key) {
    plan.set.CLOUDFLARE_API_KEY = secrets.global_api_key
    if (config.email) plan.set.CLOUDFLARE_EMAIL = config.email
    plan.unset.push('CLOUDFLARE_API_TOKEN')
  }
  if (config.account_id) plan.set.CLOUDFLARE_ACCOUNT_ID = config.account_id
}
