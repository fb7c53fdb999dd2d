import type { ReactNode } from 'react'
import styles from './SegmentedChoice.module.css'

/**
 * A row of radio buttons drawn as one segmented control (the theme, the auto-lock time, a secret
 * field's "Value | Reference"). Arrow keys move between choices, as radio buttons do. `label`
 * names the group when no fieldset legend does.
 */
export function SegmentedChoice<T extends string | number>({
  name,
  choices,
  value,
  onChange,
  render,
  label,
  small = false,
}: {
  name: string
  choices: readonly T[]
  value: T
  onChange: (choice: T) => void
  render: (choice: T) => ReactNode
  label?: string
  small?: boolean
}) {
  return (
    <div
      className={`${styles.segmented} ${small ? styles.small : ''}`}
      {...(label ? { role: 'radiogroup', 'aria-label': label } : {})}
    >
      {choices.map((choice) => (
        <label key={choice} className={styles.segment}>
          <input
            type="radio"
            name={name}
            value={choice}
            checked={value === choice}
            onChange={() => onChange(choice)}
          />
          {render(choice)}
        </label>
      ))}
    </div>
  )
}
