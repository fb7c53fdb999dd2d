import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { getCapability } from '../shared/aws/capabilities'
import { generatePolicies } from '../shared/aws/iam-policy'

const role = 'arn:aws:iam::210987654321:role/bridgekeep-access'

describe.skipIf(!privateKeyring)('bridgekeep aws reconnect', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  let id: string
  let development: string

  beforeAll(async () => {
    vault = await cliVault()
    id = vault.services.connections.create({
      name: 'platform',
      provider: 'aws',
      authMode: 'cross-account',
      values: {
        role_arn: role,
        external_id: 'bk-platform-1234',
        capabilities: 'eks,s3',
        default_region: 'eu-west-1',
      },
    }).id
    development = vault.services.environments.list().find((e) => e.slug === 'development')!.id
    vault.services.authorizations.setAuthorizations({
      connectionId: id,
      environmentIds: [development],
    })
  })

  const stored = () => vault.services.connections.get(id)

  it('shows the diff and changes nothing without --yes', async () => {
    const result = await vault.cli(['aws', 'reconnect', 'platform', '--capabilities', 'eks'])
    expect(result.code).not.toBe(0)
    expect(result.stdout).toContain("Changing platform's capabilities: - S3 storage")
    const { read, write } = getCapability('s3')
    expect(result.stdout).toContain(`Actions taken away (${read.length + write.length}): `)
    expect(result.stderr).toContain(
      'Nothing was changed. Run: bridgekeep aws reconnect platform --capabilities eks --yes',
    )
    expect(stored().config.capabilities).toBe('eks,s3')
  })

  it('saves with --yes, keeping the id and environments, audited as an update, and writes the template', async () => {
    const file = join(vault.home, 'role.json')
    const result = await vault.cli([
      ...['aws', 'reconnect', 'platform', '--capabilities', 'eks', '--yes', '-o', file],
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('Saved: platform now has eks.')
    expect(result.stdout).toContain('aws cloudformation update-stack --region eu-west-1 ')
    expect(result.stdout).toContain('ParameterKey=ExternalId,UsePreviousValue=true')
    const after = stored()
    expect(after.id).toBe(id)
    expect(after.config.capabilities).toBe('eks')
    expect(after.config.external_id).toBe('bk-platform-1234')
    expect(vault.services.authorizations.authorizationsFor(id).environmentIds).toEqual([
      development,
    ])
    const updates = vault.services.audit.query({ filter: { actions: ['connection.update'] } })
    expect(updates.entries.map((entry) => entry.detail)).toEqual(['Changed: capabilities'])
    const template = JSON.parse(readFileSync(file, 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { PolicyDocument?: unknown } }>
    }
    const documents = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')
      .map((resource) => resource.Properties.PolicyDocument)
    expect(documents).toEqual(generatePolicies(['eks']).map((policy) => policy.document))
  })

  it('refuses -o for a connection that assumes no role, and a non-AWS connection', async () => {
    vault.services.connections.create({
      name: 'runner',
      provider: 'aws',
      authMode: 'runner-delegated',
      values: { default_region: 'eu-west-1' },
    })
    const inline = await vault.cli([
      ...['aws', 'reconnect', 'runner', '--capabilities', 'ecr', '--yes', '-o', 'x.json'],
    ])
    expect(inline.code).toBe(2)
    expect(inline.stderr).toContain('runner is not cross-account')
    vault.services.connections.create({
      name: 'gh',
      provider: 'github',
      authMode: 'inline',
      values: { token: `ghp_${'a'.repeat(36)}` },
    })
    const github = await vault.cli(['aws', 'reconnect', 'gh', '--capabilities', 'eks'])
    expect(github.code).toBe(1)
    expect(github.stderr).toContain('gh is a github connection; capabilities are for AWS')
  })
})
