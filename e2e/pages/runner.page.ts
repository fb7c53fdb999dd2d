import { expect, type Locator, type Page } from '@playwright/test'

/** The Runner section as a user meets it. */
export class RunnerScreen {
  readonly state: Locator
  readonly pid: Locator
  readonly restarts: Locator
  readonly log: Locator
  readonly metrics: Locator
  readonly idle: Locator
  readonly knownRunners: Locator
  readonly sidebarStatus: Locator

  constructor(readonly page: Page) {
    this.state = page.getByTestId('runner-state')
    this.pid = page.getByTestId('runner-pid')
    this.restarts = page.getByTestId('runner-restarts')
    this.log = page.getByRole('list', { name: 'Runner log' })
    this.metrics = page.getByTestId('runner-metrics')
    this.idle = page.getByTestId('runner-idle')
    this.knownRunners = page.getByTestId('known-runners')
    this.sidebarStatus = page.getByTestId('sidebar-runner-status')
  }

  button(name: 'Start runner' | 'Stop runner' | 'Restart runner'): Locator {
    return this.page.getByRole('button', { name, exact: true })
  }

  async expectState(state: string, timeout = 15_000): Promise<void> {
    await expect(this.state).toHaveAttribute('data-state', state, { timeout })
  }

  async filterLog(level: string, search = ''): Promise<void> {
    await this.page.getByLabel('Level').selectOption({ label: level })
    await this.page.getByLabel('Search').fill(search)
  }

  /** Generates (or regenerates) credentials and downloads the file; returns its text. */
  async downloadCredentials(): Promise<string> {
    const region = this.page.getByRole('region', { name: 'New runner credentials' })
    await expect(region).toContainText('it is shown only once')
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      region.getByRole('link', { name: /^Download bridgekeep-runner-/ }).click(),
    ])
    const stream = await download.createReadStream()
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }
}
