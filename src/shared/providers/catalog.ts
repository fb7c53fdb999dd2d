import { aws } from './aws'
import { azure } from './azure'
import { civo } from './civo'
import { cloudflare } from './cloudflare'
import { digitalocean } from './digitalocean'
import { dockerhub } from './dockerhub'
import { ecr } from './ecr'
import { gar } from './gar'
import { gcp } from './gcp'
import { gcsState } from './gcs-state'
import { github } from './github'
import { gitlab } from './gitlab'
import { http } from './http'
import { kubernetes } from './kubernetes'
import { postgres } from './postgres'
import { s3State } from './s3-state'
import { smtp } from './smtp'
import { slack } from './slack'
import { discord } from './discord'
import { telegram } from './telegram'
import { ntfy } from './ntfy'
import { pushbullet } from './pushbullet'
import { pushover } from './pushover'
import { providerIds } from './ids'
import { openai } from './openai'
import { anthropic } from './anthropic'
import { ollama } from './ollama'
import { scaleway } from './scaleway'
import { git } from './git'
import { azureDevops } from './azure-devops'
import { opensearch } from './opensearch'
import { sftp } from './sftp'
import { smb } from './smb'
import type { AuthMode, ProviderCategory, ProviderId, ProviderSpec } from './types'

/** In display order. */
export const providerCategories: readonly ProviderCategory[] = [
  'Cloud Providers',
  'Git',
  'Container Registries',
  'State Backends',
  'Kubernetes',
  'Databases',
  'File Transfer',
  'Generic',
  'Notifications',
  'AI',
]

export const authModeLabels: Record<AuthMode, { label: string; description: string }> = {
  inline: {
    label: 'Stored credentials',
    description:
      'The credentials are stored encrypted in this vault and handed only to the operations that use them.',
  },
  'runner-delegated': {
    label: "Runner's own identity",
    description:
      'Nothing secret is stored: the runner uses the identity of the machine it runs on (instance role, workload identity, managed identity or its CLI login).',
  },
  'cross-account': {
    label: 'Assume a role in another account',
    description:
      "Assumes a role in the target account with an external ID, from the runner's identity or from stored base keys.",
  },
  sso: {
    label: 'IAM Identity Center',
    description:
      'Signs in once with IAM Identity Center (SSO) in the browser; each use gets short-lived credentials of one account and permission set.',
  },
}

// A Record, so adding a ProviderId without a spec fails to compile; the order is ids.ts's.
const catalog = {
  aws,
  gcp,
  azure,
  digitalocean,
  civo,
  cloudflare,
  github,
  gitlab,
  dockerhub,
  ecr,
  gar,
  's3-state': s3State,
  'gcs-state': gcsState,
  kubernetes,
  postgres,
  http,
  smtp,
  slack,
  discord,
  telegram,
  ntfy,
  pushbullet,
  pushover,
  openai,
  anthropic,
  ollama,
  scaleway,
  git,
  'azure-devops': azureDevops,
  opensearch,
  sftp,
  smb,
} satisfies Record<ProviderId, ProviderSpec>

export const providers: readonly ProviderSpec[] = providerIds.map((id) => catalog[id])

const byId = new Map<string, ProviderSpec>(providers.map((provider) => [provider.id, provider]))

export function getProvider(id: string): ProviderSpec | undefined {
  return byId.get(id)
}
