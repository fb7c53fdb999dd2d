import { LOCAL_RUNNER_NAME } from '../../../../shared/runner-protocol/status'
import { RUNNER_FIELD } from '../../../../shared/providers/runner-field'
import { parseKubeconfig, type ProviderSpec } from '../catalog'

type Options = { value: string; label: string }[]

/**
 * Choices that come from elsewhere: the vault's runners for a Runner field (`runnerNames`, local
 * first; unknown until loaded, and the field stays a text field meanwhile), and the contexts of a
 * kubeconfig for a Kubernetes context.
 */
export function dynamicOptions(
  provider: ProviderSpec,
  values: Record<string, string>,
  runnerNames: readonly string[] | undefined,
): Record<string, Options> {
  const options = kubernetesContexts(provider, values)
  if (runnerNames && provider.fields.some((field) => field.key === RUNNER_FIELD))
    options[RUNNER_FIELD] = runnerOptions(runnerNames, values[RUNNER_FIELD] ?? '')
  return options
}

/**
 * Empty means the local runner, so that is the first choice; a name stored before its runner was
 * deleted stays visible, to be fixed (main refuses it on save).
 */
function runnerOptions(names: readonly string[], chosen: string): Options {
  const local = chosen === LOCAL_RUNNER_NAME ? LOCAL_RUNNER_NAME : ''
  const options: Options = [{ value: local, label: `${LOCAL_RUNNER_NAME} (started by the app)` }]
  for (const name of names)
    if (name !== LOCAL_RUNNER_NAME) options.push({ value: name, label: name })
  if (chosen && chosen !== LOCAL_RUNNER_NAME && !names.includes(chosen))
    options.push({ value: chosen, label: `${chosen} (not a runner of this vault)` })
  return options
}

/**
 * Choices that come from another field's value: a Kubernetes connection's context is picked
 * from the contexts of the kubeconfig pasted above it. While the kubeconfig cannot be read (or
 * is kept unchanged while editing), the context stays a text field.
 */
function kubernetesContexts(
  provider: ProviderSpec,
  values: Record<string, string>,
): Record<string, Options> {
  if (provider.id !== 'kubernetes' || !values.kubeconfig?.trim()) return {}
  try {
    const { contexts, currentContext } = parseKubeconfig(values.kubeconfig)
    const current = currentContext ? `Current context (${currentContext})` : 'Current context'
    const options: Options = [{ value: '', label: current }]
    for (const context of contexts) {
      options.push({
        value: context.name,
        label: context.server ? `${context.name} — ${context.server}` : context.name,
      })
    }
    // A context typed before (or stored) but not in this kubeconfig stays visible, to be fixed.
    const chosen = values.context?.trim()
    if (chosen && !contexts.some((context) => context.name === chosen)) {
      options.push({ value: chosen, label: `${chosen} (not in this kubeconfig)` })
    }
    return { context: options }
  } catch {
    return {}
  }
}
