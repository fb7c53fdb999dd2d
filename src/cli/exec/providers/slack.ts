import type { EnvMapper } from '../env-plan'

// SLACK_TOKEN is what most Slack scripts and the Slack SDK examples read; SLACK_BOT_TOKEN is
// Bolt's name for a bot token. A webhook is a URL that tools post to.
export const slackEnv: EnvMapper = ({ secrets }, plan) => {
  if (secrets.token) {
    plan.set.SLACK_TOKEN = secrets.token
    if (secrets.token.startsWith('xoxb-')) plan.set.SLACK_BOT_TOKEN = secrets.token
  }
  if (secrets.webhook_url) plan.set.SLACK_WEBHOOK_URL = secrets.webhook_url
}
