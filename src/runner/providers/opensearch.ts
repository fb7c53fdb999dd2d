import { callApi, errorMessage, field, okJson, statusFailure } from './https-check'
import type { ApiCall, StatusRemedies } from './https-check'
import { unexpected } from './failure'
import { endpointName } from './http-client'
import { defineOperations } from './define-operations'
import type { Proof } from './define-operations'

// OpenSearch and Elasticsearch: the cluster's health names it and its state. A user without the
// cluster-monitor privilege is refused there (403) yet signed in; the root endpoint (name and
// version) then proves the credentials.

export const opensearchOperations = defineOperations('opensearch', {
  async verify({ config, secrets }, context): Promise<Proof> {
    const base = config.url ?? ''
    const where = endpointName(base)
    const call: ApiCall = {
      headers: {
        accept: 'application/json',
        authorization:
          config.auth === 'api-key'
            ? `ApiKey ${secrets.api_key ?? ''}`
            : `Basic ${Buffer.from(`${config.username ?? ''}:${secrets.password ?? ''}`).toString('base64')}`,
      },
      ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
    }
    const remedies = (said: string | undefined): StatusRemedies => ({
      service: where,
      ...(said ? { said } : {}),
      authentication:
        config.auth === 'api-key'
          ? 'The API key may be expired or invalidated: create a new one and rotate this connection.'
          : 'Check the username and password, and rotate the connection if the password changed.',
      permission: 'Give the user or key a role that may read the cluster (cluster:monitor).',
    })
    const health = await callApi(`${base}/_cluster/health`, call, context)
    if (health.status === 403) {
      const root = await callApi(`${base}/`, call, context)
      if (root.status !== 200) throw statusFailure(health, where, remedies(errorMessage(health)))
      const info = okJson(root, where, remedies(undefined))
      const name = field(info, 'cluster_name')
      if (!name) throw unexpected(`${where} answered without a cluster name.`)
      return {
        identity: { label: name, details: { version: field(info, 'version', 'number') ?? '' } },
        notes: ['The credentials may not read the cluster health; only sign-in was checked.'],
      }
    }
    const state = okJson(health, where, remedies(errorMessage(health)))
    const name = field(state, 'cluster_name')
    const status = field(state, 'status')
    if (!name || !status) throw unexpected(`${where} answered without the cluster's health.`)
    return {
      identity: { label: name, details: { status } },
      ...(status === 'red'
        ? { warnings: ['The cluster is red: some primary shards are not allocated.'] }
        : {}),
    }
  },
})
