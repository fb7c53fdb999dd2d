import { tempPath } from '../env-plan'
import type { EnvMapper } from '../env-plan'

// No SFTP tool reads a standard set of variables: BRIDGEKEEP_SFTP_* for scripts, the key as a
// file for sftp -i, and SSHPASS for sshpass -e with a password. The host key fingerprint is
// there for a script to compare before it connects (ssh pins keys, not fingerprints).
export const sftpEnv: EnvMapper = ({ config, secrets }, plan) => {
  plan.set.BRIDGEKEEP_SFTP_HOST = config.host ?? ''
  plan.set.BRIDGEKEEP_SFTP_PORT = config.port ?? '22'
  if (config.username !== undefined) plan.set.BRIDGEKEEP_SFTP_USER = config.username
  if (config.host_key_fingerprint)
    plan.set.BRIDGEKEEP_SFTP_HOST_KEY_FINGERPRINT = config.host_key_fingerprint
  if (config.remote_path) plan.set.BRIDGEKEEP_SFTP_PATH = config.remote_path
  if (config.auth === 'key') {
    if (!secrets.private_key) return
    // ssh refuses a key file without its final line break.
    plan.files.push({ path: 'sftp-key', content: `${secrets.private_key.trimEnd()}\n` })
    plan.set.BRIDGEKEEP_SFTP_IDENTITY_FILE = tempPath('sftp-key')
    if (secrets.passphrase !== undefined) plan.set.BRIDGEKEEP_SFTP_PASSPHRASE = secrets.passphrase
    return
  }
  if (secrets.password !== undefined) {
    plan.set.BRIDGEKEEP_SFTP_PASSWORD = secrets.password
    plan.set.SSHPASS = secrets.password
  }
}
