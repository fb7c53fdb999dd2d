import { getCapability, type AwsCapabilityId } from '../shared/aws/capabilities'
import { DEFAULT_STACK_NAME, quickCreateUrl } from '../shared/aws/cloudformation'
import {
  MANAGED_POLICY_MAX_CHARS,
  type GeneratedPolicy,
  type PolicyDiff,
} from '../shared/aws/iam-policy'
import { createStackCommand, roleArnCommand, stackParameters } from '../shared/aws/stack-commands'
import type { TrustPolicy } from '../shared/aws/trust-policy'

/** What `bridgekeep aws policy --cross-account` settled on for the role. */
export interface RoleSetup {
  capabilities: AwsCapabilityId[]
  principal: string
  externalId: string
  /** Made up now: the user must keep it (it goes into the connection). */
  externalIdGenerated: boolean
  requireMfa: boolean
  region: string
  stackName: string | undefined
  templateUrl: string | undefined
}

const count = (n: number) => n.toLocaleString('en-US')
const labels = (ids: readonly AwsCapabilityId[]) =>
  ids.map((id) => getCapability(id).label).join(', ')
const json = (value: unknown) => JSON.stringify(value, null, 2)

export function policiesText(chosen: AwsCapabilityId[], policies: GeneratedPolicy[]): string[] {
  if (policies.length === 1)
    return [
      `IAM policy for ${labels(chosen)}: one managed policy of ${count(policies[0]!.size)} characters (AWS allows ${count(MANAGED_POLICY_MAX_CHARS)}).`,
      json(policies[0]!.document),
    ]
  const total = policies.reduce((sum, policy) => sum + policy.size, 0)
  return [
    `IAM policies for ${labels(chosen)}: ${count(total)} characters in all, more than the ${count(MANAGED_POLICY_MAX_CHARS)} AWS allows in one managed policy, so ${policies.length} policies to attach to the same user or role.`,
    ...policies.flatMap((policy, index) => [
      '',
      `Policy ${index + 1} of ${policies.length} (${labels(policy.capabilities) || 'passing roles'}; ${count(policy.size)} characters):`,
      json(policy.document),
    ]),
  ]
}

/** What changing a connection's capabilities grants and takes away, before anything else. */
export function diffText(diff: PolicyDiff, slug: string, target: AwsCapabilityId[]): string[] {
  const lines = diffLines(diff, slug)
  if (lines.length === 1) return [...lines, '']
  return [
    ...lines,
    'Update the role or user with the policy below, then record the change:',
    `  bridgekeep aws reconnect ${slug} --capabilities ${target.join(',')}`,
    '',
  ]
}

/** The capabilities and actions a change adds and removes; one line when nothing changes. */
export function diffLines(diff: PolicyDiff, slug: string): string[] {
  const changes = [
    ...diff.addedCapabilities.map((id) => `+ ${getCapability(id).label}`),
    ...diff.removedCapabilities.map((id) => `- ${getCapability(id).label}`),
  ]
  if (changes.length === 0) return [`${slug} has these capabilities already: nothing changes.`]
  const list = (actions: string[]) => (actions.length ? actions.join(', ') : 'none')
  return [
    `Changing ${slug}'s capabilities: ${changes.join('; ')}`,
    `Actions granted (${diff.addedActions.length}): ${list(diff.addedActions)}`,
    `Actions taken away (${diff.removedActions.length}): ${list(diff.removedActions)}`,
    ...(diff.addedPassRoleServices.length
      ? [`iam:PassRole now also to: ${diff.addedPassRoleServices.join(', ')}`]
      : []),
    ...(diff.removedPassRoleServices.length
      ? [`iam:PassRole no longer to: ${diff.removedPassRoleServices.join(', ')}`]
      : []),
  ]
}

export function crossAccountText(
  setup: RoleSetup,
  trust: TrustPolicy,
  templatePath: string | undefined,
  connectionSlug: string | undefined,
): string[] {
  const stackName = setup.stackName ?? DEFAULT_STACK_NAME
  const stack = { ...setup, stackName }
  return [
    '',
    `Trust policy: only ${setup.principal} may assume the role, presenting the external ID${setup.requireMfa ? ', signed in with MFA' : ''}:`,
    json(trust),
    setup.externalIdGenerated
      ? `External ID: ${setup.externalId} (new: keep it, it goes into the connection with the role ARN)`
      : `External ID: ${setup.externalId}`,
    '',
    templatePath
      ? `CloudFormation template creating the role with exactly these policies: ${templatePath}`
      : 'Give -o <file> to write the CloudFormation template that creates the role with these policies.',
    ...(setup.templateUrl
      ? [
          'Quick Create link (the console asks you to acknowledge that it creates IAM resources):',
          `  ${quickCreateUrl({ ...setup, templateUrl: setup.templateUrl, stackName })}`,
        ]
      : [
          'Quick Create: the console loads the template from Amazon S3. Upload the file to a bucket of yours',
          'and give its https URL with --template-url for the whole link. Its parameters:',
          `  region=${setup.region}`,
          `  templateURL=<the uploaded template's https URL>`,
          `  stackName=${stackName}`,
          ...Object.entries(stackParameters(stack)).map(
            ([name, value]) => `  param_${name}=${value}`,
          ),
        ]),
    'Or create the stack from the file, without hosting it:',
    ...createStackCommand(stack, templatePath ?? '<template.json>').map((line) => `  ${line}`),
    "Then read the role's ARN from the stack's outputs:",
    `  ${roleArnCommand(stack)}`,
    'and save it:',
    connectionSlug
      ? `  bridgekeep edit ${connectionSlug} --set role_arn=<the role ARN> --set external_id=${setup.externalId} --set capabilities=${setup.capabilities.join(',')}`
      : `  bridgekeep add aws --name <name> --auth-mode cross-account --field role_arn=<the role ARN> --field external_id=${setup.externalId} --capabilities ${setup.capabilities.join(',')}`,
  ]
}
