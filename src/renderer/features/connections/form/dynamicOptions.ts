import { parseKubeconfig, type ProviderSpec } from '../catalog'

type Options = { value: string; label: string }[]

/**
 * Choices that come from another field's value: a Kubernetes connection's context is picked
 * from the contexts of the kubeconfig pasted above it. While the kubeconfig cannot be read (or
 * is kept unchanged while editing), the context stays a text field.
 */
export function dynamicOptions(
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
