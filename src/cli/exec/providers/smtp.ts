import { smtpDefaultPorts } from '../../../shared/providers/smtp'
import type { EnvMapper } from '../env-plan'

// No mail tool has one standard set of variables: these are the names most scripts and
// containers (SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD) read.
export const smtpEnv: EnvMapper = ({ config, secrets }, plan) => {
  const security = config.security ?? 'starttls'
  plan.set.SMTP_HOST = config.host ?? ''
  plan.set.SMTP_PORT = config.port ?? smtpDefaultPorts[security] ?? '587'
  plan.set.SMTP_SECURITY = security
  if (config.username !== undefined) plan.set.SMTP_USERNAME = config.username
  if (secrets.password !== undefined) plan.set.SMTP_PASSWORD = secrets.password
}
