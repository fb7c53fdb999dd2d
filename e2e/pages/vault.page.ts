import { expect, type Locator, type Page } from '@playwright/test'

/** The screens shown instead of the app while the vault is missing or locked. */
export class VaultScreens {
  readonly heading: Locator
  readonly recoveryKey: Locator
  readonly savedCheckbox: Locator
  readonly createButton: Locator
  readonly passphrase: Locator
  readonly confirmation: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 })
    this.recoveryKey = page.getByRole('group', { name: 'Recovery key' })
    this.savedCheckbox = page.getByRole('checkbox', { name: 'I have saved my recovery key' })
    this.createButton = page.getByRole('button', { name: 'Create vault' })
    this.passphrase = page.getByLabel('Passphrase', { exact: true })
    this.confirmation = page.getByLabel('Confirm passphrase')
  }

  keychainChoice(): Locator {
    return this.page.getByRole('radio', { name: /Use the system keychain/ })
  }

  passphraseChoice(): Locator {
    return this.page.getByRole('radio', { name: /Use a passphrase instead/ })
  }

  /** The recovery key as shown, groups joined with dashes (the form a user would write down). */
  async readRecoveryKey(): Promise<string> {
    const text = (await this.recoveryKey.innerText()).trim()
    return text.split(/\s+/).join('-')
  }

  /** Creates a keychain vault and acknowledges the recovery key; returns the key. */
  async createWithKeychain(): Promise<string> {
    await expect(this.heading).toHaveText('Create your vault')
    await this.keychainChoice().check()
    await this.createButton.click()
    return this.acknowledgeRecoveryKey()
  }

  /** Creates a passphrase vault and acknowledges the recovery key; returns the key. */
  async createWithPassphrase(passphrase: string): Promise<string> {
    await expect(this.heading).toHaveText('Create your vault')
    await this.passphraseChoice().check()
    await this.passphrase.fill(passphrase)
    await this.confirmation.fill(passphrase)
    await this.createButton.click()
    return this.acknowledgeRecoveryKey()
  }

  async acknowledgeRecoveryKey(continueLabel = 'Open Bridgekeep'): Promise<string> {
    await expect(this.heading).toHaveText('Save your recovery key')
    const key = await this.readRecoveryKey()
    await this.savedCheckbox.check()
    await this.page.getByRole('button', { name: continueLabel }).click()
    return key
  }

  /** Locks from the sidebar and waits for the unlock screen. */
  async lock(): Promise<void> {
    await this.page.getByRole('button', { name: 'Lock', exact: true }).click()
    await expect(this.heading).toHaveText('Unlock your vault')
  }

  async unlockWithPassphrase(passphrase: string): Promise<void> {
    await this.passphrase.fill(passphrase)
    await this.page.getByRole('button', { name: 'Unlock', exact: true }).click()
  }

  async unlockWithRecoveryKey(key: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Use recovery key' }).click()
    await this.page.getByLabel('Recovery key', { exact: true }).fill(key)
    await this.page.getByRole('button', { name: 'Unlock with recovery key' }).click()
  }
}
