import { awsIdentity, awsSession } from './aws'
import { stsTarget } from './aws-sts'
import { defineOperations } from './define-operations'
import type { Proof, ValidInput } from './define-operations'
import { awsConnectionOf } from './linked-connection'

// ECR's login needs the ECR API, which the runner does not include: ECR is verified through STS
// with the AWS credentials it uses.

function ecrTarget(input: ValidInput) {
  const linked = awsConnectionOf(input)
  // With its own keys, ECR's account_id names the registry, which may well be another account
  // than the keys' (cross-account pulls); it is compared in a note, not enforced.
  const connection =
    linked === input ? { ...input, config: { ...input.config, account_id: '' } } : linked
  return { connection, target: stsTarget(connection.config, input.config.region) }
}

export const ecrOperations = defineOperations('ecr', {
  async verify(input, context): Promise<Proof> {
    const { connection, target } = ecrTarget(input)
    const proof = await awsIdentity(connection, target, context, input.options?.mfaCode)
    proof.identity.details.registry = `${input.config.account_id}.dkr.ecr.${input.config.region}.amazonaws.com`
    return {
      ...proof,
      notes: [
        ...(proof.notes ?? []),
        'The registry login itself was not checked (it needs the ECR API, which the runner does not include); the AWS credentials were, through STS.',
        ...(proof.identity.details.account !== input.config.account_id
          ? [
              `The credentials belong to account ${proof.identity.details.account}, the registry to ${input.config.account_id}: the repositories need a policy that allows it.`,
            ]
          : []),
      ],
    }
  },
  issueCredentials: async (input, context) => {
    const { connection, target } = ecrTarget(input)
    return awsSession(
      connection,
      target,
      context,
      input.options?.durationSeconds,
      input.options?.mfaCode,
    )
  },
})
