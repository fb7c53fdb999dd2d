/**
 * Connections that borrow another connection's credentials through a field naming it by slug:
 * ECR and the S3 state backend use an AWS connection, the GCS state backend a GCP one. Whatever
 * uses such a connection (exec, verify) resolves the borrowed one too, in the same environment.
 */
const BORROWING: Readonly<Record<string, { field: string; provider: string }>> = {
  ecr: { field: 'aws_connection', provider: 'aws' },
  's3-state': { field: 'aws_connection', provider: 'aws' },
  'gcs-state': { field: 'gcp_connection', provider: 'gcp' },
}

/** The field and provider through which `provider` borrows, if it does. */
export function borrowingOf(provider: string): { field: string; provider: string } | undefined {
  return Object.hasOwn(BORROWING, provider) ? BORROWING[provider] : undefined
}
