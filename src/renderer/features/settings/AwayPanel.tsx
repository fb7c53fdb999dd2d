import { useId } from 'react'
import { useSettings, useUpdateSettings } from '../../api/queries'
import { autoLockChoices, type AutoLockMinutes } from '../../../shared/settings'
import { SegmentedChoice } from '../../components/SegmentedChoice'
import { useChoiceShownAtOnce } from '../../lib/useChoiceShownAtOnce'
import styles from './SettingsPage.module.css'

const autoLockLabels: Record<AutoLockMinutes, string> = {
  0: 'Never',
  5: '5 min',
  15: '15 min',
  30: '30 min',
  60: '1 hour',
}

/** When the vault locks by itself, and whether the app keeps running with its window closed. */
export function AwayPanel() {
  const { data: settings } = useSettings()
  const update = useUpdateSettings()
  const trayId = useId()
  const [autoLockMinutes, chooseAutoLock] = useChoiceShownAtOnce(
    settings.autoLockMinutes,
    (minutes) => update.mutateAsync({ autoLockMinutes: minutes }),
  )
  const [keepRunningInTray, chooseTray] = useChoiceShownAtOnce(settings.keepRunningInTray, (keep) =>
    update.mutateAsync({ keepRunningInTray: keep }),
  )
  return (
    <section className={styles.panel} aria-labelledby="away-title">
      <h2 id="away-title" className={styles.panelTitle}>
        When you are away
      </h2>
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>Lock the vault after being idle for</legend>
        <SegmentedChoice
          name="auto-lock"
          choices={autoLockChoices}
          value={autoLockMinutes}
          onChange={chooseAutoLock}
          render={(minutes) => autoLockLabels[minutes]}
        />
        <p className={styles.help}>
          It also locks when the computer goes to sleep or its screen locks. Locked, the bridgekeep
          command is refused until you unlock, in this window or with bridgekeep unlock.
        </p>
      </fieldset>
      <div className={styles.checkboxRow}>
        <input
          id={trayId}
          type="checkbox"
          checked={keepRunningInTray}
          onChange={(event) => chooseTray(event.target.checked)}
        />
        <label htmlFor={trayId}>Keep running in the tray when the window is closed</label>
      </div>
      <p className={styles.help}>
        The runner, scheduled health checks and the bridgekeep command keep working; Quit from the
        tray or the menu stops them.
      </p>
      {update.isError && (
        <p role="alert" className={styles.error}>
          Not saved: {update.error.message}
        </p>
      )}
    </section>
  )
}
