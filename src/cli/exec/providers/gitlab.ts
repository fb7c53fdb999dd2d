import type { EnvMapper } from '../env-plan'

export const gitlabEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (!secrets.token) return
  plan.set.GITLAB_TOKEN = secrets.token
  const api = config.api_url ?? 'https://gitlab.com/api/v4'
  if (new URL(api).hostname !== 'gitlab.com') plan.set.GITLAB_HOST = new URL(api).origin
}
