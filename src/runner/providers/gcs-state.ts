import { callApi, errorMessage, statusFailure } from './https-check'
import { failure } from './failure'
import { googleCredentials, googleIdentity, googleToken } from './gcp'
import { endpointName } from './http-client'
import { defineOperations } from './define-operations'
import { gcpConnectionOf } from './linked-connection'

// The GCS state backend: the Google credentials (linked GCP connection, or Application Default
// Credentials) get a token, and the bucket is listed with it (storage.objects.list, which the
// backend needs anyway).

export const gcsStateOperations = defineOperations('gcs-state', {
  async verify(input, context) {
    const connection = gcpConnectionOf(input)
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
    googleCredentials(await googleToken(gcpConnectionOf(input), context)),
})
