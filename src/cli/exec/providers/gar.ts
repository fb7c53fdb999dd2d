import type { EnvMapper } from '../env-plan'
import { basicAuth, dockerConfig } from './docker-config'
import { googleKey, googleProject } from './gcp'

export const garEnv: EnvMapper = ({ config, secrets }, plan) => {
  const key = secrets.service_account_key ?? ''
  googleProject(plan, googleKey(plan, key, 'gar-key.json'))
  dockerConfig(plan, {
    auths: { [config.host ?? '']: { auth: basicAuth('_json_key', key) } },
  })
}
