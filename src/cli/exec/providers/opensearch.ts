import { tempPath } from '../env-plan'
import type { EnvMapper } from '../env-plan'

// No client reads a standard set of variables for a cluster; these are the names Elastic's own
// examples and tools use (ELASTICSEARCH_URL, _USERNAME, _PASSWORD, _API_KEY), for scripts and
// curl alike. The CA, when given, is a file for curl --cacert and the clients' ca_certs.
export const opensearchEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (config.url) plan.set.ELASTICSEARCH_URL = config.url
  if (config.auth === 'api-key') {
    if (secrets.api_key) plan.set.ELASTICSEARCH_API_KEY = secrets.api_key
  } else {
    if (config.username !== undefined) plan.set.ELASTICSEARCH_USERNAME = config.username
    if (secrets.password !== undefined) plan.set.ELASTICSEARCH_PASSWORD = secrets.password
  }
  if (config.ca_certificate) {
    plan.files.push({ path: 'search-ca.pem', content: config.ca_certificate })
    plan.set.ELASTICSEARCH_CA_CERT = tempPath('search-ca.pem')
  }
}
