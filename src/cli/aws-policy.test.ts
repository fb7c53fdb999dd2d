import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, runCli, SLOW } from '../../test/cli'
import { awsCapabilityIds, getCapability } from '../shared/aws/capabilities'
import { generatePolicies, type GeneratedPolicy, type PolicyDiff } from '../shared/aws/iam-policy'

const principal = 'arn:aws:iam::111122223333:role/ci-runner'
const role = 'arn:aws:iam::210987654321:role/bridgekeep-access'

/** No vault: the catalog alone answers, so these run anywhere. */
const home = () => ({ env: { BRIDGEKEEP_HOME: mkdtempSync(join(tmpdir(), 'bk-awspol-')) } })

interface PolicyAnswer {
  capabilities: string[]
  policies: GeneratedPolicy[]
  diff?: PolicyDiff
  crossAccount?: {
    principal: string
    externalId: string
    externalIdGenerated: boolean
    trustPolicy: { Statement: { Condition: Record<string, Record<string, string>> }[] }
    template: string | null
  }
}

const actionsOf = (answer: PolicyAnswer) =>
  answer.policies.flatMap((p) => p.document.Statement.flatMap((s) => s.Action))

describe('bridgekeep aws policy', SLOW, () => {
  it('prints the policy of the capabilities given, and only their actions', async () => {
    const result = await runCli(['aws', 'policy', '--capabilities', 'S3,eks', '--json'], home())
    expect(result.code, result.stderr).toBe(0)
    const answer = JSON.parse(result.stdout) as PolicyAnswer
    expect(answer.capabilities).toEqual(['eks', 's3'])
    expect(answer.policies).toEqual(generatePolicies(['eks', 's3']))
    const services = new Set(actionsOf(answer).map((action) => action.split(':')[0]))
    expect([...services].sort()).toEqual(['eks', 'iam', 's3'])
    expect(answer.crossAccount).toBeUndefined()
  })

  it('splits all ten into policies under the limit, and says why', async () => {
    const result = await runCli(['aws', 'policy'], home())
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(
      /IAM policies for EKS, .*, KMS encryption: [\d,]+ characters in all, more than the 6,144 AWS allows in one managed policy, so 2 policies to attach/,
    )
    expect(result.stdout).toContain('Policy 2 of 2')
  })

  it('refuses unknown capabilities, naming the valid ones', async () => {
    const result = await runCli(['aws', 'policy', '--capabilities', 'eks,ec2'], home())
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      `"ec2" is not a capability. Valid ones: ${awsCapabilityIds.join(', ')}`,
    )
    expect(result.stdout).toBe('')
  })

  it('writes the role template with exactly the policies and prints the Quick Create parameters', async () => {
    const { env } = home()
    const file = join(env.BRIDGEKEEP_HOME, 'role.json')
    const args = ['aws', 'policy', '--capabilities', 'ecr,lambda', '--cross-account']
    const result = await runCli([...args, '--principal', principal, '-o', file, '--mfa'], { env })
    expect(result.code, result.stderr).toBe(0)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const template = JSON.parse(readFileSync(file, 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>
    }
    const documents = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')
      .map((resource) => resource.Properties.PolicyDocument)
    expect(documents).toEqual(generatePolicies(['ecr', 'lambda']).map((p) => p.document))
    expect(JSON.stringify(template.Resources.Role)).toContain('"aws:MultiFactorAuthPresent":"true"')
    const externalId = /External ID: (bk-[\w-]{43}) \(new: keep it/.exec(result.stdout)?.[1]
    expect(externalId).toBeDefined()
    expect(result.stdout).toContain(`param_ExternalId=${externalId}`)
    expect(result.stdout).toContain(`param_TrustedPrincipalArn=${principal}`)
    expect(result.stdout).toContain(`--template-body file://${file}`)
    expect(result.stdout).toContain('--capabilities lambda,ecr') // catalog order

    // Never over an existing file unless --force.
    const again = await runCli([...args, '--principal', principal, '-o', file], { env })
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(`${file} already exists. Nothing was written.`)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(template)
  })

  it('gives the whole Quick Create link for an uploaded template', async () => {
    const templateUrl = 'https://my-bucket.s3.eu-west-1.amazonaws.com/bridgekeep/role.json'
    const result = await runCli(
      [
        ...['aws', 'policy', '--capabilities', 'kms', '--cross-account', '--principal', principal],
        ...['--external-id', 'bk-team-prod-7f3e', '--template-url', templateUrl],
        ...['--region', 'eu-west-1', '--json'],
      ],
      home(),
    )
    expect(result.code, result.stderr).toBe(0)
    const answer = JSON.parse(result.stdout) as PolicyAnswer & {
      crossAccount: { templateUrl: string }
    }
    expect(answer.crossAccount.externalIdGenerated).toBe(false)
    expect(answer.crossAccount.trustPolicy.Statement[0]?.Condition).toEqual({
      StringEquals: { 'sts:ExternalId': 'bk-team-prod-7f3e' },
    })
    const human = await runCli(
      [
        ...['aws', 'policy', '--capabilities', 'kms', '--cross-account', '--principal', principal],
        ...['--external-id', 'bk-team-prod-7f3e', '--template-url', templateUrl],
      ],
      home(),
    )
    const link = /https:\/\/console\.aws\.amazon\.com\/\S+/.exec(human.stdout)?.[0]
    const query = new URLSearchParams(new URL(link ?? 'x:').hash.split('?')[1])
    expect(query.get('templateURL')).toBe(templateUrl)
    expect(query.get('param_ExternalId')).toBe('bk-team-prod-7f3e')
  })

  it.each([
    [['--principal', principal], '--principal describes a role to assume: add --cross-account'],
    [['-o', 'x.json'], '--output describes a role to assume'],
    [['--cross-account'], '--principal is required with --cross-account'],
    [
      ['--cross-account', '--principal', 'arn:aws:sts::111122223333:assumed-role/ci/i-1'],
      'assumed-role session ARN',
    ],
    [
      ['--cross-account', '--principal', principal, '--external-id', 'a b'],
      '--external-id: External ID: must be',
    ],
    [['--cross-account', '--principal', principal, '--template-url', 'http://x/t'], 'https URL'],
  ])('refuses %j with the fix', async (extra, message) => {
    const result = await runCli(['aws', 'policy', '--capabilities', 's3', ...extra], home())
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })
})

/** AWS's own template linter, when installed: it knows every IAM action's exact name. */
const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0

describe.skipIf(!cfnLint)('the template, checked by cfn-lint', SLOW, () => {
  const lint = (file: string) => spawnSync('cfn-lint', ['-t', file], { encoding: 'utf8' })

  it('passes with all ten capabilities: valid CloudFormation, every action one AWS has', async () => {
    const { env } = home()
    const file = join(env.BRIDGEKEEP_HOME, 'all.json')
    const args = ['aws', 'policy', '--cross-account', '--principal', principal, '--mfa', '-o', file]
    expect((await runCli(args, { env })).code).toBe(0)
    const clean = lint(file)
    expect(clean.stdout + clean.stderr).toBe('')
    expect(clean.status).toBe(0)
    // The linter really checks action names: one misspelled is caught.
    const bad = join(env.BRIDGEKEEP_HOME, 'bad.json')
    writeFileSync(
      bad,
      readFileSync(file, 'utf8').replace('"eks:DescribeCluster"', '"eks:DescribeClustr"'),
    )
    const caught = lint(bad)
    expect(caught.status).not.toBe(0)
    expect(caught.stdout).toContain("W3037 'describeclustr' is not one of")
  })
})

describe.skipIf(!privateKeyring)('AWS connections with capabilities', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  const config = (slug: string) =>
    vault.services.connections.get(vault.services.connections.findByRef(slug).id).config

  beforeAll(async () => {
    vault = await cliVault()
  })

  it('adds an AWS connection with the capabilities chosen, or all of them', async () => {
    const crossAccount = ['--auth-mode', 'cross-account', '--field', `role_arn=${role}`]
    const chosen = await vault.cli([
      ...['add', 'aws', '--name', 'platform', ...crossAccount],
      ...['--field', 'external_id=bk-platform-1234', '--capabilities', 's3, EKS'],
    ])
    expect(chosen.code, chosen.stderr).toBe(0)
    expect(config('platform').capabilities).toBe('eks,s3')

    const all = await vault.cli([
      ...['add', 'aws', '--name', 'everything', '--auth-mode', 'runner-delegated'],
    ])
    expect(all.code, all.stderr).toBe(0)
    expect(config('everything').capabilities).toBe(awsCapabilityIds.join(','))

    const wrong = await vault.cli([
      ...['add', 'aws', '--name', 'wrong', '--auth-mode', 'runner-delegated'],
      ...['--capabilities', 'eks,dynamodb'],
    ])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain(
      `Capabilities: "dynamodb" is not a capability. Valid ones: ${awsCapabilityIds.join(', ')}`,
    )
    const github = await vault.cli(['add', 'github', '--name', 'gh', '--capabilities', 'eks'])
    expect(github.code).toBe(2)
    expect(github.stderr).toContain('--capabilities is for AWS connections, not github.')
  })

  it("shows what narrowing a connection's capabilities changes, with its external ID", async () => {
    const result = await vault.cli([
      ...['aws', 'policy', 'platform', '--capabilities', 'eks', '--principal', principal, '--json'],
    ])
    expect(result.code, result.stderr).toBe(0)
    const answer = JSON.parse(result.stdout) as PolicyAnswer
    const { read, write } = getCapability('s3')
    expect(answer.diff).toEqual({
      addedCapabilities: [],
      removedCapabilities: ['s3'],
      addedActions: [],
      removedActions: [...read, ...write].sort(),
      addedPassRoleServices: [],
      removedPassRoleServices: [],
    })
    // A cross-account connection: its trust policy, with the external ID it already has.
    expect(answer.crossAccount?.externalId).toBe('bk-platform-1234')
    expect(answer.crossAccount?.externalIdGenerated).toBe(false)

    const text = await vault.cli(['aws', 'policy', 'platform', '--capabilities', 'eks,s3,kms'])
    expect(text.code).toBe(2)
    expect(text.stderr).toContain('--principal is required with --cross-account')
    const inline = await vault.cli(['aws', 'policy', 'everything', '--capabilities', 'ecr'])
    expect(inline.code, inline.stderr).toBe(0)
    expect(inline.stdout).toMatch(/^Changing everything's capabilities: - EKS; - ECS;/)
    expect(inline.stdout).toContain('bridgekeep aws reconnect everything --capabilities ecr')
  })

  it('refuses a connection that is not AWS', async () => {
    vault.services.connections.create({
      name: 'gh',
      provider: 'github',
      authMode: 'inline',
      values: { token: `ghp_${'a'.repeat(36)}` },
    })
    const result = await vault.cli(['aws', 'policy', 'gh'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'gh is a github connection; IAM policies are for AWS connections.',
    )
  })
})
