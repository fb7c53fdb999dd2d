import { expect, type Locator, type Page } from '@playwright/test'
import { AppShell } from './shell.page'

/** The Teams section: the team list, a team's page, and its dialogs. */
export class TeamsPage {
  readonly members: Locator
  readonly warnings: Locator
  /** The Connections tab's line saying the list is this vault's copy, and when it was synced. */
  readonly copyStatus: Locator

  constructor(readonly page: Page) {
    this.members = page.getByRole('table', { name: /^Members of / })
    this.warnings = page.getByTestId('team-warnings')
    this.copyStatus = page.getByTestId('team-copy-status')
  }

  async open(): Promise<void> {
    await new AppShell(this.page).open('Teams')
  }

  /** Opens a team's page from the team list. */
  async openTeam(name: string): Promise<void> {
    await this.open()
    await this.page.getByTestId('team-link').filter({ hasText: name }).click()
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(name)
  }

  tab(name: string): Locator {
    return this.page.getByRole('tab', { name })
  }

  teamConnection(name: string): Locator {
    return this.page.getByTestId('team-connection-row').filter({ hasText: name })
  }

  dialog(name: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name })
  }

  /** A confirmation (change a role, remove a member): an alert dialog. */
  confirmation(name: string | RegExp): Locator {
    return this.page.getByRole('alertdialog', { name })
  }

  member(name: string): Locator {
    return this.page.getByTestId('member-row').filter({ hasText: name })
  }

  /** The roles by member name, as the members table shows them. */
  async roles(): Promise<Record<string, string>> {
    await expect(this.members).toBeVisible()
    const rows = await this.page.getByTestId('member-row').all()
    const entries = await Promise.all(
      rows.map(async (row) => {
        const cells = await row.getByRole('cell').allInnerTexts()
        return [cells[0]!.replace(/\s*you$/, '').trim(), cells[2]!.trim()] as const
      }),
    )
    return Object.fromEntries(entries)
  }
}
