import type { EvaluationResult } from '@aws-sdk/client-iam'
import { getCapability, storedCapabilities } from '../../shared/aws/capabilities'
import type { AwsCapabilityId } from '../../shared/aws/capabilities'
import type { OperationBudget, ValidConnection } from './define-operations'
import { iam, iamClient } from './aws-iam-client'
import type { AwsKeys } from './aws-client-options'

// What a verify of an AWS connection adds to "the key works": whether the principal it acts as
// may do what the connection's capabilities say it is for. IAM's policy simulator
// (iam:SimulatePrincipalPolicy) evaluates the principal's own policies for each action without
// calling the service. A missing action is a warning with the fix; a simulator the identity may
// not call, or cannot reach, is a note: the credentials still work, only this check did not run.
// iam:PassRole is not simulated: its grant is conditional (iam:PassedToService) and the
// simulator would need that context to say anything true about it.

/** The simulator pages at most 1,000 results; 100 actions per request keeps requests small. */
const ACTIONS_PER_REQUEST = 100
/** A check of a side matter must not eat the verify's budget. */
const SIMULATE_TIMEOUT_MS = 5_000
/** Missing actions named in a warning, per capability; the rest are counted. */
const NAMED_PER_CAPABILITY = 6

export interface PermissionCheck {
  warnings: string[]
  /** Why the check did not run. */
  notes: string[]
  /** What it proved, for the identity's details: "all 42 actions of eks, s3". */
  allowed?: string
}

/**
 * The IAM principal behind a caller ARN: a user is itself, a role session its role (the
 * connection's role ARN, with its path, when it assumed one). Root and federated users have no
 * policy to simulate.
 */
export function simulatedPrincipal(callerArn: string, roleArn?: string): string | undefined {
  if (roleArn) return roleArn
  const user = /^arn:([\w-]+):iam::(\d{12}):user\/.+$/.exec(callerArn)
  if (user) return callerArn
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn)
  if (session) return `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`
  return undefined
}

/** Each capability's actions the simulator did not allow, in catalog order. */
function missingByCapability(
  capabilities: readonly AwsCapabilityId[],
  allowed: ReadonlySet<string>,
): { id: AwsCapabilityId; label: string; missing: string[] }[] {
  return capabilities
    .map((id) => {
      const capability = getCapability(id)
      const missing = [...new Set([...capability.read, ...capability.write])]
        .filter((action) => !allowed.has(action))
        .sort()
      return { id, label: capability.label, missing }
    })
    .filter((entry) => entry.missing.length > 0)
}

function warningOf(
  principal: string,
  missing: ReturnType<typeof missingByCapability>,
  crossAccount: boolean,
): string {
  const total = missing.reduce((sum, entry) => sum + entry.missing.length, 0)
  const parts = missing.map(({ id, label, missing: actions }) => {
    const named = actions.slice(0, NAMED_PER_CAPABILITY).join(', ')
    const more = actions.length - NAMED_PER_CAPABILITY
    return `${label} (${id}): ${named}${more > 0 ? ` and ${more} more` : ''}`
  })
  const fix = crossAccount
    ? "Update the role's stack with the template for these capabilities (bridgekeep aws reconnect <conn> --capabilities … -o template.json prints the update-stack command; the app's Change capabilities does the same), or narrow the connection's capabilities."
    : "Attach the policy for these capabilities (bridgekeep aws policy <conn>) to the user, or narrow the connection's capabilities (bridgekeep aws reconnect)."
  return `${principal} is missing ${total} action${total === 1 ? '' : 's'} its capabilities need — ${parts.join('; ')}. ${fix}`
}

/** Simulates every action of the connection's capabilities for the principal it acts as. */
export async function checkPermissions(
  connection: ValidConnection,
  caller: { arn: string; keys: AwsKeys | undefined },
  context: OperationBudget,
): Promise<PermissionCheck> {
  const config = connection.config
  const crossAccount = connection.authMode === 'cross-account'
  const principal = simulatedPrincipal(caller.arn, crossAccount ? config.role_arn : undefined)
  if (!principal)
    return {
      warnings: [],
      notes: [
        `Permissions were not simulated: ${caller.arn} is not an IAM user or role (the account root and federated users have no policy of their own to check).`,
      ],
    }
  // An STS endpoint of its own (a VPC endpoint, a compatible service) says nothing about where
  // IAM is: without an IAM endpoint too, the public one is not assumed.
  if (config.sts_endpoint && !config.iam_endpoint)
    return {
      warnings: [],
      notes: [
        'Permissions were not simulated: the connection sets an STS endpoint but no IAM endpoint (Advanced: IAM endpoint).',
      ],
    }
  const capabilities = storedCapabilities(config.capabilities)
  const actions = [
    ...new Set(
      capabilities.flatMap((id) => [...getCapability(id).read, ...getCapability(id).write]),
    ),
  ]
  const { SimulatePrincipalPolicyCommand } = await iam()
  const timeout = Math.min(SIMULATE_TIMEOUT_MS, context.remainingMs())
  const client = await iamClient(config, caller.keys, context, timeout)
  const allowed = new Set<string>()
  try {
    for (let start = 0; start < actions.length; start += ACTIONS_PER_REQUEST) {
      let marker: string | undefined
      do {
        const answer = await client.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: principal,
            ActionNames: actions.slice(start, start + ACTIONS_PER_REQUEST),
            MaxItems: 1000,
            ...(marker ? { Marker: marker } : {}),
          }),
          { abortSignal: context.signal },
        )
        for (const result of answer.EvaluationResults ?? ([] as EvaluationResult[]))
          if (result.EvalDecision === 'allowed' && result.EvalActionName)
            allowed.add(result.EvalActionName)
        marker = answer.IsTruncated ? answer.Marker : undefined
      } while (marker)
    }
  } catch (error) {
    // The error's name only: its message may echo the signing key of a role session.
    const name = (error as { name?: string }).name ?? 'Error'
    const denied = name === 'AccessDenied' || name === 'AccessDeniedException'
    return {
      warnings: [],
      notes: [
        denied
          ? `Permissions were not simulated: the identity may not call iam:SimulatePrincipalPolicy on ${principal}. Allow it on itself for health checks to compare its permissions with its capabilities.`
          : `Permissions were not simulated: IAM's policy simulator did not answer (${name}).`,
      ],
    }
  } finally {
    client.destroy()
  }
  const missing = missingByCapability(capabilities, allowed)
  if (missing.length) return { warnings: [warningOf(principal, missing, crossAccount)], notes: [] }
  return {
    warnings: [],
    notes: [],
    allowed: `all ${actions.length} actions of ${capabilities.join(', ')} (IAM policy simulator)`,
  }
}
