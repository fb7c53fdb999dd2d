import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { AWS_KEYS, inline, resolved, SA_KEY } from './test-support'

describe('credentialsEnv: state backends -> the borrowed credentials', () => {
  it('state backends: the borrowed connection’s credentials, in the bucket’s region', async () => {
    const lender = inline('aws', { default_region: 'us-east-1' }, AWS_KEYS)
    expect(
      (
        await credentialsEnv(
          inline(
            's3-state',
            { bucket: 'b', region: 'eu-west-2', aws_connection: 'x' },
            {},
            { aws_connection: lender },
          ),
        )
      ).set,
    ).toEqual({
      AWS_ACCESS_KEY_ID: AWS_KEYS.access_key_id,
      AWS_SECRET_ACCESS_KEY: AWS_KEYS.secret_access_key,
      AWS_REGION: 'eu-west-2',
      AWS_DEFAULT_REGION: 'eu-west-2',
    })
    expect(
      (await credentialsEnv(inline('s3-state', { bucket: 'b', region: 'eu-west-2' }))).set,
    ).toEqual({
      AWS_REGION: 'eu-west-2',
      AWS_DEFAULT_REGION: 'eu-west-2',
    })
    const gcs = resolved(
      await credentialsEnv(
        inline(
          'gcs-state',
          { bucket: 'b', gcp_connection: 'g' },
          {},
          { gcp_connection: inline('gcp', {}, { service_account_key: SA_KEY }) },
        ),
      ),
    )
    expect(gcs.set.GOOGLE_APPLICATION_CREDENTIALS).toBe('/T/gcp-key.json')
    expect(await credentialsEnv(inline('gcs-state', { bucket: 'b' }))).toEqual({
      set: {},
      unset: [],
      files: [],
    })
  })
})
