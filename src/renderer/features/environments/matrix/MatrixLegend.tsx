import { Check, Lock, Minus, Plus } from 'lucide-react'
import cells from './AuthorizationMatrix.module.css'
import styles from './MatrixView.module.css'

/** What each look of a cell means, drawn with the cells' own styles so the two cannot drift. */
export function MatrixLegend() {
  return (
    <ul className={styles.legendList} aria-label="Legend">
      <li>
        <span className={cells.toggle} data-state="on" aria-hidden="true">
          <Check />
        </span>
        Authorized
      </li>
      <li>
        <span className={cells.toggle} data-state="off" aria-hidden="true" />
        Not authorized
      </li>
      <li>
        <span className={cells.toggle} data-state="grant" aria-hidden="true">
          <Plus />
        </span>
        Grant pending (not saved)
      </li>
      <li>
        <span className={cells.toggle} data-state="revoke" aria-hidden="true">
          <Minus />
        </span>
        Revoke pending (not saved)
      </li>
      <li>
        <Lock aria-hidden="true" className={styles.legendLock} />
        Protected environment: saving asks you to confirm
      </li>
    </ul>
  )
}
