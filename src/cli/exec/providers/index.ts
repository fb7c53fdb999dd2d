// How each provider's connection becomes environment variables and files for `bridgekeep exec`:
// one file per provider id, named after it.
import type { ProviderId } from '../../../shared/providers'
import type { EnvMapper } from '../env-plan'
import { awsEnv } from './aws'
import { azureEnv } from './azure'
import { civoEnv } from './civo'
import { cloudflareEnv } from './cloudflare'
import { digitaloceanEnv } from './digitalocean'
import { dockerhubEnv } from './dockerhub'
import { ecrEnv } from './ecr'
import { garEnv } from './gar'
import { gcpEnv } from './gcp'
import { gcsStateEnv } from './gcs-state'
import { githubEnv } from './github'
import { gitlabEnv } from './gitlab'
import { httpEnv } from './http'
import { kubernetesEnv } from './kubernetes'
import { postgresEnv } from './postgres'
import { s3StateEnv } from './s3-state'
import { smtpEnv } from './smtp'
import { slackEnv } from './slack'
import { discordEnv } from './discord'
import { telegramEnv } from './telegram'
import { ntfyEnv } from './ntfy'
import { pushbulletEnv } from './pushbullet'
import { pushoverEnv } from './pushover'
import { openaiEnv } from './openai'
import { anthropicEnv } from './anthropic'
import { ollamaEnv } from './ollama'
import { scalewayEnv } from './scaleway'
import { gitEnv } from './git'
import { azureDevopsEnv } from './azure-devops'
import { opensearchEnv } from './opensearch'
import { sftpEnv } from './sftp'
import { smbEnv } from './smb'

// A Record, so adding a ProviderId without a mapping fails to compile.
export const envMappers: Record<ProviderId, EnvMapper> = {
  aws: awsEnv,
  gcp: gcpEnv,
  azure: azureEnv,
  digitalocean: digitaloceanEnv,
  civo: civoEnv,
  cloudflare: cloudflareEnv,
  github: githubEnv,
  gitlab: gitlabEnv,
  dockerhub: dockerhubEnv,
  ecr: ecrEnv,
  gar: garEnv,
  's3-state': s3StateEnv,
  'gcs-state': gcsStateEnv,
  kubernetes: kubernetesEnv,
  postgres: postgresEnv,
  http: httpEnv,
  smtp: smtpEnv,
  slack: slackEnv,
  discord: discordEnv,
  telegram: telegramEnv,
  ntfy: ntfyEnv,
  pushbullet: pushbulletEnv,
  pushover: pushoverEnv,
  openai: openaiEnv,
  anthropic: anthropicEnv,
  ollama: ollamaEnv,
  scaleway: scalewayEnv,
  git: gitEnv,
  'azure-devops': azureDevopsEnv,
  opensearch: opensearchEnv,
  sftp: sftpEnv,
  smb: smbEnv,
}
