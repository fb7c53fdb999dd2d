import { ShieldCheck } from 'lucide-react'
import { useEffect, useRef, type ReactNode } from 'react'
import styles from './VaultScreens.module.css'

interface Props {
  title: string
  children: ReactNode
}

/**
 * The frame of the screens shown instead of the app while the vault is missing or locked: the
 * brand, one card, nothing behind it to tab into. The heading takes focus when the screen
 * changes, so screen readers announce where the user is.
 */
export function GateLayout({ title, children }: Props) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    heading.current?.focus({ preventScroll: true })
  }, [title])
  return (
    <div className={styles.gate}>
      <main id="main" className={styles.main}>
        <div className={styles.brand}>
          <ShieldCheck aria-hidden="true" className={styles.brandMark} />
          <span>Bridgekeep</span>
        </div>
        <div className={styles.card}>
          <h1 ref={heading} className={styles.title} tabIndex={-1}>
            {title}
          </h1>
          {children}
        </div>
      </main>
    </div>
  )
}
