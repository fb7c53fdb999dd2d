import { Copy, Sparkles } from 'lucide-react'
import { useDeferredValue, useState } from 'react'
import { FormField } from '../../components/FormField'
import { PasswordInput } from '../../components/PasswordInput'
import { useToast } from '../../components/Toast'
import { copyText } from '../../lib/copyText'
import { usePassphraseEstimator } from '../vault/passphraseStrength'
import { generatePassphrase } from './generatePassphrase'
import styles from './Sharing.module.css'

interface Props {
  value: string
  onChange: (passphrase: string) => void
  error: string | undefined
}

/**
 * A share's passphrase: typed, or generated (five random words, shown so it can be read out),
 * rated as it is typed with the rule new vault passphrases follow, and the reminder that it goes
 * to the recipient another way than the file.
 */
export function SharePassphraseField({ value, onChange, error }: Props) {
  const estimator = usePassphraseEstimator()
  const notify = useToast()
  const [generated, setGenerated] = useState<string | null>(null)
  const typed = useDeferredValue(value)
  const strength = estimator && typed ? estimator.rate(typed) : undefined
  const shown = generated !== null && generated === value ? generated : null

  return (
    <div className={styles.formStack}>
      <FormField
        id="share-passphrase-new"
        label="Passphrase"
        required
        error={error}
        labelAction={
          <button
            type="button"
            className="button small"
            onClick={() => {
              const made = generatePassphrase()
              setGenerated(made)
              onChange(made)
            }}
          >
            <Sparkles aria-hidden="true" />
            Generate one
          </button>
        }
      >
        {(control) => (
          <>
            <PasswordInput
              {...control}
              aria-describedby={[control['aria-describedby'], 'share-passphrase-strength']
                .filter(Boolean)
                .join(' ')}
              noun="passphrase"
              value={value}
              autoComplete="new-password"
              onChange={(event) => onChange(event.target.value)}
            />
            <p id="share-passphrase-strength" className={styles.muted} aria-live="polite">
              {strength ? `Strength: ${strength.label}. ${strength.advice}` : ''}
            </p>
          </>
        )}
      </FormField>
      {shown && (
        <div className={styles.generated} data-testid="generated-passphrase">
          <code className={styles.address}>{shown}</code>
          <button
            type="button"
            className="button small"
            onClick={() => {
              copyText(shown).then(
                () => notify({ tone: 'success', message: 'Passphrase copied.' }),
                () => notify({ tone: 'error', message: 'The clipboard refused it: read it out.' }),
              )
            }}
          >
            <Copy aria-hidden="true" />
            Copy passphrase
          </button>
        </div>
      )}
      <p className={styles.notice} data-tone="info">
        <strong>Send the passphrase another way than the file</strong> (a call, in person, another
        messenger): anyone who has both can open the share.
      </p>
    </div>
  )
}
