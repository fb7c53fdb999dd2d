import { expect, type Locator, type Page } from '@playwright/test'

/** The Runner section as a user meets it. */
export class RunnerScreen {
  readonly state: Locator
  readonly pid: Locator
  readonly restarts: Locator
  readonly log: Locator
  readonly metrics: Locator
  readonly idle: Locator
  readonly fleet: Locator
  readonly credentials: Locator
  readonly sidebarStatus: Locator

  constructor(readonly page: Page) {
    this.state = page.getByTestId('runner-state')
    this.pid = page.getByTestId('runner-pid')
    this.restarts = page.getByTestId('runner-restarts')
    this.log = page.getByRole('list', { name: 'Runner log' })
    this.metrics = page.getByTestId('runner-metrics')
    this.idle = page.getByTestId('runner-idle')
    this.fleet = page.getByTestId('runner-fleet')
    this.credentials = page.getByRole('region', { name: 'New runner credentials' })
    this.sidebarStatus = page.getByTestId('sidebar-runner-status')
  }

  button(name: 'Start runner' | 'Stop runner' | 'Restart runner'): Locator {
    return this.page.getByRole('button', { name, exact: true })
  }

  async expectState(state: string, timeout = 15_000): Promise<void> {
    await expect(this.state).toHaveAttribute('data-state', state, { timeout })
  }

  /** A runner's row in the fleet table, by name. */
  row(name: string): Locator {
    return this.fleet.locator(`tr[data-runner="${name}"]`)
  }

  /** Add a runner…, named `name`: the dialog then shows its credentials (or the name's error). */
  async addRunner(name: string): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Add a runner…' }).click()
    const dialog = this.page.getByRole('dialog', { name: 'Add a runner' })
    await dialog.getByLabel('Name', { exact: true }).fill(name)
    await dialog.getByRole('button', { name: 'Create credentials' }).click()
    return dialog
  }

  async filterLog(level: string, search = ''): Promise<void> {
    await this.page.getByLabel('Level').selectOption({ label: level })
    await this.page.getByLabel('Search').fill(search)
  }

  /** Downloads the credentials file just made (added or new credentials); returns its text. */
  async downloadCredentials(): Promise<string> {
    await expect(this.credentials).toContainText('it is shown only once')
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.credentials.getByRole('link', { name: /^Download bridgekeep-runner-/ }).click(),
    ])
    const stream = await download.createReadStream()
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }
}
