import type { EnvMapper } from '../env-plan'
import { basicAuth, dockerConfig } from './docker-config'

export const dockerhubEnv: EnvMapper = ({ config, secrets }, plan) => {
  const registry = config.registry ?? 'docker.io'
  // Docker keeps Docker Hub's credentials under its historical index URL.
  const key = registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry
  dockerConfig(plan, {
    auths: { [key]: { auth: basicAuth(config.username ?? '', secrets.access_token ?? '') } },
  })
}
