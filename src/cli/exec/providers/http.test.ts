import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { inline } from './test-support'

describe('credentialsEnv: http -> Bridgekeep variables', () => {
  it('http: Bridgekeep’s own variables with the template filled', async () => {
    const plan = await credentialsEnv(
      inline(
        'http',
        {
          url: 'https://$(username):$(password)@h.example.com/x',
          method: 'POST',
          headers: 'Authorization: Bearer $(password)',
          username: 'mon',
        },
        { password: 'a b' },
      ),
    )
    expect(plan.set).toEqual({
      BRIDGEKEEP_HTTP_URL: 'https://mon:a%20b@h.example.com/x',
      BRIDGEKEEP_HTTP_METHOD: 'POST',
      BRIDGEKEEP_HTTP_HEADERS: 'Authorization: Bearer a b',
      BRIDGEKEEP_HTTP_USERNAME: 'mon',
      BRIDGEKEEP_HTTP_PASSWORD: 'a b',
    })
  })

  it('http: the port applied to the URL, one variable per property, the whole URL from Password unencoded', async () => {
    const plan = await credentialsEnv(
      inline(
        'http',
        {
          url: 'https://h.example.com:8080/x?key=$(password)',
          port: '9443',
          properties: '{"tenant":"acme","api.version":"2","x-Region":"eu west"}',
        },
        { password: 'a b' },
      ),
    )
    expect(plan.set).toMatchObject({
      BRIDGEKEEP_HTTP_URL: 'https://h.example.com:9443/x?key=a%20b',
      BRIDGEKEEP_HTTP_PORT: '9443',
      BRIDGEKEEP_HTTP_PROPERTY_TENANT: 'acme',
      BRIDGEKEEP_HTTP_PROPERTY_API_VERSION: '2',
      BRIDGEKEEP_HTTP_PROPERTY_X_REGION: 'eu west',
    })
    const secretUrl = 'https://mon:p%40ss@status.example.com/health?token=a+b'
    const whole = await credentialsEnv(
      inline('http', { url: '$(password)' }, { password: secretUrl }),
    )
    expect(whole.set.BRIDGEKEEP_HTTP_URL).toBe(secretUrl)
  })

  it('http: a Password that is not a URL, and two properties with one variable, are refused without the value', async () => {
    const secret = 'not-a-url-C4NARY'
    const refused = credentialsEnv(inline('http', { url: '$(password)' }, { password: secret }))
    await expect(refused).rejects.toThrow(
      "The URL is taken whole from Password ($(password)), but Password's value is not a URL.",
    )
    await refused.catch((error: Error) =>
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain('C4NARY'),
    )
    await expect(
      credentialsEnv(
        inline('http', { url: 'https://h.example.com/', properties: '{"a-b":"1","a_b":"2"}' }),
      ),
    ).rejects.toThrow(
      'Two properties of this HTTP connection would both be BRIDGEKEEP_HTTP_PROPERTY_A_B.',
    )
  })
})
