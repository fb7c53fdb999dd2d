import type { EnvMapper } from '../env-plan'

// Bots conventionally read DISCORD_TOKEN (discord.py and discord.js examples); a webhook is a
// URL that tools post to.
export const discordEnv: EnvMapper = ({ secrets }, plan) => {
  if (secrets.bot_token) plan.set.DISCORD_TOKEN = secrets.bot_token
  if (secrets.webhook_url) plan.set.DISCORD_WEBHOOK_URL = secrets.webhook_url
}
