import { Eye, EyeOff } from 'lucide-react'
import { useState, type ComponentPropsWithRef } from 'react'
import styles from './PasswordInput.module.css'

interface Props extends Omit<ComponentPropsWithRef<'input'>, 'type'> {
  /** What is hidden, for the toggle's label: "Show passphrase". */
  noun?: string
}

/**
 * A secret input with a show/hide toggle. Showing is local to this window and to what the user
 * is typing; it reveals nothing stored.
 */
export function PasswordInput({ noun = 'value', className, ...input }: Props) {
  const [visible, setVisible] = useState(false)
  return (
    <div className={styles.wrap}>
      <input
        {...input}
        type={visible ? 'text' : 'password'}
        className={`input ${styles.input} ${className ?? ''}`}
        autoComplete={input.autoComplete ?? 'off'}
        spellCheck={false}
      />
      <button
        type="button"
        className={styles.toggle}
        aria-label={visible ? `Hide ${noun}` : `Show ${noun}`}
        aria-pressed={visible}
        onClick={() => setVisible((shown) => !shown)}
      >
        {visible ? <EyeOff aria-hidden="true" /> : <Eye aria-hidden="true" />}
      </button>
    </div>
  )
}
