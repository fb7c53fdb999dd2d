import type { EnvMapper } from '../env-plan'

// The ollama CLI and its Python and JavaScript libraries read OLLAMA_HOST; the libraries send
// OLLAMA_API_KEY as a bearer token (the CLI sends none).
export const ollamaEnv: EnvMapper = ({ config, secrets }, plan) => {
  plan.set.OLLAMA_HOST = config.base_url ?? 'http://localhost:11434'
  if (secrets.api_key) plan.set.OLLAMA_API_KEY = secrets.api_key
  else plan.unset.push('OLLAMA_API_KEY')
}
