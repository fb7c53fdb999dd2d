import { expect, type Locator, type Page } from '@playwright/test'
import type { Services } from '../../src/main/services'
import type { ConnectionCreate } from '../../src/shared/connections'

/** A field of a provider form, by its label, and the value to type, pick or tick. */
export interface FieldEntry {
  label: string
  value: string
  kind?: 'text' | 'select' | 'checkbox'
}

/** A secret field set to a reference: the kind's label and its inputs by label. */
export interface ReferenceEntry {
  kind:
    | 'Environment variable'
    | 'File'
    | 'Command'
    | 'Kubernetes Secret'
    | 'Kubernetes ConfigMap'
    | 'Helm value'
  /** e.g. { 'Variable name': 'GITHUB_TOKEN' }; the Kubernetes connection is picked by its label. */
  parts: Record<string, string>
}

export interface NewConnection {
  providerLabel: string
  name: string
  /** The auth mode's label ("Stored credentials"), when the provider offers several. */
  authMode?: string
  fields: FieldEntry[]
  labels?: string
}

/** The Connections section: list, provider catalog, form, details and trash. */
export class ConnectionsPage {
  readonly heading: Locator
  readonly search: Locator
  readonly rows: Locator
  readonly form: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 })
    this.search = page.getByRole('searchbox', { name: 'Search connections' })
    this.rows = page.getByTestId('connection-row')
    this.form = page.locator('form')
  }

  async gotoList(): Promise<void> {
    await this.page.evaluate(() => {
      window.location.hash = '#/connections'
    })
    await expect(this.heading).toHaveText('Connections')
  }

  async startCreate(providerLabel: string): Promise<void> {
    await this.page.getByRole('link', { name: `Connect ${providerLabel}`, exact: true }).click()
    await expect(this.heading).toHaveText(`Connect ${providerLabel}`)
  }

  field(label: string): Locator {
    return this.form.getByLabel(label, { exact: true })
  }

  async fill(fields: FieldEntry[]): Promise<void> {
    for (const { label, value, kind = 'text' } of fields) {
      const control = this.field(label)
      await this.openAdvancedFor(control)
      if (kind === 'select') await control.selectOption(value)
      else if (kind === 'checkbox') await control.setChecked(value === 'true')
      else await control.fill(value)
    }
  }

  /** A field the form keeps under Advanced is filled as a user would: after opening Advanced. */
  private async openAdvancedFor(control: Locator): Promise<void> {
    if (await control.isVisible()) return
    const advanced = this.form.getByRole('button', { name: /^Advanced/ })
    if ((await advanced.count()) && (await advanced.getAttribute('aria-expanded')) === 'false')
      await advanced.click()
  }

  /** The whole field (label, Value | Reference switch, inputs, error, help) of a labelled field. */
  fieldBox(label: string): Locator {
    return this.form.locator('[data-field]').filter({
      has: this.page.locator('label').getByText(label, { exact: true }),
    })
  }

  /** The switch of a secret field between its value and a reference. */
  source(label: string, source: 'Value' | 'Reference'): Locator {
    return this.form
      .getByRole('radiogroup', { name: `${label}: value or reference` })
      .getByRole('radio', { name: source, exact: true })
  }

  /** One input of a field in Reference mode ("Variable name", "Namespace"…). */
  referencePart(label: string, part: string): Locator {
    return this.fieldBox(label).getByLabel(part, { exact: true })
  }

  /** Switches a secret field to Reference and fills it in: the kind, then its inputs. */
  async useReference(label: string, reference: ReferenceEntry): Promise<void> {
    await this.source(label, 'Reference').check()
    // In Reference mode the field's own label names the kind select.
    await this.field(label).selectOption({ label: reference.kind })
    for (const [part, value] of Object.entries(reference.parts)) {
      const input = this.referencePart(label, part)
      if ((await input.evaluate((element) => element.tagName)) === 'SELECT')
        await input.selectOption({ label: value })
      else await input.fill(value)
    }
  }

  /** Switches a secret field back to a value and types it. */
  async useValue(label: string, value: string): Promise<void> {
    await this.source(label, 'Value').check()
    await this.field(label).fill(value)
  }

  /** Adds name = value rows to a properties field, with the keyboard as a user would. */
  async addProperties(label: string, rows: [string, string][]): Promise<void> {
    const box = this.fieldBox(label)
    for (const [name, value] of rows) {
      await box.getByRole('button', { name: /^Add / }).click()
      // Add puts the cursor in the new row's name.
      await expect(box.getByRole('textbox', { name: / name$/ }).last()).toBeFocused()
      await this.page.keyboard.type(name)
      await this.page.keyboard.press('Tab')
      await this.page.keyboard.type(value)
    }
  }

  async save(label = 'Save connection'): Promise<void> {
    await this.page.getByRole('button', { name: label }).click()
  }

  /** Creates a connection through the form and waits for its details page. */
  async create(connection: NewConnection): Promise<void> {
    await this.gotoList()
    await this.startCreate(connection.providerLabel)
    await this.field('Name').fill(connection.name)
    if (connection.authMode) {
      await this.page.getByRole('radio', { name: new RegExp(`^${connection.authMode}`) }).check()
    }
    await this.fill(connection.fields)
    if (connection.labels) await this.field('Labels').fill(connection.labels)
    await this.save()
    await expect(this.heading).toHaveText(connection.name)
  }

  /** An inline AWS connection with long-term keys through the form, its STS (and IAM) on loopback. */
  async createAws(
    name: string,
    key: { accessKeyId: string; secretAccessKey: string },
    endpoints: { sts: string; iam?: string },
  ): Promise<void> {
    await this.create({
      providerLabel: 'Amazon Web Services',
      name,
      fields: [
        { label: 'Access key ID', value: key.accessKeyId },
        { label: 'Secret access key', value: key.secretAccessKey },
        { label: 'Default region', value: 'eu-west-1', kind: 'select' },
        { label: 'STS endpoint', value: endpoints.sts },
        ...(endpoints.iam ? [{ label: 'IAM endpoint', value: endpoints.iam }] : []),
      ],
    })
  }

  /**
   * Creates a connection through main's services (the browser host runs them in the test
   * process), authorizes it for development, and opens its page by address: it was made behind
   * the page's back, so the list loaded before does not have it. Returns its id.
   */
  async createThroughServices(services: Services, connection: ConnectionCreate): Promise<string> {
    const { id } = services.connections.create(connection)
    const development = services.environments.list().find((e) => e.slug === 'development')!
    services.authorizations.setAuthorizations({
      connectionId: id,
      environmentIds: [development.id],
    })
    await this.page.evaluate((connectionId) => {
      location.hash = `#/connections/${connectionId}`
    }, id)
    await expect(this.heading).toHaveText(connection.name)
    return id
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name })
  }

  secret(field: string): Locator {
    return this.page.locator(`[data-testid="secret-field"][data-field="${field}"]`)
  }

  secretVersion(): Locator {
    return this.page.getByTestId('secret-version')
  }

  async rotate(fields: FieldEntry[]): Promise<void> {
    await this.page.getByRole('button', { name: 'Rotate' }).click()
    const dialog = this.page.getByRole('dialog')
    for (const { label, value } of fields) {
      await dialog.getByLabel(label, { exact: true }).fill(value)
    }
    await dialog.getByRole('button', { name: 'Write new version' }).click()
    await expect(dialog).toHaveCount(0)
  }

  async moveToTrash(): Promise<void> {
    await this.page.getByRole('button', { name: 'Move to trash' }).click()
    const dialog = this.page.getByRole('alertdialog')
    await dialog.getByRole('button', { name: 'Move to trash' }).click()
    await expect(this.heading).toHaveText('Connections')
  }

  async openTrash(): Promise<void> {
    await this.gotoList()
    await this.page.getByRole('link', { name: 'Trash' }).click()
    await expect(this.heading).toHaveText('Trash')
  }

  trashItem(name: string): Locator {
    return this.page.getByTestId('trash-item').filter({ hasText: name })
  }
}
