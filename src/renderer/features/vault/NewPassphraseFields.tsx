import { FormField } from '../../components/FormField'
import { PasswordInput } from '../../components/PasswordInput'
import { passphraseStrength } from './passphraseStrength'
import styles from './NewPassphraseFields.module.css'

export interface NewPassphrase {
  passphrase: string
  confirmation: string
}

export interface NewPassphraseErrors {
  passphrase?: string
  confirmation?: string
}

interface Props {
  idPrefix: string
  value: NewPassphrase
  onChange: (value: NewPassphrase) => void
  errors: NewPassphraseErrors
  /** Focus the passphrase field when it appears (it appears because the user chose it). */
  autoFocus?: boolean
}

/** Checks a new passphrase and its confirmation; returns the problems by field, or none. */
export function checkNewPassphrase({
  passphrase,
  confirmation,
}: NewPassphrase): NewPassphraseErrors {
  const strength = passphraseStrength(passphrase)
  const errors: NewPassphraseErrors = {}
  if (!strength.acceptable) errors.passphrase = `${strength.label}: ${strength.advice}`
  if (confirmation !== passphrase) {
    errors.confirmation = confirmation
      ? 'The two passphrases do not match.'
      : 'Type the passphrase again to confirm it.'
  }
  return errors
}

/** A new passphrase, typed twice, with live strength feedback under the first field. */
export function NewPassphraseFields({ idPrefix, value, onChange, errors, autoFocus }: Props) {
  const strength = passphraseStrength(value.passphrase)
  const strengthId = `${idPrefix}-strength`
  return (
    <>
      <FormField
        id={`${idPrefix}-passphrase`}
        label="Passphrase"
        required
        error={errors.passphrase}
        help="You will type it each time Bridgekeep opens the vault. It cannot be recovered; your recovery key can replace it."
      >
        {(control) => (
          <>
            <PasswordInput
              {...control}
              aria-describedby={[control['aria-describedby'], strengthId].filter(Boolean).join(' ')}
              noun="passphrase"
              autoComplete="new-password"
              autoFocus={autoFocus}
              value={value.passphrase}
              onChange={(event) => onChange({ ...value, passphrase: event.target.value })}
            />
            <div className={styles.strength} data-score={value.passphrase ? strength.score : -1}>
              <div className={styles.meter} aria-hidden="true">
                {[1, 2, 3, 4].map((step) => (
                  <span key={step} className={styles.bar} data-on={strength.score >= step} />
                ))}
              </div>
              <p id={strengthId} className={styles.label} aria-live="polite">
                {value.passphrase ? `Strength: ${strength.label}. ${strength.advice}` : ''}
              </p>
            </div>
          </>
        )}
      </FormField>
      <FormField
        id={`${idPrefix}-confirmation`}
        label="Confirm passphrase"
        required
        error={errors.confirmation}
      >
        {(control) => (
          <PasswordInput
            {...control}
            noun="passphrase confirmation"
            autoComplete="new-password"
            value={value.confirmation}
            onChange={(event) => onChange({ ...value, confirmation: event.target.value })}
          />
        )}
      </FormField>
    </>
  )
}
