import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { inline } from './test-support'

describe('credentialsEnv: notification services', () => {
  it('smtp: host, port (the security mode’s default when empty), login', async () => {
    const plan = await credentialsEnv(
      inline(
        'smtp',
        { host: 'smtp.example.com', security: 'tls', username: 'alerts@example.com' },
        { password: 'p w' },
      ),
    )
    expect(plan.set).toEqual({
      SMTP_HOST: 'smtp.example.com',
      SMTP_PORT: '465',
      SMTP_SECURITY: 'tls',
      SMTP_USERNAME: 'alerts@example.com',
      SMTP_PASSWORD: 'p w',
    })
  })
})
