import { tempPath } from '../env-plan'
import type { EnvMapper } from '../env-plan'

// git itself, through its environment: over HTTPS an extra Authorization header for this
// repository's address only (GIT_CONFIG_COUNT, git 2.31+), so the token reaches no other
// server; over SSH the key file, used alone (IdentitiesOnly) so the agent's keys do not answer
// instead.
export const gitEnv: EnvMapper = ({ config, secrets }, plan) => {
  if (config.transport === 'ssh') {
    if (!secrets.private_key) return
    // ssh refuses a key file without its final line break.
    plan.files.push({ path: 'git-ssh-key', content: `${secrets.private_key.trimEnd()}\n` })
    plan.set.GIT_SSH_COMMAND = `ssh -i '${tempPath('git-ssh-key')}' -o IdentitiesOnly=yes`
    plan.unset.push('GIT_SSH')
    return
  }
  const basic = Buffer.from(`${config.username ?? ''}:${secrets.token ?? ''}`).toString('base64')
  plan.set.GIT_CONFIG_COUNT = '1'
  plan.set.GIT_CONFIG_KEY_0 = `http.${config.repository_url ?? ''}.extraHeader`
  plan.set.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`
  // A prompt would hang a pipeline: fail instead when the header is not accepted.
  plan.set.GIT_TERMINAL_PROMPT = '0'
}
