import { callApi, errorMessage, field, okJson } from './https-check'
import { failure, unexpected } from './failure'
import { header } from './http-client'
import { defineOperations } from './define-operations'

// Azure DevOps: connectionData names the user a token acts as. A token it does not accept is
// not always a 401: the service may answer 203 with its HTML sign-in page, or name an anonymous
// user, and both mean the token was not taken.

export const azureDevopsOperations = defineOperations('azure-devops', {
  async verify({ config, secrets }, context) {
    const base = config.organization_url ?? ''
    const response = await callApi(
      `${base}/_apis/connectionData`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`:${secrets.pat ?? ''}`).toString('base64')}`,
          accept: 'application/json',
        },
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const rejected = failure(
      'authentication',
      'Azure DevOps did not accept the personal access token.',
      'The token may be expired, revoked or for another organization: create a new one under User settings → Personal access tokens and rotate this connection.',
    )
    if (response.status === 203 || /html/i.test(header(response, 'content-type') ?? ''))
      throw rejected
    const body = okJson(response, base, {
      service: 'Azure DevOps',
      ...(errorMessage(response) ? { said: errorMessage(response)! } : {}),
      authentication:
        'The token may be expired, revoked or for another organization: create a new one under User settings → Personal access tokens and rotate this connection.',
      permission: "Check the token's organization and the organization's policies for tokens.",
    })
    const user = body.authenticatedUser
    const name = field(user, 'providerDisplayName')
    const account = field(user, 'properties', 'Account', '$value')
    if (!field(user, 'id')) throw unexpected(`${base} answered without a user.`)
    if (!account && name === 'Anonymous') throw rejected
    return {
      identity: {
        label: account ?? name ?? field(user, 'id') ?? '',
        details: { organization: base, ...(name ? { name } : {}) },
      },
    }
  },
})
