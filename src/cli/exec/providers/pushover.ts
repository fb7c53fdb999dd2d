import type { EnvMapper } from '../env-plan'

// The names Pushover scripts and notification tools conventionally read.
export const pushoverEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (secrets.app_token) plan.set.PUSHOVER_TOKEN = secrets.app_token
  if (secrets.user_key) plan.set.PUSHOVER_USER = secrets.user_key
  if (config.device) plan.set.PUSHOVER_DEVICE = config.device
}
