import { useState, type ReactNode } from 'react'
import { useVaultStatus } from '../../api/vault'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Spinner } from '../../components/Spinner'
import { FirstRunScreen } from './FirstRunScreen'
import { GateLayout } from './GateLayout'
import { RestoreDamagedVault } from './RestoreDamagedVault'
import { UnlockScreen } from './UnlockScreen'
import styles from './VaultScreens.module.css'

/**
 * Shows the app only while the vault is open. Missing: the first-run screen. Locked: the unlock
 * screen. Locking (the sidebar button, Ctrl+L, or a push from main) unmounts the whole app, so
 * nothing read from the vault stays on screen or in component state.
 */
export function VaultGate({ children }: { children: ReactNode }) {
  const status = useVaultStatus()
  // From the moment creation starts until the recovery key is acknowledged, the first-run screen
  // stays, even though main already reports the new vault as unlocked.
  const [onboarding, setOnboarding] = useState(false)

  if (status.isPending) return <Spinner label="Opening the vault" />
  if (status.isError) {
    return (
      <GateLayout title="The vault could not be opened">
        <ErrorNotice
          error={status.error}
          action={
            <div className={styles.actions}>
              <RestoreDamagedVault error={status.error} />
              <button type="button" className="button" onClick={() => void status.refetch()}>
                Try again
              </button>
            </div>
          }
        />
      </GateLayout>
    )
  }
  const { state } = status.data
  if (state === 'missing' || onboarding) {
    return (
      <FirstRunScreen
        onStarted={() => setOnboarding(true)}
        onFinished={() => setOnboarding(false)}
      />
    )
  }
  if (state === 'locked') return <UnlockScreen status={status.data} />
  return children
}
