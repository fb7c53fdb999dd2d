import { expect, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

test('ten thousand connections: virtualized, searchable, sortable, keyboard-navigable', async ({
  page,
  app,
}) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  // Writing 10,000 encrypted connections runs in the test process, beside the browser.
  test.slow()
  const connections = new ConnectionsPage(page)
  const shell = new AppShell(page)
  await new VaultScreens(page).createWithKeychain()
  await shell.expectSection('Connections')

  const names = Array.from({ length: 10_000 }, (_, i) => `bucket ${String(i).padStart(5, '0')}`)
  app.services!.connections.createMany(
    names.map((name, i) => ({
      name,
      provider: 's3-state',
      authMode: 'inline',
      values: { bucket: `acme-state-${i}`, region: 'us-west-2' },
      labels: i % 100 === 0 ? ['hundreds'] : [],
    })),
  )
  await page.reload()
  // The first list of 10,000 after a reload crosses Playwright's binding (about 3 MB of JSON):
  // allowed far longer than one interaction.
  await expect(page.getByText('10,000 connections')).toBeVisible({ timeout: 40_000 })
  await shell.expectSection('Connections')
  // Only the rows in view are in the DOM.
  expect(await connections.rows.count()).toBeLessThan(60)
  await expect(connections.rows.first()).toContainText('bucket 00000')

  // Sorting by a header, announced with aria-sort.
  const nameHeader = page.getByRole('columnheader', { name: 'Name' })
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending')
  await nameHeader.getByRole('button').click()
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending')
  await expect(connections.rows.first()).toContainText('bucket 09999')

  // "/" jumps to the search; the filter covers labels too.
  await page.locator('body').press('/')
  await expect(connections.search).toBeFocused()
  await connections.search.fill('hundreds')
  await expect(page.getByText('100 of 10,000 connections match')).toBeVisible()
  // Every word must match: "bucket 00424" and "bucket 04240" … "bucket 04249".
  await connections.search.fill('bucket 0424')
  await expect(page.getByText('11 of 10,000 connections match')).toBeVisible()
  await expect(connections.rows).toHaveCount(11)

  // Keyboard: into the rows, down, to the end, Enter opens.
  await connections.search.fill('')
  // The filter runs at a lower priority than typing: wait for the whole list to be back, or the
  // row focused below may be a filtered one that is about to leave the DOM.
  await expect(page.getByRole('status').filter({ hasText: /^10,000 connections$/ })).toBeVisible()
  await expect(connections.rows.first()).toContainText('bucket 09999')
  await connections.rows.first().focus()
  await page.keyboard.press('ArrowDown')
  await expect(connections.rows.nth(1)).toBeFocused()
  await page.keyboard.press('End')
  await expect(page.locator('tr[aria-rowindex="10001"]')).toBeFocused()
  await expect(page.locator('tr[aria-rowindex="10001"]')).toContainText('bucket 00000')
  await page.keyboard.press('Enter')
  await expect(connections.heading).toHaveText('bucket 00000')
})
