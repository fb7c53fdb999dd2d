import type { EnvMapper } from '../env-plan'

// The Anthropic SDKs and Claude Code read ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL). A stray
// ANTHROPIC_AUTH_TOKEN would be sent instead of the key, so it goes.
export const anthropicEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (secrets.api_key) plan.set.ANTHROPIC_API_KEY = secrets.api_key
  if (config.api_url) plan.set.ANTHROPIC_BASE_URL = config.api_url
  else plan.unset.push('ANTHROPIC_BASE_URL')
  plan.unset.push('ANTHROPIC_AUTH_TOKEN')
}
