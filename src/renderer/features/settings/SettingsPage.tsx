import { Monitor, Moon, Sun, type LucideIcon } from 'lucide-react'
import { useAppInfo, useSettings, useUpdateSettings } from '../../api/queries'
import { Page } from '../../components/Page'
import { VaultSettingsPanel } from '../vault/VaultSettingsPanel'
import { AwayPanel } from './AwayPanel'
import { BackupsPanel } from './BackupsPanel'
import { CommandLinePanel } from './CommandLinePanel'
import { SegmentedChoice } from '../../components/SegmentedChoice'
import { useChoiceShownAtOnce } from '../../lib/useChoiceShownAtOnce'
import { themePreferences, type ThemePreference } from '../../../shared/settings'
import styles from './SettingsPage.module.css'

const themeChoices: Record<ThemePreference, { label: string; icon: LucideIcon }> = {
  system: { label: 'System', icon: Monitor },
  light: { label: 'Light', icon: Sun },
  dark: { label: 'Dark', icon: Moon },
}

export function SettingsPage() {
  return (
    <Page
      title="Settings"
      description="How the vault opens and when it locks, its backups, the command line, how Bridgekeep looks, and where it keeps its data."
    >
      <VaultSettingsPanel />
      <AwayPanel />
      <BackupsPanel />
      <CommandLinePanel />
      <AppearanceSettings />
      <AboutPanel />
    </Page>
  )
}

function AppearanceSettings() {
  const { data: settings } = useSettings()
  const update = useUpdateSettings()
  const [theme, chooseTheme] = useChoiceShownAtOnce(settings.theme, (choice) =>
    update.mutateAsync({ theme: choice }),
  )
  return (
    <section className={styles.panel} aria-labelledby="appearance-title">
      <h2 id="appearance-title" className={styles.panelTitle}>
        Appearance
      </h2>
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>Theme</legend>
        <SegmentedChoice
          name="theme"
          choices={themePreferences}
          value={theme}
          onChange={chooseTheme}
          render={(theme) => {
            const { label, icon: Icon } = themeChoices[theme]
            return (
              <>
                <Icon aria-hidden="true" className={styles.segmentIcon} />
                {label}
              </>
            )
          }}
        />
        <p className={styles.help}>System follows your operating system's light or dark mode.</p>
        {update.isError && (
          <p role="alert" className={styles.error}>
            The theme was not saved: {update.error.message}
          </p>
        )}
      </fieldset>
    </section>
  )
}

function AboutPanel() {
  const info = useAppInfo()
  return (
    <section className={styles.panel} aria-labelledby="about-title">
      <h2 id="about-title" className={styles.panelTitle}>
        About
      </h2>
      {info.isError ? (
        <p role="alert" className={styles.error}>
          {info.error.message}
        </p>
      ) : (
        <dl className={styles.facts}>
          <dt>Version</dt>
          <dd>{info.data?.version ?? '…'}</dd>
          <dt>Data folder</dt>
          <dd className={styles.mono}>{info.data?.dataDir ?? '…'}</dd>
          <dt>Platform</dt>
          <dd>{info.data ? `${info.data.platform} (${info.data.host})` : '…'}</dd>
        </dl>
      )}
    </section>
  )
}
