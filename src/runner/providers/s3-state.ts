import { awsIdentity, awsSession } from './aws'
import { stsTarget } from './aws-sts'
import { defineOperations } from './define-operations'
import { awsConnectionOf } from './linked-connection'

// The S3 state backend: the AWS credentials that reach the bucket (a linked AWS connection, or the
// runner's own identity) are proven through STS; the bucket itself is not checked, because a
// signed S3 request needs the S3 client, which the runner does not include.

export const s3StateOperations = defineOperations('s3-state', {
  async verify(input, context) {
    const connection = awsConnectionOf(input)
    const proof = await awsIdentity(
      connection,
      stsTarget(connection.config, input.config.region),
      context,
      input.options?.mfaCode,
    )
    proof.identity.details.bucket = input.config.bucket ?? ''
    return {
      ...proof,
      notes: [
        ...(proof.notes ?? []),
        `The bucket ${input.config.bucket}${input.config.lock_table ? ` and the lock table ${input.config.lock_table}` : ''} were not checked (that needs the S3 client, which the runner does not include); the AWS credentials were, through STS.`,
      ],
    }
  },
  issueCredentials: async (input, context) => {
    const connection = awsConnectionOf(input)
    return awsSession(
      connection,
      stsTarget(connection.config, input.config.region),
      context,
      input.options?.durationSeconds,
      input.options?.mfaCode,
    )
  },
})
