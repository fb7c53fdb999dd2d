import { expect, type Locator, type Page } from '@playwright/test'

/** The Sharing page: identity, import, contacts, shares sent. */
export class SharingPage {
  readonly identity: Locator
  readonly address: Locator
  readonly fingerprint: Locator
  readonly contacts: Locator
  readonly shares: Locator
  readonly importArea: Locator

  constructor(readonly page: Page) {
    this.identity = page.getByTestId('identity')
    this.address = page.getByTestId('share-address')
    this.fingerprint = page.getByTestId('identity-fingerprint')
    this.contacts = page.getByTestId('contacts')
    this.shares = page.getByTestId('shares')
    this.importArea = page.getByTestId('import')
  }

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Sharing' })
      .click()
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Sharing')
    await expect(this.address).toHaveText(/^bkshare1:/)
  }

  async addContact(name: string, address: string): Promise<void> {
    await this.contacts.getByLabel('Name').fill(name)
    await this.contacts.getByLabel('Share address').fill(address)
    await this.contacts.getByRole('button', { name: 'Add contact' }).click()
    await expect(this.contacts.getByRole('row', { name: new RegExp(name) })).toBeVisible()
  }

  /** Pastes an armored share and opens it with its passphrase. */
  async openPasted(armored: string, passphrase: string): Promise<void> {
    await this.importArea.getByText('Got the share as text? Paste it instead').click()
    await this.importArea.getByLabel('Armored share text').fill(armored)
    await this.importArea.getByRole('button', { name: 'Preview pasted text' }).click()
    await this.unlock(passphrase)
  }

  /** Opens a share file the one way there is: the "Open share file…" button's file chooser. */
  async openFile(path: string): Promise<void> {
    const choosing = this.page.waitForEvent('filechooser')
    await this.importArea.getByRole('button', { name: 'Open share file…' }).click()
    await (await choosing).setFiles(path)
  }

  /** Gives an opened share its passphrase. */
  async unlock(passphrase: string): Promise<void> {
    await this.importArea.getByLabel(/^Passphrase for/).fill(passphrase)
    await this.importArea.getByRole('button', { name: 'Unlock share' }).click()
  }

  contactRow(name: string): Locator {
    return this.contacts.getByTestId('contact-row').filter({ hasText: name })
  }
}
