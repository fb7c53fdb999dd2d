import { awsPartition } from '../providers/regions'
import { getCapability, type AwsCapabilityId } from './capabilities'
import { generatePolicies, type GeneratedPolicy } from './iam-policy'
import { trustPolicy } from './trust-policy'

/** The template's parameters, also the names the Quick Create link fills (param_<name>). */
export const TEMPLATE_PARAMETERS = {
  externalId: 'ExternalId',
  principal: 'TrustedPrincipalArn',
  roleName: 'RoleName',
} as const

export const DEFAULT_ROLE_NAME = 'bridgekeep-access'
export const DEFAULT_STACK_NAME = 'bridgekeep-access'
/** The stack output naming the role to assume. */
export const ROLE_ARN_OUTPUT = 'RoleArn'

interface Resource {
  Type: string
  Properties: Record<string, unknown>
}

export interface RoleTemplate {
  AWSTemplateFormatVersion: '2010-09-09'
  Description: string
  Parameters: Record<string, Record<string, unknown>>
  Resources: Record<string, Resource>
  Outputs: Record<string, { Description: string; Value: unknown }>
}

/** Logical IDs of the policy resources: Policy1, Policy2... */
export const policyResourceId = (index: number) => `Policy${index + 1}`

/**
 * A CloudFormation template creating the cross-account role: its trust policy names the
 * principal and requires the external ID (both stack parameters, so one template serves any
 * account), and it holds exactly the generated managed policies. The role ARN is an output, read
 * back after the stack is created.
 */
export function roleTemplate(
  ids: readonly AwsCapabilityId[],
  options: { requireMfa?: boolean } = {},
): RoleTemplate {
  const policies = generatePolicies(ids)
  const labels = ids.map((id) => getCapability(id).label).join(', ')
  const resources: Record<string, Resource> = {}
  policies.forEach((policy, index) => {
    resources[policyResourceId(index)] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Description: policyDescription(policy, index, policies.length),
        PolicyDocument: policy.document,
        Roles: [{ Ref: 'Role' }],
      },
    }
  })
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Bridgekeep cross-account role (${labels}${options.requireMfa ? '; MFA required' : ''}).`,
    Parameters: {
      [TEMPLATE_PARAMETERS.principal]: {
        Type: 'String',
        Description: 'The IAM user or role Bridgekeep acts as, which may assume this role.',
        AllowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:(root|user/.+|role/.+)$',
      },
      [TEMPLATE_PARAMETERS.externalId]: {
        Type: 'String',
        Description: 'The external ID Bridgekeep presents (sts:ExternalId); keep it as generated.',
        MinLength: 2,
        MaxLength: 1224,
        AllowedPattern: '^[\\w+=,.@:/-]+$',
      },
      [TEMPLATE_PARAMETERS.roleName]: {
        Type: 'String',
        Default: DEFAULT_ROLE_NAME,
        Description: 'The name of the role to create.',
        AllowedPattern: '^[\\w+=,.@-]{1,64}$',
      },
    },
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { Ref: TEMPLATE_PARAMETERS.roleName },
          Description: `Assumed by Bridgekeep for: ${labels}.`.slice(0, 1000),
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: trustPolicy({
            principal: { Ref: TEMPLATE_PARAMETERS.principal },
            externalId: { Ref: TEMPLATE_PARAMETERS.externalId },
            requireMfa: options.requireMfa ?? false,
          }),
        },
      },
      ...resources,
    },
    Outputs: {
      [ROLE_ARN_OUTPUT]: {
        Description: "Paste into the AWS connection's Role ARN field.",
        Value: { 'Fn::GetAtt': ['Role', 'Arn'] },
      },
    },
  }
}

function policyDescription(policy: GeneratedPolicy, index: number, count: number): string {
  const what = policy.capabilities.map((id) => getCapability(id).label).join(', ') || 'PassRole'
  return `Bridgekeep: ${what}${count > 1 ? ` (part ${index + 1} of ${count})` : ''}.`
}

/** The console's host in each partition. */
const consoleHosts = {
  aws: 'console.aws.amazon.com',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  'aws-cn': 'console.amazonaws.cn',
} as const

export interface QuickCreateInput {
  region: string
  /** Where the template is hosted: an https URL of an Amazon S3 object. */
  templateUrl: string
  stackName?: string
  externalId: string
  principal: string
  roleName?: string
}

/**
 * The console link that opens "Quick create stack" with the template and its parameters filled
 * in. The console loads the template from templateURL itself, so it must be an https URL of an
 * object in Amazon S3 that the user's account can read: the user uploads the template Bridgekeep
 * wrote. The user still reviews it and acknowledges that it creates IAM resources.
 */
export function quickCreateUrl(input: QuickCreateInput): string {
  const host = consoleHosts[awsPartition(input.region)]
  const query = new URLSearchParams({
    templateURL: input.templateUrl,
    stackName: input.stackName ?? DEFAULT_STACK_NAME,
    [`param_${TEMPLATE_PARAMETERS.externalId}`]: input.externalId,
    [`param_${TEMPLATE_PARAMETERS.principal}`]: input.principal,
    [`param_${TEMPLATE_PARAMETERS.roleName}`]: input.roleName ?? DEFAULT_ROLE_NAME,
  })
  const region = encodeURIComponent(input.region)
  return `https://${host}/cloudformation/home?region=${region}#/stacks/quickcreate?${query.toString()}`
}
