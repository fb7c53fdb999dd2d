import type { Locator, Page } from '@playwright/test'

/** The Use it panel at the top of a connection's details page. */
export class UseItPanel {
  readonly panel: Locator

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('use-it')
  }

  /** The text of the snippet with this label (without its Copy button). */
  snippet(label: string): Locator {
    return this.panel
      .locator('div', { has: this.page.getByText(label, { exact: true }) })
      .locator('pre')
      .first()
  }
}
