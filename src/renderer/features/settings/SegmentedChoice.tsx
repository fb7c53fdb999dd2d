import type { ReactNode } from 'react'
import styles from './SettingsPage.module.css'

/** A row of radio buttons drawn as one segmented control (the theme, the auto-lock time). */
export function SegmentedChoice<T extends string | number>({
  name,
  choices,
  value,
  onChange,
  render,
}: {
  name: string
  choices: readonly T[]
  value: T
  onChange: (choice: T) => void
  render: (choice: T) => ReactNode
}) {
  return (
    <div className={styles.segmented}>
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
