import { randomBytes } from 'node:crypto'
import { canary } from '../../test/fixtures/canary'
import { awsWithMfa, startSts, totp } from '../../test/fixtures/sts'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { bridgekeep } from '../fixtures/cli'
import { ConnectionsPage } from '../pages/connections.page'
import { EnvironmentsPage } from '../pages/environments.page'
import { VaultScreens } from '../pages/vault.page'

/** What keeps the AWS SDK off the instance metadata service and the user's own config. */
const NO_AMBIENT_AWS = { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null' }

// A real CLI process beside the app, a local STS checking TOTP codes, axe passes: room needed.
test.setTimeout(150_000)

test('an AWS connection with an MFA device: credential_process asks the app, the code typed in its dialog opens a session', async ({
  page,
  app,
}, testInfo) => {
  const serial = 'arn:aws:iam::210987654321:mfa/deploy-bot'
  const key = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '210987654321',
    arn: 'arn:aws:iam::210987654321:user/deploy-bot',
    userId: 'AIDAEXAMPLE000000021',
    mfa: { serial, secret: randomBytes(20) },
  }
  const sts = await startSts({ identities: [key] })
  try {
    await new VaultScreens(page).createWithKeychain()
    await new ConnectionsPage(page).create({
      providerLabel: 'Amazon Web Services',
      name: 'Deploy MFA',
      fields: [
        { label: 'Access key ID', value: key.accessKeyId },
        { label: 'Secret access key', value: key.secretAccessKey },
        { label: 'Default region', value: 'eu-west-1', kind: 'select' },
        { label: 'MFA device', value: serial },
        { label: 'STS endpoint', value: sts.url },
      ],
    })
    // The details page names the device (not secret).
    await expect(page.getByText(serial).first()).toBeVisible()
    const envs = new EnvironmentsPage(page)
    await envs.open()
    await envs.cell('Deploy MFA', 'staging').click()
    await envs.saveButton.click()
    await expect(envs.pending).toContainText('No pending changes')

    // The AWS CLI runs credential_process without a terminal: the app's agent asks in its window.
    const args = ['aws', 'credential-process', 'deploy-mfa', '--env', 'staging']
    const running = bridgekeep(app.dataDir, args, { ...process.env, ...NO_AMBIENT_AWS })
    const dialog = page.getByRole('dialog', { name: 'MFA code for Deploy MFA' })
    await expect(dialog).toBeVisible({ timeout: 30_000 })
    await expect(dialog).toContainText(serial)
    const input = dialog.getByRole('textbox', { name: 'MFA code' })
    await expect(input).toBeFocused()
    await expect(input).toHaveAttribute('autocomplete', 'one-time-code')
    await expectAccessible(page, 'the MFA code dialog')

    // Not six digits: said at the field, nothing sent.
    await input.fill('12ab')
    await input.press('Enter')
    await expect(dialog.getByText('Type the 6 digits the MFA device shows now.')).toBeVisible()
    expect(sts.calls).toEqual([])
    await input.fill(totp(key.mfa.secret))
    await saveScreenshot(page, testInfo, 'light-aws-mfa-code-dialog')
    await input.press('Enter')
    await expect(dialog).toHaveCount(0)

    const answered = await running
    expect(answered.code, answered.stderr).toBe(0)
    const session = sts.issued.at(-1)!
    expect(session).toMatchObject({ arn: key.arn, mfaPresent: true })
    expect(JSON.parse(answered.stdout)).toMatchObject({
      Version: 1,
      AccessKeyId: session.accessKeyId,
    })
    expect(answered.stdout).not.toContain(key.secretAccessKey)
    expect(sts.calls).toEqual([{ action: 'GetSessionToken', accessKeyId: key.accessKeyId }])

    // The session is cached sealed: the next call neither asks nor calls STS.
    const again = await bridgekeep(app.dataDir, args, { ...process.env, ...NO_AMBIENT_AWS })
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout).AccessKeyId).toBe(session.accessKeyId)
    expect(sts.calls).toHaveLength(1)
    await expect(page.getByRole('dialog')).toHaveCount(0)
  } finally {
    await sts.close()
  }
})

test('Verify in the app of a role behind MFA asks for the code in the dialog and assumes the role', async ({
  page,
  app,
}, testInfo) => {
  // The connection is made through the services the page talks to (the browser host).
  test.skip(!app.services, 'needs the main-side services in the test process')
  const services = app.services!
  const user = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '210987654321',
    arn: 'arn:aws:iam::210987654321:user/ops',
    userId: 'AIDAEXAMPLE000000022',
    mfa: { serial: 'arn:aws:iam::210987654321:mfa/ops', secret: randomBytes(20) },
  }
  const role = {
    arn: 'arn:aws:iam::111122223333:role/break-glass',
    externalId: `bk-${canary.alnum(24)}`,
    requireMfa: true,
  }
  const sts = await startSts({ identities: [user], roles: [role] })
  try {
    await new VaultScreens(page).createWithKeychain()
    await new ConnectionsPage(page).createThroughServices(
      services,
      awsWithMfa('Break glass', user, sts.url, role),
    )

    const health = page.getByRole('region', { name: 'Health' })
    await health.getByRole('button', { name: /^Verify( now)?$/ }).click()
    const dialog = page.getByRole('dialog', { name: 'MFA code for Break glass' })
    await expect(dialog).toBeVisible({ timeout: 30_000 })
    await expect(dialog).toContainText('Verifying assumes the connection’s role')
    await expect(dialog).toContainText(user.mfa.serial)
    await dialog.getByRole('textbox', { name: 'MFA code' }).fill(totp(user.mfa.secret))
    await saveScreenshot(page, testInfo, 'light-aws-mfa-verify-dialog')
    await dialog.getByRole('textbox', { name: 'MFA code' }).press('Enter')
    await expect(dialog).toHaveCount(0)
    await expect(health.getByRole('status')).toContainText('Healthy', { timeout: 30_000 })
    await expect(health).toContainText('arn:aws:sts::111122223333:assumed-role/break-glass/')
    expect(sts.calls.map((call) => call.action)).toEqual(['AssumeRole', 'GetCallerIdentity'])
    await saveScreenshot(page, testInfo, 'light-aws-mfa-verify-assumed')
    await expectAccessible(page, 'health of a role verified with an MFA code')
  } finally {
    await sts.close()
  }
})
