import type { ReactNode } from 'react'
import styles from './RadioCard.module.css'

interface Props {
  /** The radio group's name. */
  name: string
  value: string
  checked: boolean
  onSelect: () => void
  title: ReactNode
  /** One or two sentences on what choosing it means. */
  children: ReactNode
}

/**
 * One choice of a radio group drawn as a card: a title and what it means, the whole card
 * clickable, the chosen one highlighted. A native radio inside, so arrow keys move between cards.
 */
export function RadioCard({ name, value, checked, onSelect, title, children }: Props) {
  return (
    <label className={styles.card}>
      <input type="radio" name={name} value={value} checked={checked} onChange={onSelect} />
      <span className={styles.title}>{title}</span>
      <span className={styles.body}>{children}</span>
    </label>
  )
}
