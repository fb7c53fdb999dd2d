import { getCapability } from '../../src/shared/aws/capabilities'
import { canary, expectNoSecrets } from '../../test/fixtures/canary'
import { startCloudFormation } from '../../test/fixtures/cloudformation'
import { startFederation } from '../../test/fixtures/federation'
import { startIam } from '../../test/fixtures/iam'
import { startSts } from '../../test/fixtures/sts'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { VaultScreens } from '../pages/vault.page'

// A real runner process with the real SDKs against loopback STS, IAM, CloudFormation and the
// federation endpoint, each checking what AWS checks; several axe passes on a busy machine.
test.describe.configure({ timeout: 180_000 })

const ROLE = 'arn:aws:iam::111122223333:role/bridgekeep-access'
const STRANGER = 'arn:aws:iam::111122223333:role/other-team'
const PLACEHOLDER = 'arn:aws:iam::111122223333:role/placeholder'

test('AWS role read back from its stack and assumed before saving; permissions in health; Open console', async ({
  page,
  app,
}, testInfo) => {
  // The connection and its authorization are made through the services the page talks to, so
  // the test needs the browser host (the Electron host runs them in its own process).
  test.skip(!app.services, 'needs the main-side services in the test process')
  const services = app.services!
  const base = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/bridgekeep',
    userId: 'AIDAEXAMPLE000000051',
  }
  const externalId = `bk-${canary.alnum(24)}`
  const sts = await startSts({
    identities: [base],
    roles: [
      { arn: ROLE, externalId, trusted: [base.arn] },
      { arn: STRANGER, externalId, trusted: ['arn:aws:iam::999999999999:root'] },
    ],
  })
  const stack = {
    name: 'bridgekeep-access',
    account: base.account,
    region: 'eu-west-1',
    status: 'CREATE_IN_PROGRESS',
    outputs: {} as Record<string, string>,
  }
  const cloudFormation = await startCloudFormation({ identities: sts.identities, stacks: [stack] })
  // The role may do EKS's reads only: the rest of EKS is what health will say is missing.
  const iam = await startIam({
    users: [],
    sts,
    roles: [
      { arn: ROLE, allowed: ['SimulatePrincipalPolicy'], grants: [...getCapability('eks').read] },
    ],
  })
  const federation = await startFederation(sts)
  // The runner starts on the first operation, as a child of this process, with this environment.
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = cloudFormation.url
  process.env.BRIDGEKEEP_AWS_FEDERATION_ENDPOINT = `${federation.url}/federation`
  try {
    const connections = new ConnectionsPage(page)
    await new VaultScreens(page).createWithKeychain()
    const id = await connections.createThroughServices(services, {
      name: 'Platform',
      provider: 'aws',
      authMode: 'cross-account',
      values: {
        access_key_id: base.accessKeyId,
        secret_access_key: base.secretAccessKey,
        role_arn: PLACEHOLDER,
        external_id: externalId,
        default_region: 'eu-west-1',
        capabilities: 'eks',
        sts_endpoint: sts.url,
        iam_endpoint: iam.url,
      },
    })
    const panel = page.getByRole('region', { name: 'AWS setup' })
    const role = () => services.connections.get(id).config.role_arn

    // The stack is still being created: nothing is saved, and the page says why.
    await panel.getByRole('button', { name: 'Read role from stack' }).click()
    const refusal = panel.getByRole('alert')
    await expect(refusal).toContainText('The role was not saved')
    await expect(refusal).toContainText(
      'stack bridgekeep-access is not finished yet (CREATE_IN_PROGRESS)',
    )
    expect(role()).toBe(PLACEHOLDER)
    await saveScreenshot(page, testInfo, 'light-aws-role-stack-in-progress')

    // A pasted role that does not trust the connection: refused with the reason; Save anyway.
    await panel.getByLabel('Or paste the role ARN').fill(STRANGER)
    await panel.getByRole('button', { name: 'Check and save' }).click()
    await expect(refusal).toContainText('the role could not be assumed')
    await expect(refusal).toContainText('trust policy')
    expect(role()).toBe(PLACEHOLDER)
    await saveScreenshot(page, testInfo, 'light-aws-role-not-trusted')
    await expectAccessible(page, 'AWS role check refused')
    await refusal.getByRole('button', { name: 'Save anyway' }).click()
    await expect(panel.getByRole('status').filter({ hasText: 'Saved anyway' })).toBeVisible()
    expect(role()).toBe(STRANGER)

    // The stack completes: its RoleArn output is read, assumed with the external ID, saved.
    stack.status = 'CREATE_COMPLETE'
    stack.outputs = { RoleArn: ROLE }
    await panel.getByRole('button', { name: 'Read role from stack' }).click()
    await expect(
      panel.getByRole('status').filter({ hasText: `Saved: ${ROLE} was assumed as` }),
    ).toBeVisible()
    expect(role()).toBe(ROLE)
    expect(cloudFormation.calls.at(-1)?.accessKeyId).toBe(base.accessKeyId)
    await expect(panel).toContainText(`${ROLE} is missing`)
    await saveScreenshot(page, testInfo, 'light-aws-role-saved')

    // Health: the check passes, with the missing EKS actions as a warning and the fix.
    const health = page.getByRole('region', { name: 'Health' })
    await health.getByRole('button', { name: /^Verify( now)?$/ }).click()
    await expect(health.getByRole('status')).toContainText('Healthy, with a warning', {
      timeout: 30_000,
    })
    const warnings = health.getByRole('list', { name: 'Warnings' })
    await expect(warnings).toContainText(`${ROLE} is missing`)
    await expect(warnings).toContainText('EKS (eks): ')
    await expect(warnings).toContainText('bridgekeep aws reconnect')
    await saveScreenshot(page, testInfo, 'light-health-permissions-warning')
    await expectAccessible(page, 'health with a permissions warning')

    // Open console: main opens the browser (here a new tab) at a one-time loopback address that
    // redirects to the sign-in link; the page never has the link.
    const tab = page.context().waitForEvent('page')
    await panel.getByRole('button', { name: 'Open console' }).click()
    const opened = await tab
    await expect(opened.locator('h1')).toHaveText('Signed in')
    expect(new URL(opened.url()).searchParams.get('Action')).toBe('login')
    await opened.close()
    expect(app.browserOpened).toHaveLength(1)
    const loopback = app.browserOpened![0]!
    expect(loopback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}$/)
    // Used up: the address answers nobody after the browser.
    await expect(fetch(loopback, { redirect: 'manual' })).rejects.toThrow()
    await expect(panel.getByTestId('aws-console-status')).toContainText(
      `Opened the AWS console in your browser as ${ROLE} (development)`,
    )
    await saveScreenshot(page, testInfo, 'light-aws-console-opened')
    const token = federation.tokens.at(-1)!.signinToken
    expect(federation.logins).toHaveLength(1)
    expect(loopback).not.toContain(token)
    await expect(page.locator('body')).not.toContainText(token)
    const entry = services.audit
      .query({ limit: 20 })
      .entries.find((e) => e.action === 'aws-console')
    expect(entry?.detail).toMatch(new RegExp(`^AWS console as ${ROLE} until `))
    const issued = sts.issued.flatMap((key) => [key.secretAccessKey, key.sessionToken!])
    expectNoSecrets(services.audit.query({ limit: 100 }), [token, base.secretAccessKey, ...issued])
  } finally {
    delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION
    delete process.env.BRIDGEKEEP_AWS_FEDERATION_ENDPOINT
    await Promise.all([federation.close(), iam.close(), cloudFormation.close(), sts.close()])
  }
})
