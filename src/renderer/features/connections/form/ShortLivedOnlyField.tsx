import type { AuthMode, ProviderSpec } from '../catalog'
import { useOnlyDelivery } from '../../../../shared/providers/use-only-exchange'
import { CheckboxField } from './ProviderField'
import { controlId } from './useConnectionForm'

interface Props {
  provider: ProviderSpec
  authMode: AuthMode
  checked: boolean
  error: string | undefined
  onChange: (checked: boolean) => void
}

/**
 * The owner's "hand tools short-lived credentials only", as a use-only share always does: shown
 * only where the stored secret has an exchange, saying what the tools then receive instead.
 */
export function ShortLivedOnlyField({ provider, authMode, checked, error, onChange }: Props) {
  return (
    <CheckboxField
      id={controlId('shortLivedOnly')}
      name="shortLivedOnly"
      label="Hand tools short-lived credentials only"
      help={`bridgekeep exec and the AWS credential process give tools ${useOnlyDelivery(provider.id, authMode).what} made from the stored ${provider.label} secret, never the secret itself.`}
      value={String(checked)}
      {...(error ? { error } : {})}
      onChange={(value) => onChange(value === 'true')}
      onBlur={() => undefined}
    />
  )
}
