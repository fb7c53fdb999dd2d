// Verify and issue-credentials for every provider of the catalog, as the runner dispatches them.
// Each operation takes the operation input (src/shared/operations.ts) as sent by the app, never
// throws, and returns a result with nothing secret in it (issued credentials aside).
import type { ProviderId } from '../../shared/providers'
import { awsOperations } from './aws'
import { azureOperations } from './azure'
import { civoOperations } from './civo'
import { cloudflareOperations } from './cloudflare'
import type { CheckedOperations } from './define-operations'
import { digitaloceanOperations } from './digitalocean'
import { dockerhubOperations } from './dockerhub'
import { ecrOperations } from './ecr'
import { garOperations } from './gar'
import { gcpOperations } from './gcp'
import { gcsStateOperations } from './gcs-state'
import { githubOperations } from './github'
import { gitlabOperations } from './gitlab'
import { httpOperations } from './http'
import { kubernetesOperations } from './kubernetes'
import { postgresOperations } from './postgres'
import { s3StateOperations } from './s3-state'
import { smtpOperations } from './smtp'
import { slackOperations } from './slack'
import { discordOperations } from './discord'
import { telegramOperations } from './telegram'
import { ntfyOperations } from './ntfy'
import { pushbulletOperations } from './pushbullet'
import { pushoverOperations } from './pushover'
import { openaiOperations } from './openai'
import { anthropicOperations } from './anthropic'
import { ollamaOperations } from './ollama'
import { scalewayOperations } from './scaleway'
import { gitOperations } from './git'
import { azureDevopsOperations } from './azure-devops'
import { opensearchOperations } from './opensearch'
import { sftpOperations } from './sftp'
import { smbOperations } from './smb'

export type { CheckedOperations } from './define-operations'

export const providerOperations: Record<ProviderId, CheckedOperations> = {
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
  smtp: smtpOperations,
  slack: slackOperations,
  discord: discordOperations,
  telegram: telegramOperations,
  ntfy: ntfyOperations,
  pushbullet: pushbulletOperations,
  pushover: pushoverOperations,
  openai: openaiOperations,
  anthropic: anthropicOperations,
  ollama: ollamaOperations,
  scaleway: scalewayOperations,
  git: gitOperations,
  'azure-devops': azureDevopsOperations,
  opensearch: opensearchOperations,
  sftp: sftpOperations,
  smb: smbOperations,
}
