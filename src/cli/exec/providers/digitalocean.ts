import type { EnvMapper } from '../env-plan'

export const digitaloceanEnv: EnvMapper = ({ secrets }, plan) => {
  // Terraform reads DIGITALOCEAN_TOKEN, doctl DIGITALOCEAN_ACCESS_TOKEN.
  if (secrets.api_token) {
    plan.set.DIGITALOCEAN_TOKEN = secrets.api_token
    plan.set.DIGITALOCEAN_ACCESS_TOKEN = secrets.api_token
  }
  if (secrets.spaces_access_key_id && secrets.spaces_secret_key) {
    plan.set.SPACES_ACCESS_KEY_ID = secrets.spaces_access_key_id
    plan.set.SPACES_SECRET_ACCESS_KEY = secrets.spaces_secret_key
  }
}
