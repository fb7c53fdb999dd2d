import { RadioCard } from '../../../components/RadioCard'
import { authModeInfo, type AuthMode } from '../catalog'
import styles from './ConnectionForm.module.css'

interface Props {
  modes: readonly AuthMode[]
  value: AuthMode
  onChange: (mode: AuthMode) => void
}

/** How the connection authenticates, when the provider offers more than one way. */
export function AuthModePicker({ modes, value, onChange }: Props) {
  return (
    <fieldset className={styles.modes}>
      <legend className={styles.legend}>Authentication</legend>
      {modes.map((mode) => {
        const info = authModeInfo(mode)
        return (
          <RadioCard
            key={mode}
            name="auth-mode"
            value={mode}
            checked={value === mode}
            onSelect={() => onChange(mode)}
            title={info.label}
          >
            {info.description}
          </RadioCard>
        )
      })}
    </fieldset>
  )
}
