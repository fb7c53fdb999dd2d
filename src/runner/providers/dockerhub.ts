import { defineOperations } from './define-operations'
import { registryLogin } from './registry-login'

export const dockerhubOperations = defineOperations('dockerhub', {
  async verify({ config, secrets }, context) {
    const registry = config.registry ?? 'docker.io'
    const base = registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`
    const service = registry === 'docker.io' ? 'Docker Hub' : `the registry ${registry}`
    const notes = await registryLogin(
      base,
      config.username ?? '',
      secrets.access_token ?? '',
      { ...(config.ca_certificate ? { ca: config.ca_certificate } : {}), service },
      context,
    )
    return {
      identity: {
        label: config.username ?? '',
        details: { username: config.username ?? '', registry },
      },
      ...(notes.length ? { notes } : {}),
    }
  },
})
