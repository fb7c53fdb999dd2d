import { tempPath } from '../env-plan'
import type { EnvMapper } from '../env-plan'

// BRIDGEKEEP_SMB_* for scripts, and the same login as an smbclient authentication file
// (smbclient -A, also read by mount.cifs credentials=) so the password is never on a command line.
export const smbEnv: EnvMapper = ({ config, secrets }, plan) => {
  plan.set.BRIDGEKEEP_SMB_HOST = config.host ?? ''
  plan.set.BRIDGEKEEP_SMB_PORT = config.port ?? '445'
  plan.set.BRIDGEKEEP_SMB_SHARE = config.share ?? ''
  if (config.domain) plan.set.BRIDGEKEEP_SMB_DOMAIN = config.domain
  if (config.username !== undefined) plan.set.BRIDGEKEEP_SMB_USER = config.username
  if (secrets.password === undefined) return
  plan.set.BRIDGEKEEP_SMB_PASSWORD = secrets.password
  const lines = [`username=${config.username ?? ''}`, `password=${secrets.password}`]
  if (config.domain) lines.push(`domain=${config.domain}`)
  plan.files.push({ path: 'smb-credentials', content: `${lines.join('\n')}\n` })
  plan.set.BRIDGEKEEP_SMB_AUTH_FILE = tempPath('smb-credentials')
}
