import type { EnvMapper } from '../env-plan'

export const githubEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (!secrets.token) return
  plan.set.GITHUB_TOKEN = secrets.token
  plan.set.GH_TOKEN = secrets.token
  const api = config.api_url ?? 'https://api.github.com'
  if (new URL(api).hostname !== 'api.github.com') {
    // GitHub Enterprise Server: gh reads GH_HOST and GH_ENTERPRISE_TOKEN.
    plan.set.GH_HOST = new URL(api).host
    plan.set.GH_ENTERPRISE_TOKEN = secrets.token
    plan.set.GITHUB_API_URL = api
  }
}
