import { failure } from './failure'
import type { ValidConnection, ValidInput } from './define-operations'

// The connection an operation acts with when it may borrow another's credentials (ECR, the state
// backends): the linked connection the app sent along, or the input itself.

/** The AWS connection ECR (or the S3 state backend) acts with: the linked one or its own keys. */
export function awsConnectionOf(input: ValidInput, field = 'aws_connection'): ValidConnection {
  const slug = input.config[field]
  if (slug) {
    if (input.linked?.provider !== 'aws')
      throw failure(
        'invalid-config',
        `the AWS connection ${slug} was not sent with the request.`,
        'Check that the connection exists and is authorized for this environment.',
      )
    return input.linked
  }
  return input
}

/** The Google connection the GCS state backend acts with: the linked one, or the runner's own. */
export function gcpConnectionOf(input: ValidInput): ValidConnection {
  const slug = input.config.gcp_connection
  if (!slug) return input
  if (input.linked?.provider !== 'gcp')
    throw failure(
      'invalid-config',
      `the GCP connection ${slug} was not sent with the request.`,
      'Check that the connection exists and is authorized for this environment.',
    )
  return input.linked
}
