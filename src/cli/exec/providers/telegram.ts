import type { EnvMapper } from '../env-plan'

// The names Telegram bot frameworks and notification scripts conventionally read.
export const telegramEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (secrets.bot_token) plan.set.TELEGRAM_BOT_TOKEN = secrets.bot_token
  if (config.chat_id) plan.set.TELEGRAM_CHAT_ID = config.chat_id
}
