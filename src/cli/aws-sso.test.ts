import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { expectNoSecrets } from '../../test/fixtures/canary'
import { startSsoFixture, type SsoFixture } from '../../test/fixtures/sso'
import { startSts, type StsFixture } from '../../test/fixtures/sts'

const START_URL = 'https://my-org.awsapps.com/start'

/** A node one-liner run by exec that prints the AWS variables it got. */
const printAws = [
  '--',
  process.execPath,
  '-e',
  'const e = {}; for (const n of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION"]) e[n] = process.env[n] ?? null; console.log(JSON.stringify(e))',
]

/**
 * IAM Identity Center from the command line as a user runs it: real processes over a keychain
 * vault, the official SDK clients against the loopback SSO-OIDC and portal endpoints. The test
 * plays the user approving the code once login has printed it.
 */
describe.skipIf(!privateKeyring)('bridgekeep aws sso', SLOW, () => {
  let sso: SsoFixture
  let sts: StsFixture
  let vault: Awaited<ReturnType<typeof cliVault>>
  const outputs: unknown[] = []
  const instance = () => [
    '--start-url',
    START_URL,
    '--region',
    'eu-west-1',
    '--oidc-endpoint',
    sso.oidc.url,
    '--portal-endpoint',
    sso.portal.url,
  ]

  beforeAll(async () => {
    sts = await startSts({ identities: [] })
    sso = await startSsoFixture({
      // STS accepts the role credentials the portal hands out, as AWS does.
      onRoleCredentials: (role) =>
        sts.identities.push({
          ...role,
          account: role.accountId,
          arn: `arn:aws:sts::${role.accountId}:assumed-role/AWSReservedSSO_${role.roleName}_0123456789abcdef/alice`,
          userId: 'AROAEXAMPLE000000001:alice',
        }),
      assignments: [
        { accountId: '111111111111', accountName: 'prod', roles: ['Admin', 'ReadOnly'] },
        { accountId: '222222222222', accountName: 'staging', roles: ['Deploy'] },
      ],
    })
    vault = await cliVault()
  })
  afterAll(async () => {
    await sso?.close()
    await sts?.close()
  })

  it('login prints the page and the code, waits for approval, then lists accounts and permission sets', async () => {
    let approvedCode = ''
    const result = await vault.cli(['aws', 'sso', 'login', ...instance(), '--no-browser'], {
      started: (child) =>
        child.stdout!.on('data', (chunk: Buffer) => {
          if (!approvedCode && chunk.toString().includes('confirm this code'))
            approvedCode = sso.approve()
        }),
    })
    outputs.push(result)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      'To sign in, open https://device.sso.us-east-1.amazonaws.com/ and confirm this code:',
    )
    expect(approvedCode).not.toBe('')
    expect(result.stdout).toContain(`    ${approvedCode}\n`)
    expect(result.stdout).toContain(`Signed in to ${START_URL} (eu-west-1).`)
    expect(result.stdout).toMatch(/111111111111\s+prod\s+Admin/)
    expect(result.stdout).toMatch(/111111111111\s+prod\s+ReadOnly/)
    expect(result.stdout).toMatch(/222222222222\s+staging\s+Deploy/)
    expect(sso.calls.filter((call) => call === 'CreateToken:device').length).toBeGreaterThan(0)
    // Audited as the app's sign-in is: the instance and what it gave, never the code.
    const entries = vault.services.audit.query({ filter: { actions: ['aws-sso.sign-in'] } }).entries
    expect(entries).toMatchObject([
      {
        outcome: 'success',
        targetType: 'aws-sso',
        targetName: START_URL,
        detail: `${START_URL} (eu-west-1). Signed in: 2 accounts, 3 permission sets.`,
      },
    ])
    expect(JSON.stringify(entries)).not.toContain(approvedCode)
  })

  it('add creates one connection per chosen account and permission set, authorized as asked', async () => {
    const none = await vault.cli(['aws', 'sso', 'add', ...instance(), '--role', 'Nope'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain(
      'no account and permission set matches. You may use: 111111111111 (prod): Admin, ReadOnly',
    )

    const result = await vault.cli([
      'aws',
      'sso',
      'add',
      ...instance(),
      '--role',
      'Admin',
      '--role',
      'Deploy',
      '--env',
      'staging',
    ])
    outputs.push(result)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Added prod Admin (aws, IAM Identity Center) as prod-admin.')
    expect(result.stdout).toContain(
      'Added staging Deploy (aws, IAM Identity Center) as staging-deploy.',
    )
    const prod = vault.services.connections.get(
      vault.services.connections.findByRef('prod-admin').id,
    )
    expect(prod.authMode).toBe('sso')
    expect(prod.config).toMatchObject({
      sso_start_url: START_URL,
      sso_region: 'eu-west-1',
      sso_account_id: '111111111111',
      sso_role_name: 'Admin',
    })
  })

  it('exec hands the permission set’s short-lived credentials to the tool, cached until near expiry', async () => {
    const run = () => vault.cli(['exec', 'prod-admin', '--env', 'staging', ...printAws])
    const first = await run()
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const env = JSON.parse(first.stdout) as Record<string, string>
    expect(env.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/)
    expect(sso.issued.roleSecrets).toContain(env.AWS_SECRET_ACCESS_KEY)
    expect(env.AWS_SESSION_TOKEN).toHaveLength(300)
    expect(env.AWS_REGION).toBe('eu-west-1')
    const issued = sso.calls.filter((call) => call === 'GetRoleCredentials').length
    const second = await run()
    expect(JSON.parse(second.stdout)).toEqual(env)
    expect(sso.calls.filter((call) => call === 'GetRoleCredentials').length).toBe(issued)
    const [entry] = vault.services.audit.query({
      filter: { actions: ['exec'], outcome: 'success' },
    }).entries
    expect(JSON.stringify(entry)).toContain('sso:get-role-credentials')
  })

  it('verify proves the permission set with its role credentials through STS', async () => {
    const prod = vault.services.connections.findByRef('prod-admin')
    vault.services.connections.update({ id: prod.id, values: { sts_endpoint: sts.url } })
    const result = await vault.cli(['verify', 'prod-admin'])
    outputs.push(result)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /prod Admin\s+Amazon Web Services\s+healthy\s+staging\s+\d+ ms\s+arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_Admin/,
    )
  })

  it('an expired sign-in says how to sign in again', async () => {
    sso.expireTokens()
    const result = await vault.cli(['exec', 'staging-deploy', '--env', 'staging', ...printAws])
    outputs.push(result)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `Sign in again: bridgekeep aws sso login --start-url ${START_URL} --region eu-west-1`,
    )
  })

  it('never writes a token, the client secret or a role secret in the clear', () => {
    const { clientSecrets, accessTokens, refreshTokens, roleSecrets, deviceCodes } = sso.issued
    const secrets = [
      ...clientSecrets,
      ...accessTokens,
      ...refreshTokens,
      ...roleSecrets,
      ...deviceCodes,
    ]
    expect(accessTokens.length).toBeGreaterThan(0)
    expect(roleSecrets.length).toBeGreaterThan(0)
    expectNoSecrets(outputs, secrets)
    expectNoSecrets(vault.services.audit.query({ filter: {} }), secrets)
    expectNoSecrets(vault.log.lines, secrets)
    for (const file of readdirSync(vault.home).filter((name) => !name.startsWith('.'))) {
      const path = join(vault.home, file)
      if (existsSync(path) && !file.endsWith('-shm'))
        expectNoSecrets(readFileSync(path).toString('latin1'), secrets)
    }
    expect(readdirSync(vault.home)).toContain('sso-sessions.json')
  })
})
