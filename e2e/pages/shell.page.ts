import { expect, type Locator, type Page } from '@playwright/test'

export const SECTIONS = [
  'Connections',
  'Environments',
  'Sharing',
  'Teams',
  'Runner',
  'Audit',
  'Settings',
] as const
export type SectionName = (typeof SECTIONS)[number]

/** The app shell as a user meets it: the sidebar, the current section's heading and content. */
export class AppShell {
  readonly nav: Locator
  readonly heading: Locator
  readonly emptyState: Locator
  readonly errorBoundary: Locator

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Sections' })
    this.heading = page.getByRole('heading', { level: 1 })
    this.emptyState = page.getByTestId('empty-state')
    this.errorBoundary = page.getByTestId('error-boundary')
  }

  link(section: SectionName): Locator {
    return this.nav.getByRole('link', { name: section })
  }

  async open(section: SectionName): Promise<void> {
    await this.link(section).click()
    await this.expectSection(section)
  }

  async expectSection(section: SectionName): Promise<void> {
    await expect(this.heading).toHaveText(section)
    await expect(this.link(section)).toHaveAttribute('aria-current', 'page')
  }

  async theme(): Promise<string | undefined> {
    return (await this.page.locator('html').getAttribute('data-theme')) ?? undefined
  }
}
