import type { ReactNode } from 'react'
import styles from './Page.module.css'

interface Props {
  title: string
  description: string
  /** Buttons at the right of the header: the section's main actions. */
  actions?: ReactNode
  children: ReactNode
}

/** A section's frame: its heading (focused after navigation), a one-line purpose, its content. */
export function Page({ title, description, actions, children }: Props) {
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div>
          <h1 className={styles.title} tabIndex={-1}>
            {title}
          </h1>
          <p className={styles.description}>{description}</p>
        </div>
        {actions && <div className={styles.actions}>{actions}</div>}
      </header>
      {children}
    </div>
  )
}
