// The provider catalog: what each provider's form asks for and how its values are validated.
// The renderer builds forms from it; main validates with the same schemas before storing.

export type { AuthMode, FieldSpec, ProviderCategory, ProviderId, ProviderSpec } from './types'
export { authModeLabels, getProvider, providerCategories, providers } from './catalog'
export { providerIds } from './ids'
export { borrowingOf } from './borrowing'
export { fieldApplies, fieldRequired } from './fields'
export { parseKubeconfig } from './kubeconfig'
export { maskSecret } from './mask'
export { normalizeServiceAccountKey } from './service-account'
export { validateConnectionValues } from './validate'
export type { ValidationResult } from './validate'
