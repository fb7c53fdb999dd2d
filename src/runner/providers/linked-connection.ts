import { failure } from './failure'
import type { ValidConnection, ValidInput } from './define-operations'

// The connection an operation acts with when it may borrow another's credentials (ECR, the state
// backends): the linked connection the app sent along when the borrowing field names one, else
// the input itself (its own keys, or the runner's own identity).

function borrowed(
  input: ValidInput,
  field: string,
  provider: 'aws' | 'gcp',
  name: string,
): ValidConnection {
  const slug = input.config[field]
  if (!slug) return input
  if (input.linked?.provider !== provider)
    throw failure(
      'invalid-config',
      `the ${name} connection ${slug} was not sent with the request.`,
      'Check that the connection exists and is authorized for this environment.',
    )
  return input.linked
}

/** The AWS connection ECR or the S3 state backend acts with. */
export const awsConnectionOf = (input: ValidInput): ValidConnection =>
  borrowed(input, 'aws_connection', 'aws', 'AWS')

/** The Google connection the GCS state backend acts with. */
export const gcpConnectionOf = (input: ValidInput): ValidConnection =>
  borrowed(input, 'gcp_connection', 'gcp', 'GCP')
