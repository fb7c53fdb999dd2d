import { tempPath, type EnvMapper } from '../env-plan'

/** Fills $(username) and $(password) in a generic HTTP template (URL-encoded in the URL). */
function fill(template: string, values: Record<string, string | undefined>, encode: boolean) {
  return template.replace(/\$\((username|password)\)/g, (_, name: string) => {
    const value = values[name] ?? ''
    return encode ? encodeURIComponent(value) : value
  })
}

// No tool has standard variables for an arbitrary endpoint: Bridgekeep's own, filled in.
export const httpEnv: EnvMapper = ({ config, secrets }, plan) => {
  const values = { username: config.username, password: secrets.password }
  plan.set.BRIDGEKEEP_HTTP_URL = fill(config.url ?? '', values, true)
  plan.set.BRIDGEKEEP_HTTP_METHOD = config.method ?? 'GET'
  if (config.headers) plan.set.BRIDGEKEEP_HTTP_HEADERS = fill(config.headers, values, false)
  if (config.username !== undefined) plan.set.BRIDGEKEEP_HTTP_USERNAME = config.username
  if (secrets.password !== undefined) plan.set.BRIDGEKEEP_HTTP_PASSWORD = secrets.password
  if (secrets.client_certificate) {
    plan.files.push({ path: 'http-client.pem', content: secrets.client_certificate })
    plan.set.BRIDGEKEEP_HTTP_CLIENT_CERT = tempPath('http-client.pem')
  }
  if (config.insecure_tls === 'true') plan.set.BRIDGEKEEP_HTTP_INSECURE_TLS = 'true'
}
