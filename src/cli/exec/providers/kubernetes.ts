import { BridgekeepError } from '../../../shared/errors'
import { tempPath, type CredentialSet, type EnvMapper } from '../env-plan'

async function kubeconfigFor(credentials: CredentialSet): Promise<string> {
  // yaml is loaded for a Kubernetes connection only: every other exec would load a quarter of a
  // megabyte of it for nothing.
  const [{ stringify }, { parseYamlDocument }] = await Promise.all([
    import('yaml'),
    import('../../../shared/parse-untrusted'),
  ])
  const { config, secrets } = credentials
  if (config.source === 'token') {
    const cluster: Record<string, unknown> = { server: config.server }
    if (config.ca_certificate)
      cluster['certificate-authority-data'] = Buffer.from(config.ca_certificate).toString('base64')
    if (config.insecure_skip_tls_verify === 'true') cluster['insecure-skip-tls-verify'] = true
    const context: Record<string, unknown> = { cluster: 'bridgekeep', user: 'bridgekeep' }
    if (config.namespace) context.namespace = config.namespace
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'bridgekeep', cluster }],
      users: [{ name: 'bridgekeep', user: { token: secrets.token } }],
      contexts: [{ name: 'bridgekeep', context }],
      'current-context': 'bridgekeep',
    })
  }
  // A stored kubeconfig: select the chosen context and default namespace, keep the rest.
  // Validated when stored; parsed quietly anyway, since it is a secret.
  const doc = parseYamlDocument(secrets.kubeconfig ?? '')
  const chosen = config.context ?? (doc.get('current-context') as string | undefined)
  if (config.context) doc.set('current-context', config.context)
  if (config.namespace && chosen) {
    const contexts = doc.toJS() as { contexts?: { name?: string }[] }
    const index = (contexts.contexts ?? []).findIndex((entry) => entry.name === chosen)
    if (index >= 0) doc.setIn(['contexts', index, 'context', 'namespace'], config.namespace)
  }
  return doc.toString()
}

export const kubernetesEnv: EnvMapper = async (credentials, plan) => {
  // Its credentials (a pod's service account, a kubeconfig context) live on the runner's machine
  // and never leave it; the tool here has no kubeconfig to be given.
  if (credentials.authMode === 'runner-delegated')
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      "This Kubernetes connection uses the runner's own credentials (runner-delegated), which stay on the runner's machine: exec has no kubeconfig to give the command.",
      'Use it for operations through the runner (verify and health checks); for exec, add a Kubernetes connection with a stored kubeconfig or token.',
    )
  plan.files.push({ path: 'kubeconfig', content: await kubeconfigFor(credentials) })
  plan.set.KUBECONFIG = tempPath('kubeconfig')
}
