import { connectionUri } from '../../../../shared/connection-uri'
import type { ProviderId } from '../../../../shared/providers/ids'

/**
 * A command each provider's tools run as-is with the variables `bridgekeep exec` sets for it
 * (src/cli/exec/providers): proof that the connection works, and the shape of every other use.
 */
const exampleCommands: Record<ProviderId, string> = {
  aws: 'aws sts get-caller-identity',
  gcp: 'gcloud projects list',
  // ARM_* are Terraform's: the az CLI keeps its own login and ignores them.
  azure: 'terraform plan',
  digitalocean: 'doctl account get',
  civo: 'civo region ls',
  cloudflare: 'wrangler whoami',
  github: 'gh api user',
  gitlab: 'glab api user',
  dockerhub: 'docker pull alpine:latest',
  ecr: 'aws ecr describe-repositories',
  gar: 'docker pull HOST/REPOSITORY/IMAGE',
  's3-state': 'terraform init',
  'gcs-state': 'terraform init',
  kubernetes: 'kubectl get pods',
  postgres: "psql -c 'select 1'",
  http: `sh -c 'curl -fsS -X "$BRIDGEKEEP_HTTP_METHOD" "$BRIDGEKEEP_HTTP_URL"'`,
  smtp: `sh -c 'swaks --server "$SMTP_HOST:$SMTP_PORT" --tls --auth-user "$SMTP_USERNAME" --auth-password "$SMTP_PASSWORD" --quit-after AUTH'`,
  slack: `sh -c 'curl -fsS -H "Authorization: Bearer $SLACK_TOKEN" https://slack.com/api/auth.test'`,
  discord: `sh -c 'curl -fsS -H "Authorization: Bot $DISCORD_TOKEN" https://discord.com/api/v10/users/@me'`,
  telegram: `sh -c 'curl -fsS "https://api.telegram.org/bot$TELEGRAM_BOT_TOKEN/getMe"'`,
  ntfy: `sh -c 'ntfy publish "$NTFY_TOPIC" Deployed'`,
  pushbullet: 'pb list-devices',
  pushover: `sh -c 'curl -fsS --form-string "token=$PUSHOVER_TOKEN" --form-string "user=$PUSHOVER_USER" --form-string message=Deployed https://api.pushover.net/1/messages.json'`,
  openai: 'openai api models.list',
  anthropic: `sh -c 'curl -fsS https://api.anthropic.com/v1/models -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01"'`,
  ollama: 'ollama list',
  scaleway: 'scw account project list',
  git: 'git ls-remote REPOSITORY',
  'azure-devops': 'az devops project list --organization ORGANIZATION_URL',
  opensearch: `sh -c 'curl -fsS -u "$ELASTICSEARCH_USERNAME:$ELASTICSEARCH_PASSWORD" "$ELASTICSEARCH_URL/_cluster/health"'`,
  sftp: `sh -c 'echo ls | sshpass -e sftp -b - -P "$BRIDGEKEEP_SFTP_PORT" "$BRIDGEKEEP_SFTP_USER@$BRIDGEKEEP_SFTP_HOST"'`,
  smb: `sh -c 'smbclient "//$BRIDGEKEEP_SMB_HOST/$BRIDGEKEEP_SMB_SHARE" -p "$BRIDGEKEEP_SMB_PORT" -A "$BRIDGEKEEP_SMB_AUTH_FILE" -c ls'`,
}

/** The example of a provider whose tool needs the connection's own address on its command line. */
function addressed(provider: ProviderId, config: Record<string, string>): string | undefined {
  const repository = config.repository_url ?? config.ssh_url
  if (provider === 'git' && repository) return `git ls-remote ${repository}`
  if (provider === 'azure-devops' && config.organization_url)
    return `az devops project list --organization ${config.organization_url}`
  if (provider === 'sftp' && config.auth === 'key')
    return `sh -c 'echo ls | sftp -b - -i "$BRIDGEKEEP_SFTP_IDENTITY_FILE" -P "$BRIDGEKEEP_SFTP_PORT" "$BRIDGEKEEP_SFTP_USER@$BRIDGEKEEP_SFTP_HOST"'`
  return undefined
}

/** What a webhook connection's tools run instead: a webhook can only post. */
const webhookCommands: Partial<Record<ProviderId, string>> = {
  slack: `sh -c 'curl -fsS -d "payload={\\"text\\":\\"Deployed\\"}" "$SLACK_WEBHOOK_URL"'`,
  discord: `sh -c 'curl -fsS -d "content=Deployed" "$DISCORD_WEBHOOK_URL"'`,
}

export interface Snippet {
  id: string
  label: string
  text: string
  /** What the snippet is for, in a sentence. */
  help: string
}

/** The snippets for one connection in one environment, by slug (as the CLI takes them). */
export function snippetsFor(
  connection: { slug: string; provider: string; config: Record<string, string> },
  environment: string,
): Snippet[] {
  const provider = connection.provider as ProviderId
  const { host, repository } = connection.config
  const example =
    provider === 'gar' && host
      ? `docker pull ${host}/${repository ?? 'PROJECT/REPOSITORY'}/IMAGE`
      : ((connection.config.credential === 'webhook' ? webhookCommands[provider] : undefined) ??
        addressed(provider, connection.config) ??
        exampleCommands[provider] ??
        'env')
  return [
    {
      id: 'exec',
      label: 'Run a command with it',
      text: `bridgekeep exec ${connection.slug} --env ${environment} -- ${example}`,
      help: 'Any command after -- gets the credentials in the variables its tools read; they are gone when it ends.',
    },
    {
      id: 'reference',
      label: 'Reference',
      text: connectionUri(environment, connection.slug),
      help: 'Names this connection in this environment wherever Bridgekeep takes one: bridgekeep exec connection://… -- command, aws credential-process, verify, show.',
    },
  ]
}
