import { describe, expect, it } from 'vitest'
import {
  awsCapabilities,
  awsCapabilityIds,
  getCapability,
  parseCapabilities,
  type AwsCapabilityId,
} from './capabilities'
import {
  generatePolicies,
  grantedActions,
  MANAGED_POLICY_MAX_CHARS,
  policyDiff,
  policySize,
  type PolicyDocument,
} from './iam-policy'

/** Each capability's actions belong to these services (the IAM prefixes). */
const services: Record<AwsCapabilityId, string[]> = {
  eks: ['eks'],
  ecs: ['ecs'],
  vpc: ['ec2'],
  s3: ['s3'],
  rds: ['rds'],
  lambda: ['lambda'],
  route53: ['route53'],
  cloudwatch: ['cloudwatch', 'logs'],
  ecr: ['ecr'],
  kms: ['kms'],
}

const READ_VERBS = /^(Describe|Get|List|BatchGet|BatchCheck|Filter|StartQuery)/
const ACTION = /^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/

/** The grammar IAM accepts for what the generator emits, checked on the parsed JSON. */
function expectValidGrammar(document: PolicyDocument) {
  const parsed = JSON.parse(JSON.stringify(document)) as Record<string, unknown>
  expect(Object.keys(parsed).sort()).toEqual(['Statement', 'Version'])
  expect(parsed.Version).toBe('2012-10-17')
  const statements = parsed.Statement as Record<string, unknown>[]
  expect(statements.length).toBeGreaterThan(0)
  const sids = statements.map((statement) => statement.Sid)
  expect(new Set(sids).size).toBe(sids.length)
  for (const statement of statements) {
    expect(
      Object.keys(statement).every((key) =>
        ['Sid', 'Effect', 'Action', 'Resource', 'Condition'].includes(key),
      ),
    ).toBe(true)
    expect(statement.Sid).toMatch(/^[A-Za-z0-9]+$/)
    expect(statement.Effect).toBe('Allow')
    expect(statement.Resource).toBe('*')
    const actions = statement.Action as string[]
    expect(actions.length).toBeGreaterThan(0)
    for (const action of actions) expect(action).toMatch(ACTION)
    expect(actions).toEqual([...new Set(actions)].sort())
  }
  expect(policySize(document)).toBe(JSON.stringify(parsed).length)
  expect(policySize(document)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS)
}

const actionsOf = (documents: PolicyDocument[]) =>
  documents.flatMap((document) => document.Statement.flatMap((statement) => statement.Action))

describe('the capability catalog', () => {
  it('has the ten capabilities, each described', () => {
    expect(awsCapabilityIds).toEqual([
      'eks',
      'ecs',
      'vpc',
      's3',
      'rds',
      'lambda',
      'route53',
      'cloudwatch',
      'ecr',
      'kms',
    ])
    for (const capability of awsCapabilities) {
      expect(capability.label).not.toBe('')
      expect(capability.description.length).toBeGreaterThan(20)
    }
  })

  it.each(awsCapabilityIds)(
    '%s names each action exactly once, in its own services, read apart from write',
    (id) => {
      const { read, write } = getCapability(id)
      const all = [...read, ...write]
      expect(new Set(all).size).toBe(all.length)
      for (const action of all) {
        expect(action).toMatch(ACTION)
        expect(services[id]).toContain(action.split(':')[0])
      }
      for (const action of read) expect(action.split(':')[1]).toMatch(READ_VERBS)
      for (const action of write) expect(action.split(':')[1]).not.toMatch(/^(Describe|Get|List)/)
    },
  )

  it('reads capability lists as users type them, and names the valid ones on a mistake', () => {
    expect(parseCapabilities(' S3, eks,s3 ,')).toEqual({ ok: true, ids: ['eks', 's3'] })
    const wrong = parseCapabilities('eks,ec2,lamda')
    expect(wrong.ok).toBe(false)
    expect(!wrong.ok && wrong.problem).toBe(
      '"ec2", "lamda" are not capabilities. Valid ones: eks, ecs, vpc, s3, rds, lambda, route53, cloudwatch, ecr, kms (comma-separated).',
    )
    expect(parseCapabilities(' , ')).toEqual({
      ok: false,
      problem:
        'name at least one of eks, ecs, vpc, s3, rds, lambda, route53, cloudwatch, ecr, kms.',
    })
  })
})

