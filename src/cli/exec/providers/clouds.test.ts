import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { STS_ENDPOINT_FIELD } from './aws'
import { AWS_KEYS, inline, resolved, SA_KEY } from './test-support'

describe('credentialsEnv: cloud providers -> standard variables', () => {
  it('aws: keys, region, session token, and stale credential variables removed', async () => {
    const plain = resolved(
      await credentialsEnv(inline('aws', { default_region: 'eu-west-1' }, AWS_KEYS)),
    )
    expect(plain.set).toEqual({
      AWS_ACCESS_KEY_ID: AWS_KEYS.access_key_id,
      AWS_SECRET_ACCESS_KEY: AWS_KEYS.secret_access_key,
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    })
    expect(plain.unset).toEqual(
      expect.arrayContaining(['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_WEB_IDENTITY_TOKEN_FILE']),
    )
    const session = resolved(
      await credentialsEnv(
        inline('aws', { default_region: 'us-east-1' }, { ...AWS_KEYS, session_token: 'TOKEN' }),
      ),
    )
    expect(session.set.AWS_SESSION_TOKEN).toBe('TOKEN')
    expect(session.unset).not.toContain('AWS_SESSION_TOKEN')
    // An STS endpoint override (no catalog field yet) would become AWS_ENDPOINT_URL_STS.
    const sts = await credentialsEnv(
      inline('aws', { [STS_ENDPOINT_FIELD]: 'http://127.0.0.1:9' }, AWS_KEYS),
    )
    expect(sts.set.AWS_ENDPOINT_URL_STS).toBe('http://127.0.0.1:9')
    // The runner's own identity: only the region; the caller's ambient credentials stay.
    const ambient = await credentialsEnv({
      provider: 'aws',
      authMode: 'runner-delegated',
      config: { default_region: 'eu-west-1' },
      secrets: {},
    })
    expect(ambient).toEqual({
      set: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' },
      unset: [],
      files: [],
    })
  })

  it('gcp: a key file for gcloud and the client libraries, and the project', async () => {
    const plan = resolved(await credentialsEnv(inline('gcp', {}, { service_account_key: SA_KEY })))
    expect(plan.set).toEqual({
      GOOGLE_APPLICATION_CREDENTIALS: '/T/gcp-key.json',
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: '/T/gcp-key.json',
      CLOUDSDK_CORE_PROJECT: 'key-project-123',
      GOOGLE_CLOUD_PROJECT: 'key-project-123',
    })
    expect(plan.files).toEqual({ 'gcp-key.json': SA_KEY })
    expect(plan.unset).toContain('GOOGLE_CREDENTIALS')
    const overridden = await credentialsEnv(
      inline('gcp', { project_id: 'other-project' }, { service_account_key: SA_KEY }),
    )
    expect(overridden.set.CLOUDSDK_CORE_PROJECT).toBe('other-project')
  })

  it('azure: AZURE_* for the SDKs and az, ARM_* for Terraform, per cloud', async () => {
    const plan = await credentialsEnv(
      inline(
        'azure',
        { tenant_id: 'T', subscription_id: 'S', client_id: 'C', cloud: 'china' },
        { client_secret: 'SECRET' },
      ),
    )
    expect(plan.set).toEqual({
      AZURE_TENANT_ID: 'T',
      ARM_TENANT_ID: 'T',
      AZURE_SUBSCRIPTION_ID: 'S',
      ARM_SUBSCRIPTION_ID: 'S',
      AZURE_CLIENT_ID: 'C',
      ARM_CLIENT_ID: 'C',
      AZURE_CLIENT_SECRET: 'SECRET',
      ARM_CLIENT_SECRET: 'SECRET',
      AZURE_AUTHORITY_HOST: 'https://login.chinacloudapi.cn',
      ARM_ENVIRONMENT: 'china',
    })
    expect(plan.unset).toContain('AZURE_CLIENT_CERTIFICATE_PATH')
  })

  it('digitalocean, civo: their tokens', async () => {
    expect(
      (
        await credentialsEnv(
          inline(
            'digitalocean',
            {},
            { api_token: 'dop', spaces_access_key_id: 'ID', spaces_secret_key: 'SK' },
          ),
        )
      ).set,
    ).toEqual({
      DIGITALOCEAN_TOKEN: 'dop',
      DIGITALOCEAN_ACCESS_TOKEN: 'dop',
      SPACES_ACCESS_KEY_ID: 'ID',
      SPACES_SECRET_ACCESS_KEY: 'SK',
    })
    expect(
      (await credentialsEnv(inline('civo', { default_region: 'LON1' }, { api_key: 'K' }))).set,
    ).toEqual({ CIVO_TOKEN: 'K', CIVO_REGION: 'LON1' })
  })

  it('cloudflare: an API token, or the global key with its email, never both', async () => {
    const token = await credentialsEnv(
      inline('cloudflare', { account_id: 'acc' }, { api_token: 'TOK' }),
    )
    expect(token.set).toEqual({ CLOUDFLARE_API_TOKEN: 'TOK', CLOUDFLARE_ACCOUNT_ID: 'acc' })
    expect(token.unset).toEqual(['CLOUDFLARE_API_KEY', 'CLOUDFLARE_EMAIL'])
    const key = await credentialsEnv(
      inline('cloudflare', { email: 'ops@example.com' }, { global_api_key: 'KEY' }),
    )
    expect(key.set).toEqual({ CLOUDFLARE_API_KEY: 'KEY', CLOUDFLARE_EMAIL: 'ops@example.com' })
    expect(key.unset).toEqual(['CLOUDFLARE_API_TOKEN'])
  })
})
