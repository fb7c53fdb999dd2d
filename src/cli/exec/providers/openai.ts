import type { EnvMapper } from '../env-plan'

// The OpenAI SDKs (Python, Node) and the openai CLI read these; OPENAI_BASE_URL only when the
// connection points elsewhere than the public API.
export const openaiEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (secrets.api_key) plan.set.OPENAI_API_KEY = secrets.api_key
  if (config.organization_id) plan.set.OPENAI_ORG_ID = config.organization_id
  if (config.project_id) plan.set.OPENAI_PROJECT_ID = config.project_id
  if (config.api_url) plan.set.OPENAI_BASE_URL = config.api_url
  else plan.unset.push('OPENAI_BASE_URL')
}
