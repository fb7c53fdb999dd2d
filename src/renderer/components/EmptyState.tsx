import type { LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import styles from './EmptyState.module.css'

interface Props {
  icon: LucideIcon
  title: string
  /** What will appear here and why it matters, in a sentence or two. */
  children: ReactNode
  /** The next step, when there is one the user can take now. */
  action?: ReactNode
}

export function EmptyState({ icon: Icon, title, children, action }: Props) {
  return (
    <section className={styles.empty} aria-labelledby="empty-state-title" data-testid="empty-state">
      <div className={styles.iconWrap}>
        <Icon aria-hidden="true" className={styles.icon} />
      </div>
      <h2 id="empty-state-title" className={styles.title}>
        {title}
      </h2>
      <p className={styles.body}>{children}</p>
      {action && <div className={styles.action}>{action}</div>}
    </section>
  )
}