describe('the IAM policy', () => {
  it.each(awsCapabilityIds)('for %s alone grants exactly its actions', (id) => {
    const policies = generatePolicies([id])
    expect(policies).toHaveLength(1)
    const [policy] = policies
    expectValidGrammar(policy!.document)
    expect(policy!.capabilities).toEqual([id])
    const { read, write, passRoleTo } = getCapability(id)
    const expected = [...read, ...write, ...(passRoleTo ? ['iam:PassRole'] : [])].sort()
    expect(actionsOf([policy!.document]).sort()).toEqual(expected)
    const passRole = policy!.document.Statement.find((s) => s.Action.includes('iam:PassRole'))
    if (passRoleTo) {
      expect(passRole?.Action).toEqual(['iam:PassRole'])
      expect(passRole?.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': [...passRoleTo] },
      })
    } else expect(passRole).toBeUndefined()
  })

  it('with all ten splits into policies under the 6,144-character limit', () => {
    const policies = generatePolicies(awsCapabilityIds)
    const total = policies.reduce((sum, policy) => sum + policy.size, 0)
    // Too big for one managed policy: that is why there are several.
    expect(total).toBeGreaterThan(MANAGED_POLICY_MAX_CHARS)
    expect(policies.length).toBeGreaterThan(1)
    expect(policies.length).toBeLessThanOrEqual(10) // a role's default managed-policy quota
    for (const policy of policies) expectValidGrammar(policy.document)
    const actions = actionsOf(policies.map((policy) => policy.document))
    expect(new Set(actions).size).toBe(actions.length)
    expect(actions.sort()).toEqual(grantedActions(awsCapabilityIds))
    expect(policies.flatMap((policy) => policy.capabilities)).toEqual(awsCapabilityIds)
    const sids = policies.flatMap((policy) => policy.document.Statement.map((s) => s.Sid))
    expect(new Set(sids).size).toBe(sids.length)
    const passRole = policies
      .flatMap((policy) => policy.document.Statement)
      .find((statement) => statement.Sid === 'PassRoleToChosenServices')
    expect(passRole?.Condition).toEqual({
      StringEquals: {
        'iam:PassedToService': [
          'ecs-tasks.amazonaws.com',
          'eks.amazonaws.com',
          'lambda.amazonaws.com',
        ],
      },
    })
  })

  it('is the same whatever the order or repetition of the choice', () => {
    expect(generatePolicies(['s3', 'eks', 's3'])).toEqual(generatePolicies(['eks', 's3']))
  })

  it('refuses an empty choice rather than granting nothing silently', () => {
    expect(() => generatePolicies([])).toThrow(/no capabilities/)
  })
})

describe('the policy diff', () => {
  it('from all ten to EKS removes everything else and adds nothing', () => {
    const diff = policyDiff(awsCapabilityIds, ['eks'])
    expect(diff.addedCapabilities).toEqual([])
    expect(diff.removedCapabilities).toEqual(awsCapabilityIds.filter((id) => id !== 'eks'))
    expect(diff.addedActions).toEqual([])
    expect(diff.removedActions).toContain('s3:PutObject')
    expect(diff.removedActions).not.toContain('eks:DescribeCluster')
    // EKS still passes roles, so iam:PassRole stays, to fewer services.
    expect(diff.removedActions).not.toContain('iam:PassRole')
    expect(diff.removedPassRoleServices).toEqual([
      'ecs-tasks.amazonaws.com',
      'lambda.amazonaws.com',
    ])
    expect(diff.removedActions.length + grantedActions(['eks']).length).toBe(
      grantedActions(awsCapabilityIds).length,
    )
  })

  it('adding S3 to EKS adds exactly the S3 actions', () => {
    const { read, write } = getCapability('s3')
    expect(policyDiff(['eks'], ['eks', 's3'])).toEqual({
      addedCapabilities: ['s3'],
      removedCapabilities: [],
      addedActions: [...read, ...write].sort(),
      removedActions: [],
      addedPassRoleServices: [],
      removedPassRoleServices: [],
    })
  })

  it('from S3 to Lambda swaps the actions and starts passing roles', () => {
    const diff = policyDiff(['s3'], ['lambda'])
    expect(diff.addedActions).toContain('iam:PassRole')
    expect(diff.addedActions).toContain('lambda:CreateFunction')
    expect(diff.removedActions).toContain('s3:GetObject')
    expect(diff.addedPassRoleServices).toEqual(['lambda.amazonaws.com'])
  })

  it('is empty when nothing changes', () => {
    const diff = policyDiff(['kms', 'rds'], ['rds', 'kms'])
    expect(Object.values(diff).every((list) => list.length === 0)).toBe(true)
  })
})
