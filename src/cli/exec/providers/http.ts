import { BridgekeepError } from '../../../shared/errors'
import {
  fillPlaceholders,
  httpUrl,
  propertyPairs,
  propertyVariable,
} from '../../../shared/providers/http-request'
import { tempPath, type EnvMapper } from '../env-plan'

// No tool has standard variables for an arbitrary endpoint: Bridgekeep's own, filled in. The URL
// is the one verify calls (placeholders filled URL-encoded, or taken whole from Password, and
// the port applied); headers are filled as they are sent.
export const httpEnv: EnvMapper = ({ config, secrets }, plan) => {
  const values = { username: config.username, password: secrets.password }
  plan.set.BRIDGEKEEP_HTTP_URL = httpUrl(config, secrets)
  plan.set.BRIDGEKEEP_HTTP_METHOD = config.method ?? 'GET'
  if (config.port) plan.set.BRIDGEKEEP_HTTP_PORT = config.port
  if (config.headers)
    plan.set.BRIDGEKEEP_HTTP_HEADERS = fillPlaceholders(config.headers, values, false)
  if (config.username !== undefined) plan.set.BRIDGEKEEP_HTTP_USERNAME = config.username
  if (secrets.password !== undefined) plan.set.BRIDGEKEEP_HTTP_PASSWORD = secrets.password
  if (secrets.client_certificate) {
    plan.files.push({ path: 'http-client.pem', content: secrets.client_certificate })
    plan.set.BRIDGEKEEP_HTTP_CLIENT_CERT = tempPath('http-client.pem')
  }
  if (config.insecure_tls === 'true') plan.set.BRIDGEKEEP_HTTP_INSECURE_TLS = 'true'
  for (const [name, value] of propertyPairs(config.properties)) {
    const variable = propertyVariable(name)
    // Refused when saved; a connection stored otherwise (an old import) is refused here too.
    if (plan.set[variable] !== undefined)
      throw new BridgekeepError(
        'VALIDATION',
        `Two properties of this HTTP connection would both be ${variable}.`,
        'Edit the connection and rename one of them.',
      )
    plan.set[variable] = value
  }
}
