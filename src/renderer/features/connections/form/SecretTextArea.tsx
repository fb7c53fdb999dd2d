import { Eye, EyeOff } from 'lucide-react'
import { useState, type ComponentPropsWithRef } from 'react'
import styles from './SecretTextArea.module.css'

interface Props extends ComponentPropsWithRef<'textarea'> {
  noun: string
}

/**
 * A multi-line secret (a service account key, a kubeconfig, a private key), masked like a
 * password field until the user shows it. The toggle is local to this window.
 */
export function SecretTextArea({ noun, className, ...textarea }: Props) {
  const [visible, setVisible] = useState(false)
  return (
    <div className={styles.wrap}>
      <textarea
        {...textarea}
        className={`input ${styles.textarea} ${className ?? ''}`}
        data-masked={!visible}
        spellCheck={false}
        autoComplete="off"
      />
      <button
        type="button"
        className={`button small ${styles.toggle}`}
        aria-label={visible ? `Hide ${noun}` : `Show ${noun}`}
        aria-pressed={visible}
        onClick={() => setVisible((shown) => !shown)}
      >
        {visible ? <EyeOff aria-hidden="true" /> : <Eye aria-hidden="true" />}
        {visible ? 'Hide' : 'Show'}
      </button>
    </div>
  )
}
