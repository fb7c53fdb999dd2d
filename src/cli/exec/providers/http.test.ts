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
})
