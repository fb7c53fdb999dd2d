import { awsCapabilityIds, getCapability, type AwsCapabilityId } from './capabilities'

/** The one version of the IAM policy language; 2008-10-17 lacks policy variables. */
export const POLICY_VERSION = '2012-10-17'

/**
 * AWS's limit for one customer managed policy: 6,144 characters, whitespace not counted. An
 * inline role policy would have 10,240 for all of a role's inline policies together, and a role
 * takes 10 managed policies by default, so several managed policies is the roomier shape.
 */
export const MANAGED_POLICY_MAX_CHARS = 6144

export interface PolicyStatement {
  Sid: string
  Effect: 'Allow'
  Action: string[]
  Resource: string
  Condition?: Record<string, Record<string, string | string[]>>
}

export interface PolicyDocument {
  Version: typeof POLICY_VERSION
  Statement: PolicyStatement[]
}

export interface GeneratedPolicy {
  /** The capabilities whose statements it holds, in catalog order. */
  capabilities: AwsCapabilityId[]
  document: PolicyDocument
  /** Its length as AWS counts it (no whitespace). */
  size: number
}

/** "route53" -> "Route53": Sids are letters and digits only. */
const sidPart = (id: string) => id.charAt(0).toUpperCase() + id.slice(1)

const sortedUnique = (actions: readonly string[]) => [...new Set(actions)].sort()

/**
 * The statements for the chosen capabilities: one read and one write statement each, and one
 * iam:PassRole statement limited (iam:PassedToService) to the services they hand roles to.
 */
export function policyStatements(ids: readonly AwsCapabilityId[]): PolicyStatement[] {
  const statements: PolicyStatement[] = []
  for (const id of inCatalogOrder(ids)) {
    const capability = getCapability(id)
    for (const [level, actions] of [
      ['Read', capability.read],
      ['Write', capability.write],
    ] as const)
      statements.push({
        Sid: `${sidPart(id)}${level}`,
        Effect: 'Allow',
        Action: sortedUnique(actions),
        Resource: '*',
      })
  }
  const passedTo = passRoleServices(ids)
  if (passedTo.length > 0)
    statements.push({
      Sid: 'PassRoleToChosenServices',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:PassedToService': passedTo } },
    })
  return statements
}

/** The services the capabilities may pass a role to, sorted. */
export function passRoleServices(ids: readonly AwsCapabilityId[]): string[] {
  return sortedUnique(ids.flatMap((id) => getCapability(id).passRoleTo ?? []))
}

/** De-duplicated, in catalog order: the Sids stay unique and the output stable. */
const inCatalogOrder = (ids: readonly AwsCapabilityId[]) =>
  awsCapabilityIds.filter((id) => ids.includes(id))

/** Characters as AWS counts them against the limit: the JSON without whitespace. */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length
}

/**
 * The managed policies granting the chosen capabilities: all statements in one policy when it
 * fits AWS's 6,144-character limit, else split between policies in catalog order, each
 * capability's statements kept together (the largest, VPC networking, is under a quarter of the
 * limit). All ten together are about 9,300 characters, hence the split.
 */
export function generatePolicies(ids: readonly AwsCapabilityId[]): GeneratedPolicy[] {
  if (ids.length === 0) throw new Error('generatePolicies: no capabilities chosen')
  const groups: { capabilities: AwsCapabilityId[]; statements: PolicyStatement[] }[] = []
  const passRole = policyStatements(ids).find((s) => s.Sid === 'PassRoleToChosenServices')
  for (const id of inCatalogOrder(ids)) {
    const own = policyStatements([id]).filter((s) => s.Sid !== 'PassRoleToChosenServices')
    const last = groups.at(-1)
    if (last && fits([...last.statements, ...own])) {
      last.capabilities.push(id)
      last.statements.push(...own)
    } else groups.push({ capabilities: [id], statements: own })
  }
  if (passRole) {
    const home = groups.find((group) => fits([...group.statements, passRole]))
    if (home) home.statements.push(passRole)
    else groups.push({ capabilities: [], statements: [passRole] })
  }
  return groups.map(({ capabilities, statements }) => {
    const document = policyDocument(statements)
    const size = policySize(document)
    if (size > MANAGED_POLICY_MAX_CHARS)
      throw new Error(`a capability's statements alone exceed ${MANAGED_POLICY_MAX_CHARS} chars`)
    return { capabilities, document, size }
  })
}

function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: statements }
}

const fits = (statements: PolicyStatement[]) =>
  policySize(policyDocument(statements)) <= MANAGED_POLICY_MAX_CHARS

/** Every action the capabilities grant, sorted, iam:PassRole included when any needs it. */
export function grantedActions(ids: readonly AwsCapabilityId[]): string[] {
  return sortedUnique(policyStatements(ids).flatMap((statement) => statement.Action))
}

export interface PolicyDiff {
  addedCapabilities: AwsCapabilityId[]
  removedCapabilities: AwsCapabilityId[]
  addedActions: string[]
  removedActions: string[]
  /** iam:PassRole may stay granted while the services it may pass roles to change. */
  addedPassRoleServices: string[]
  removedPassRoleServices: string[]
}

/** What changing a connection's capabilities from `before` to `after` grants and takes away. */
export function policyDiff(
  before: readonly AwsCapabilityId[],
  after: readonly AwsCapabilityId[],
): PolicyDiff {
  const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x))
  const [was, will] = [grantedActions(before), grantedActions(after)]
  const [passedBefore, passedAfter] = [passRoleServices(before), passRoleServices(after)]
  return {
    addedCapabilities: minus(inCatalogOrder(after), before) as AwsCapabilityId[],
    removedCapabilities: minus(inCatalogOrder(before), after) as AwsCapabilityId[],
    addedActions: minus(will, was),
    removedActions: minus(was, will),
    addedPassRoleServices: minus(passedAfter, passedBefore),
    removedPassRoleServices: minus(passedBefore, passedAfter),
  }
}
