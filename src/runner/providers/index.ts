// Verify and issue-credentials for every provider of the catalog, as the runner dispatches them.
// Each operation takes the operation input (src/shared/operations.ts) as sent by the app, never
// throws, and returns a result with nothing secret in it (issued credentials aside).
import type { ProviderId } from '../../shared/providers'
import { awsOperations } from './aws'
import { azureOperations } from './azure'
import { civoOperations } from './civo'
import { cloudflareOperations } from './cloudflare'
import { digitaloceanOperations } from './digitalocean'
import { gcpOperations } from './gcp'
import { githubOperations, gitlabOperations } from './git'
import { httpOperations } from './http'
import { kubernetesOperations } from './kubernetes'
import type { ProviderOperations } from './define-operations'
import { postgresOperations } from './postgres'
import { dockerhubOperations, ecrOperations, garOperations } from './registries'
import { gcsStateOperations, s3StateOperations } from './state'

export type { ProviderOperations } from './define-operations'

export const providerOperations: Record<ProviderId, ProviderOperations> = {
  aws: awsOperations,
  gcp: gcpOperations,
  azure: azureOperations,
  digitalocean: digitaloceanOperations,
  civo: civoOperations,
  cloudflare: cloudflareOperations,
  github: githubOperations,
  gitlab: gitlabOperations,
  dockerhub: dockerhubOperations,
  ecr: ecrOperations,
  gar: garOperations,
  's3-state': s3StateOperations,
  'gcs-state': gcsStateOperations,
  kubernetes: kubernetesOperations,
  postgres: postgresOperations,
  http: httpOperations,
}
