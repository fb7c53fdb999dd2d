import { expect, type Locator, type Page } from '@playwright/test'

/** The Environments section: the authorization matrix and the environment list. */
export class EnvironmentsPage {
  readonly grid: Locator
  readonly pending: Locator
  readonly saveButton: Locator
  /** The sticky footer with the pending count, Discard and Save; absent when nothing is pending. */
  readonly footer: Locator

  constructor(readonly page: Page) {
    this.grid = page.getByRole('grid', { name: 'Authorization matrix' })
    this.pending = page.getByRole('region', { name: /pending changes/i })
    this.saveButton = page.getByRole('button', { name: /^Save \d+ changes?$/ })
    this.footer = page.getByRole('region', { name: 'Unsaved changes' })
  }

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Environments' })
      .click()
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Environments')
  }

  async tab(name: 'Authorization matrix' | 'Manage environments'): Promise<void> {
    await this.page.getByRole('tab', { name }).click()
  }

  /** The toggle for one connection in one environment. */
  cell(connection: string, environment: string): Locator {
    return this.grid.getByRole('checkbox', {
      name: new RegExp(`^${escape(connection)} in ${escape(environment)}( \\(.*\\))?$`),
    })
  }

  rowToggle(connection: string): Locator {
    return this.grid.getByRole('button', { name: new RegExp(`^${escape(connection)}: toggle`) })
  }

  columnToggle(environment: string): Locator {
    return this.grid.getByRole('button', { name: new RegExp(`^${escape(environment)}: toggle`) })
  }

  pendingItems(): Locator {
    return this.page.getByTestId('pending-changes').getByRole('listitem')
  }

  async createEnvironment(name: string, options: { protected?: boolean } = {}): Promise<void> {
    await this.page.getByRole('button', { name: 'New environment' }).click()
    const dialog = this.page.getByRole('dialog', { name: 'New environment' })
    await dialog.getByLabel('Name').fill(name)
    if (options.protected) await dialog.getByRole('checkbox', { name: /Protected/ }).check()
    await dialog.getByRole('button', { name: 'Create environment' }).click()
    await expect(dialog).toBeHidden()
    await expect(this.environmentItem(name)).toBeVisible()
  }

  environmentItem(name: string): Locator {
    return this.page.getByTestId('environment-item').filter({
      has: this.page.getByText(name, { exact: true }),
    })
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
