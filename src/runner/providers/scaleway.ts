import { callApi, errorMessage, field, isoTime, okJson } from './https-check'
import { defineOperations } from './define-operations'

// Scaleway: the API key's own IAM record (read with its secret) names who it acts as (a user or
// an application) and when it expires. Scaleway answers 401 for a wrong secret and 403 for a
// right one whose policies do not include reading IAM: the latter still proves the key.

const API = 'https://api.scaleway.com'

export const scalewayOperations = defineOperations('scaleway', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? API
    const response = await callApi(
      `${base}/iam/v1alpha1/api-keys/${encodeURIComponent(secrets.access_key ?? '')}`,
      {
        headers: { 'x-auth-token': secrets.secret_key ?? '', accept: 'application/json' },
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const region = config.default_region ?? 'fr-par'
    if (response.status === 403)
      return {
        identity: { label: 'Scaleway API key', details: { region } },
        warnings: [
          'The key is valid, but its policies do not allow reading IAM API keys, so who it acts as and when it expires are unknown.',
        ],
      }
    const key = okJson(response, base, {
      service: 'Scaleway',
      ...(errorMessage(response) ? { said: errorMessage(response)! } : {}),
      authentication:
        'The secret key does not match the access key, or the API key was deleted or expired: generate a new one under IAM → API keys and rotate this connection.',
      permission: 'Give the API key a policy that allows IAMReadOnly.',
    })
    const application = field(key, 'application_id')
    const user = field(key, 'user_id')
    const expiresAt = isoTime(field(key, 'expires_at'))
    const keyProject = field(key, 'default_project_id')
    return {
      identity: {
        label: application
          ? `application ${application}`
          : user
            ? `user ${user}`
            : 'Scaleway API key',
        details: {
          region,
          ...(application ? { application } : {}),
          ...(user ? { user } : {}),
        },
      },
      ...(expiresAt ? { expiresAt } : {}),
      ...(keyProject && config.default_project_id && keyProject !== config.default_project_id
        ? {
            notes: [
              `The API key's preferred project is ${keyProject}; this connection uses ${config.default_project_id}.`,
            ],
          }
        : {}),
    }
  },
})
