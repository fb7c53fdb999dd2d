import {
  authModeLabels,
  getProvider,
  providerCategories,
  providers,
  type AuthMode,
  type FieldSpec,
  type ProviderCategory,
  type ProviderSpec,
} from '../../../shared/providers'

export {
  fieldApplies,
  fieldRequired,
  parseKubeconfig,
  validateConnectionValues,
} from '../../../shared/providers'
export { getProvider, providers, providerCategories }
export type { AuthMode, FieldSpec, ProviderCategory, ProviderSpec }

/** "Amazon Web Services"; an unknown id (a newer vault) shows as itself. */
export function providerLabel(id: string): string {
  return getProvider(id)?.label ?? id
}

export function authModeLabel(mode: string): string {
  return authModeInfo(mode).label
}

export function authModeInfo(mode: string): { label: string; description: string } {
  const info = (
    authModeLabels as Record<string, { label: string; description: string } | undefined>
  )[mode]
  return info ?? { label: mode, description: '' }
}

/** The providers of each category, in the catalog's display order; empty categories dropped. */
export function providersByCategory(): { category: ProviderCategory; providers: ProviderSpec[] }[] {
  return providerCategories
    .map((category) => ({
      category,
      providers: providers.filter((provider) => provider.category === category),
    }))
    .filter((group) => group.providers.length > 0)
}
