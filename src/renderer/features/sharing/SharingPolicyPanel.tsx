import { REFUSE_EXPOSED_USE_ONLY_LABEL } from '../../../shared/providers/use-only-exchange'
import { useSettingsQuery, useUpdateSettings } from '../../api/queries'
import { ErrorNotice } from '../../components/ErrorNotice'
import { useChoiceShownAtOnce } from '../../lib/useChoiceShownAtOnce'
import styles from './Sharing.module.css'

/**
 * The sender's policy on use-only shares, beside the shares it governs: refuse those whose
 * secrets the recipient's tools would receive as they are (a token, a password).
 */
export function SharingPolicyPanel() {
  const settings = useSettingsQuery()
  const update = useUpdateSettings()
  const [refuse, chooseRefuse] = useChoiceShownAtOnce(
    settings.data?.refuseExposedUseOnly ?? false,
    (choice) => update.mutateAsync({ refuseExposedUseOnly: choice }),
  )
  return (
    <section className={styles.panel} aria-labelledby="sharing-policy-title">
      <h2 id="sharing-policy-title" className={styles.panelTitle}>
        Your sharing policy
      </h2>
      <div className={styles.checkField}>
        <input
          id="refuse-exposed-use-only"
          type="checkbox"
          checked={refuse}
          disabled={!settings.data}
          aria-describedby="refuse-exposed-use-only-help"
          onChange={(event) => chooseRefuse(event.target.checked)}
        />
        <label htmlFor="refuse-exposed-use-only">{REFUSE_EXPOSED_USE_ONLY_LABEL}</label>
        <p id="refuse-exposed-use-only-help" className={styles.checkHelp}>
          For AWS, Google Cloud and Azure, a use-only recipient’s tools get short-lived credentials
          made from your key. Tokens and passwords (GitHub, GitLab, databases…) reach their tools as
          they are, so use-only cannot hide them. When this is on, such a use-only share is refused;
          a full copy is still allowed.
        </p>
      </div>
      {settings.isError && (
        <ErrorNotice error={settings.error} title="Your settings could not be loaded" />
      )}
      {update.isError && <ErrorNotice error={update.error} title="Not saved" />}
    </section>
  )
}
