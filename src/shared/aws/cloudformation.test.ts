import { describe, expect, it } from 'vitest'
import { aws } from '../providers/aws'
import { awsCapabilityIds } from './capabilities'
import {
  policyResourceId,
  quickCreateUrl,
  roleTemplate,
  TEMPLATE_PARAMETERS,
} from './cloudformation'
import { generatePolicies } from './iam-policy'
import { newExternalId, parsePrincipal, trustPolicy } from './trust-policy'

const principal = 'arn:aws:iam::111122223333:role/bridgekeep-runner'

describe('the trust policy', () => {
  it('lets only the principal assume the role, with the external ID', () => {
    const policy = trustPolicy({ principal, externalId: 'bk-abc' })
    expect(JSON.parse(JSON.stringify(policy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'BridgekeepAssumeRole',
          Effect: 'Allow',
          Principal: { AWS: principal },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'bk-abc' } },
        },
      ],
    })
  })

  it('requires MFA when asked', () => {
    const policy = trustPolicy({ principal, externalId: 'bk-abc', requireMfa: true })
    expect(policy.Statement[0]?.Condition).toEqual({
      StringEquals: { 'sts:ExternalId': 'bk-abc' },
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    })
  })

  it('gets a fresh, unguessable external ID that the connection field accepts', () => {
    const field = aws.fields.find((spec) => spec.key === 'external_id')!
    const ids = Array.from({ length: 200 }, newExternalId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) {
      // 32 random bytes: 43 base64url characters.
      expect(id).toMatch(/^bk-[A-Za-z0-9_-]{43}$/)
      expect(field.schema.parse(id)).toBe(id)
    }
    // Every base64url character turns up: the bytes are not drawn from a narrow range.
    expect(new Set(ids.join('').slice(3)).size).toBeGreaterThanOrEqual(64)
  })

  it('names users, roles and accounts, and refuses session ARNs with the fix', () => {
    expect(parsePrincipal(' 111122223333 ')).toEqual({
      ok: true,
      arn: 'arn:aws:iam::111122223333:root',
    })
    for (const arn of [principal, 'arn:aws-us-gov:iam::111122223333:user/ci/deployer'])
      expect(parsePrincipal(arn)).toEqual({ ok: true, arn })
    const session = parsePrincipal('arn:aws:sts::111122223333:assumed-role/runner/i-0abc')
    expect(!session.ok && session.problem).toMatch(/assumed-role session ARN.*role it belongs to/)
    const junk = parsePrincipal('arn:aws:s3:::bucket')
    expect(!junk.ok && junk.problem).toMatch(/ARN of the IAM user or role/)
  })
})

describe('the CloudFormation template', () => {
  /** Every { Ref } in the template, to check each names a parameter or a resource. */
  function refs(value: unknown): string[] {
    if (Array.isArray(value)) return value.flatMap(refs)
    if (typeof value !== 'object' || value === null) return []
    const record = value as Record<string, unknown>
    if (typeof record.Ref === 'string') return [record.Ref]
    return Object.values(record).flatMap(refs)
  }

  it.each([[['eks', 's3'] as const], [awsCapabilityIds]])(
    'for %j creates the role with exactly the generated policies',
    (ids) => {
      const template = JSON.parse(JSON.stringify(roleTemplate(ids), null, 2)) as ReturnType<
        typeof roleTemplate
      >
      const policies = generatePolicies(ids)
      expect(template.AWSTemplateFormatVersion).toBe('2010-09-09')
      const managed = Object.entries(template.Resources).filter(
        ([, resource]) => resource.Type === 'AWS::IAM::ManagedPolicy',
      )
      expect(managed.map(([id]) => id)).toEqual(policies.map((_, index) => policyResourceId(index)))
      expect(managed.map(([, resource]) => resource.Properties.PolicyDocument)).toEqual(
        policies.map((policy) => policy.document),
      )
      for (const [, resource] of managed)
        expect(resource.Properties.Roles).toEqual([{ Ref: 'Role' }])
      // Nothing else: the role and its policies.
      expect(Object.keys(template.Resources).sort()).toEqual(
        ['Role', ...managed.map(([id]) => id)].sort(),
      )
      const role = template.Resources.Role!
      expect(role.Type).toBe('AWS::IAM::Role')
      expect(role.Properties.Policies).toBeUndefined()
      expect(role.Properties.ManagedPolicyArns).toBeUndefined()
      expect(role.Properties.AssumeRolePolicyDocument).toEqual(
        trustPolicy({
          principal: { Ref: TEMPLATE_PARAMETERS.principal },
          externalId: { Ref: TEMPLATE_PARAMETERS.externalId },
        }),
      )
      expect(template.Outputs.RoleArn?.Value).toEqual({ 'Fn::GetAtt': ['Role', 'Arn'] })
      const known = [...Object.keys(template.Parameters), ...Object.keys(template.Resources)]
      for (const ref of refs(template)) expect(known).toContain(ref)
      expect(Object.keys(template.Parameters).sort()).toEqual(
        Object.values(TEMPLATE_PARAMETERS).sort(),
      )
    },
  )

  it('carries the MFA condition into the role when asked', () => {
    const role = roleTemplate(['kms'], { requireMfa: true }).Resources.Role!
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(
      '"Bool":{"aws:MultiFactorAuthPresent":"true"}',
    )
  })

  it("validates the principal parameter as the console will: a good ARN passes, a bad one doesn't", () => {
    const pattern = roleTemplate(['s3']).Parameters[TEMPLATE_PARAMETERS.principal]!
      .AllowedPattern as string
    const regex = new RegExp(pattern)
    expect(regex.test(principal)).toBe(true)
    expect(regex.test('arn:aws:iam::111122223333:root')).toBe(true)
    expect(regex.test('arn:aws:iam::1111:role/x')).toBe(false)
  })
})

describe('the Quick Create link', () => {
  it('opens the console with the template and every parameter filled in', () => {
    const link = new URL(
      quickCreateUrl({
        region: 'eu-west-1',
        templateUrl: 'https://my-bucket.s3.eu-west-1.amazonaws.com/bridgekeep/role.json',
        externalId: 'bk-abc_DEF-123',
        principal,
      }),
    )
    expect(link.origin).toBe('https://console.aws.amazon.com')
    expect(link.pathname).toBe('/cloudformation/home')
    expect(link.searchParams.get('region')).toBe('eu-west-1')
    const [route, query] = link.hash.slice(1).split('?')
    expect(route).toBe('/stacks/quickcreate')
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
      templateURL: 'https://my-bucket.s3.eu-west-1.amazonaws.com/bridgekeep/role.json',
      stackName: 'bridgekeep-access',
      param_ExternalId: 'bk-abc_DEF-123',
      param_TrustedPrincipalArn: principal,
      param_RoleName: 'bridgekeep-access',
    })
  })

  it("uses the console of the region's partition", () => {
    const gov = quickCreateUrl({
      region: 'us-gov-west-1',
      templateUrl: 'https://b.s3.us-gov-west-1.amazonaws.com/t.json',
      externalId: 'bk-x1',
      principal: 'arn:aws-us-gov:iam::111122223333:root',
      stackName: 'ci-role',
    })
    expect(new URL(gov).host).toBe('console.amazonaws-us-gov.com')
    expect(gov).toContain('stackName=ci-role')
  })
})
