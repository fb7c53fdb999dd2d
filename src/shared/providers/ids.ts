/**
 * Every provider id, in display order. Its own module, without the definitions, so that a schema
 * that only names providers (the runner's operation input, the agent's answers) does not load and
 * build the whole catalog: `bridgekeep exec` through the agent never needs a provider's fields.
 * catalog.ts lists the definitions in this order, and its Record type makes a missing one fail to
 * compile.
 */
export const providerIds = [
  'aws',
  'gcp',
  'azure',
  'digitalocean',
  'civo',
  'cloudflare',
  'github',
  'gitlab',
  'dockerhub',
  'ecr',
  'gar',
  's3-state',
  'gcs-state',
  'kubernetes',
  'postgres',
  'http',
  'smtp',
  'slack',
  'discord',
  'telegram',
  'ntfy',
  'pushbullet',
  'pushover',
  'openai',
  'anthropic',
  'ollama',
  'scaleway',
  'git',
  'azure-devops',
  'opensearch',
  'sftp',
  'smb',
] as const

export type ProviderId = (typeof providerIds)[number]
