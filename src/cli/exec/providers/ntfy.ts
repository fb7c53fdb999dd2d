import type { EnvMapper } from '../env-plan'

// The ntfy CLI reads NTFY_TOKEN and NTFY_USER ("user:password") and takes a topic as a full URL;
// NTFY_TOPIC holds that URL, for the CLI (`ntfy publish "$NTFY_TOPIC" …`) and for curl alike.
export const ntfyEnv: EnvMapper = ({ config, secrets }, plan) => {
  plan.set.NTFY_TOPIC = `${config.server_url ?? 'https://ntfy.sh'}/${secrets.topic ?? ''}`
  if (secrets.access_token) plan.set.NTFY_TOKEN = secrets.access_token
  if (config.username !== undefined && secrets.password !== undefined)
    plan.set.NTFY_USER = `${config.username}:${secrets.password}`
}
