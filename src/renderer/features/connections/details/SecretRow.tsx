import { Copy, Eye, EyeOff, TriangleAlert } from 'lucide-react'
import { useEffect, useState } from 'react'
import { revealSecret, useCopySecret, type ConnectionDetail } from '../../../api/connections'
import { describeError } from '../../../components/ErrorNotice'
import { useToast } from '../../../components/Toast'
import styles from './ConnectionDetailsPage.module.css'

/** How long a revealed value stays on screen unless hidden sooner. */
export const REVEAL_SECONDS = 30

interface Props {
  connectionId: string
  secret: ConnectionDetail['secrets'][number]
  label: string
  disabled: boolean
  /** Imported use-only from a share: no Reveal, no Copy (main refuses them too). */
  useOnly?: boolean
}

/**
 * One secret field: masked (an identifier stored with the secrets comes in clear); Reveal asks main for the value (an audited call) and shows it for
 * 30 seconds; Copy has main put it on the clipboard, so the page never holds it at all.
 */
export function SecretRow({ connectionId, secret, label, disabled, useOnly = false }: Props) {
  const [revealed, setRevealed] = useState<string | null>(null)
  const [revealing, setRevealing] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const copy = useCopySecret()
  const notify = useToast()

  // The value is dropped from state after 30 s, on Hide, and when the row unmounts (navigation,
  // lock): it never reaches a cache.
  useEffect(() => {
    if (revealed === null) return
    const timer = setTimeout(() => setRevealed(null), REVEAL_SECONDS * 1000)
    return () => clearTimeout(timer)
  }, [revealed])

  const reveal = async () => {
    setProblem(null)
    setRevealing(true)
    try {
      const { value } = await revealSecret({ id: connectionId, field: secret.field })
      setRevealed(value)
    } catch (error) {
      setProblem(describeError(error).message)
    } finally {
      setRevealing(false)
    }
  }

  const copyValue = () => {
    setProblem(null)
    copy.mutate(
      { id: connectionId, field: secret.field },
      {
        onSuccess: ({ clearAfterSeconds }) =>
          notify({
            tone: 'success',
            message: `Copied — the clipboard clears in ${clearAfterSeconds} s`,
          }),
        onError: (error) => setProblem(describeError(error).message),
      },
    )
  }

  // An identifier (an access key ID) comes in clear: nothing to reveal.
  const clear = secret.clear
  const valueId = `secret-${secret.field}`
  return (
    <li className={styles.secret} data-testid="secret-field" data-field={secret.field}>
      <span className={styles.secretLabel}>{label}</span>
      <span
        className={styles.secretValue}
        id={valueId}
        data-state={
          secret.damaged
            ? 'damaged'
            : clear !== undefined
              ? 'clear'
              : revealed !== null
                ? 'revealed'
                : 'masked'
        }
      >
        {secret.damaged ? (
          <span className={styles.damaged}>
            <TriangleAlert aria-hidden="true" />
            Damaged — failed its integrity check
          </span>
        ) : clear !== undefined ? (
          <span className="mono">{clear}</span>
        ) : revealed !== null ? (
          <span className={`${styles.revealedValue} mono`}>{revealed}</span>
        ) : (
          <span className="mono">
            {secret.masked}
            <span className="visually-hidden"> (hidden)</span>
          </span>
        )}
      </span>
      <span className={styles.secretActions}>
        {useOnly ? (
          <span className={styles.useOnlyNote}>Use-only: not shown</span>
        ) : clear !== undefined ? null : revealed !== null ? (
          <button type="button" className="button small" onClick={() => setRevealed(null)}>
            <EyeOff aria-hidden="true" />
            Hide<span className="visually-hidden"> {label}</span>
          </button>
        ) : (
          <button
            type="button"
            className="button small"
            disabled={disabled || secret.damaged || revealing}
            onClick={() => void reveal()}
          >
            <Eye aria-hidden="true" />
            Reveal<span className="visually-hidden"> {label}</span>
          </button>
        )}
        {!useOnly && (
          <button
            type="button"
            className="button small"
            disabled={disabled || secret.damaged || copy.isPending}
            onClick={copyValue}
          >
            <Copy aria-hidden="true" />
            Copy<span className="visually-hidden"> {label}</span>
          </button>
        )}
      </span>
      {revealed !== null && (
        <span className={styles.secretNote}>
          Shown for {REVEAL_SECONDS} s. Reveals are recorded.
        </span>
      )}
      {problem && (
        <span role="alert" className={styles.secretProblem}>
          {problem}
        </span>
      )}
    </li>
  )
}
