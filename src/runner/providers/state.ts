import { callApi, errorMessage, statusFailure } from './https-check'
import { awsIdentity, awsSession, stsTarget } from './aws'
import { failure } from './failure'
import { googleCredentials, googleIdentity, googleToken } from './gcp'
import { endpointName } from './http-client'
import { defineOperations } from './define-operations'
import type { ValidConnection, ValidInput } from './define-operations'
import { awsConnectionOf } from './registries'

// State backends. S3: the AWS credentials that reach the bucket (a linked AWS connection, or the
// runner's own identity) are proven through STS; the bucket itself is not checked, because a
// signed S3 request needs the S3 client, which the runner does not include. GCS: the Google
// credentials (linked GCP connection, or Application Default Credentials) get a token, and the
// bucket is listed with it (storage.objects.list, which the backend needs anyway).

function s3Connection(input: ValidInput) {
  return awsConnectionOf(input)
}

function gcpConnection(input: ValidInput): ValidConnection {
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

export const s3StateOperations = defineOperations('s3-state', {
  async verify(input, context) {
    const connection = s3Connection(input)
    const proof = await awsIdentity(
      connection,
      stsTarget(connection.config, input.config.region),
      context,
    )
    proof.identity.details.bucket = input.config.bucket ?? ''
    return {
      ...proof,
      notes: [
        `The bucket ${input.config.bucket}${input.config.lock_table ? ` and the lock table ${input.config.lock_table}` : ''} were not checked (that needs the S3 client, which the runner does not include); the AWS credentials were, through STS.`,
      ],
    }
  },
  issueCredentials: async (input, context) => {
    const connection = s3Connection(input)
    return awsSession(
      connection,
      stsTarget(connection.config, input.config.region),
      context,
      input.options?.durationSeconds,
    )
  },
})

export const gcsStateOperations = defineOperations('gcs-state', {
  async verify(input, context) {
    const connection = gcpConnection(input)
    const token = await googleToken(connection, context)
    const base = input.config.storage_endpoint ?? 'https://storage.googleapis.com'
    const bucket = input.config.bucket ?? ''
    const query = new URLSearchParams({
      maxResults: '1',
      fields: 'kind',
      ...(input.config.prefix ? { prefix: input.config.prefix } : {}),
    })
    const response = await callApi(
      `${base}/storage/v1/b/${encodeURIComponent(bucket)}/o?${query}`,
      {
        headers: { authorization: `Bearer ${token.token}`, accept: 'application/json' },
        ...(connection.config.ca_certificate ? { ca: connection.config.ca_certificate } : {}),
      },
      context,
    )
    const identity = googleIdentity(token)
    identity.details.bucket = bucket
    if (response.status === 404 && /bucket does not exist/i.test(response.body))
      throw failure(
        'wrong-target',
        `the bucket ${bucket} does not exist.`,
        'Check the bucket name (Cloud Storage → Buckets), and that it is in the project you expect.',
        identity,
      )
    if (response.status === 403)
      throw failure(
        'permission',
        `the credentials may not list the objects of ${bucket}.`,
        'Grant the service account Storage Object Admin (or at least Object User) on the bucket.',
        identity,
      )
    if (response.status !== 200)
      throw statusFailure(response, endpointName(base), {
        service: 'Cloud Storage',
        ...(errorMessage(response) ? { said: errorMessage(response)! } : {}),
        authentication:
          "The access token was refused: check the GCP connection or the runner's credentials.",
        permission: 'Grant the service account access to the bucket.',
      })
    return { identity }
  },
  issueCredentials: async (input, context) =>
    googleCredentials(await googleToken(gcpConnection(input), context)),
})
