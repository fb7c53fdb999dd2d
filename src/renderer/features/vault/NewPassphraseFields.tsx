import { useDeferredValue } from 'react'
import { FormField } from '../../components/FormField'
import { PasswordInput } from '../../components/PasswordInput'
import { loadPassphraseEstimator, usePassphraseEstimator } from './passphraseStrength'
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

/**
 * Checks a new passphrase and its confirmation with main's rule; returns the problems by field,
 * or none.
 */
export async function checkNewPassphrase({
  passphrase,
  confirmation,
}: NewPassphrase): Promise<NewPassphraseErrors> {
  // Should the estimator's chunk fail to load, main still applies the same rule (WEAK_PASSPHRASE,
  // shown beside the field by the forms).
  const estimator = await loadPassphraseEstimator().catch(() => undefined)
  const strength = estimator?.rate(passphrase)
  const errors: NewPassphraseErrors = {}
  if (strength && !strength.acceptable) errors.passphrase = `${strength.label}: ${strength.advice}`
  if (confirmation !== passphrase) {
    errors.confirmation = confirmation
      ? 'The two passphrases do not match.'
      : 'Type the passphrase again to confirm it.'
  }
  return errors
}

/** A new passphrase, typed twice, with live strength feedback under the first field. */
export function NewPassphraseFields({ idPrefix, value, onChange, errors, autoFocus }: Props) {
  const estimator = usePassphraseEstimator()
  // Estimating can take a few milliseconds per keystroke: typing stays ahead of the meter.
  const typed = useDeferredValue(value.passphrase)
  const strength = estimator && typed ? estimator.rate(typed) : undefined
  // The field's error already says why (the same rule, the same words): the meter then gives
  // only the verdict, so the advice is not shown, nor read out, twice.
  const advice = strength && !errors.passphrase?.endsWith(strength.advice) ? strength.advice : ''
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
            <div className={styles.strength} data-score={strength ? strength.score : -1}>
              <div className={styles.meter} aria-hidden="true">
                {[1, 2, 3, 4].map((step) => (
                  <span
                    key={step}
                    className={styles.bar}
                    data-on={strength ? strength.score >= step : false}
                  />
                ))}
              </div>
              <p id={strengthId} className={styles.label} aria-live="polite">
                {strength
                  ? `Strength: ${strength.label}.${advice ? ` ${advice}` : ''}`
                  : value.passphrase && !estimator
                    ? 'Checking strength…'
                    : ''}
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
