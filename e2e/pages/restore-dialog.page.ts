import { expect, type Locator, type Page } from '@playwright/test'

/**
 * "Restore from a backup": the same dialog from Settings, the welcome screen and the damaged
 * vault's screen. Replacing a vault asks for a confirmation; a fresh data folder does not.
 */
export class RestoreDialog {
  readonly dialog: Locator
  readonly file: Locator
  readonly recoveryKey: Locator
  readonly replaceCheckbox: Locator
  readonly errorNotice: Locator

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Restore from a backup' })
    this.file = this.dialog.getByLabel('Backup file')
    this.recoveryKey = this.dialog.getByLabel('Recovery key', { exact: true })
    this.replaceCheckbox = this.dialog.getByRole('checkbox', { name: 'Replace the current vault' })
    this.errorNotice = this.dialog.getByTestId('error-notice')
  }

  /** Chooses the file and types the key; ticks "Replace the current vault" when asked to. */
  async fill(file: string, recoveryKey: string, options: { replace?: boolean } = {}) {
    await this.file.setInputFiles(file)
    await this.recoveryKey.fill(recoveryKey)
    if (options.replace) await this.replaceCheckbox.check()
  }

  /** The submit button: "Replace and restore" over a vault, "Restore" in a fresh folder. */
  async submit(): Promise<void> {
    await this.dialog.getByRole('button', { name: /^(Replace and restore|Restore)$/ }).click()
  }

  /** The success dialog, checked and closed; `replaced` says whether a vault was replaced. */
  async expectRestored(replaced: boolean): Promise<void> {
    const result = this.page
      .getByRole('dialog', { name: 'Vault restored' })
      .getByTestId('restore-result')
    await expect(result).toContainText('restored from the backup made')
    if (replaced) await expect(result).toContainText('replacing the vault')
    else await expect(result).not.toContainText('replacing')
    await this.page
      .getByRole('dialog', { name: 'Vault restored' })
      .getByRole('button', { name: 'Done' })
      .click()
  }
}
