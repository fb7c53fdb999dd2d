import { googleCredentials, googleIdentity, googleToken } from './gcp'
import { defineOperations } from './define-operations'
import { registryLogin } from './registry-login'

export const garOperations = defineOperations('gar', {
  async verify(input, context) {
    const { config } = input
    const token = await googleToken(input, context)
    const base = config.registry_url ?? `https://${config.host}`
    const notes = await registryLogin(
      base,
      'oauth2accesstoken',
      token.token,
      {
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
        service: config.host ?? 'Artifact Registry',
      },
      context,
    )
    const identity = googleIdentity(token)
    identity.details.registry = config.host ?? ''
    if (config.repository) identity.details.repository = config.repository
    if (config.repository)
      notes.push('Access to the repository itself was not checked; the login to the registry was.')
    return { identity, ...(notes.length ? { notes } : {}) }
  },
  issueCredentials: async (input, context) => googleCredentials(await googleToken(input, context)),
})
