import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { startSmtp } from '../../../test/fixtures/smtp-server'
import type { SmtpFixture, SmtpOptions } from '../../../test/fixtures/smtp-server'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { Issued, TestCa } from '../../../test/fixtures/test-ca'
import { smtpOperations } from './smtp'

const user = 'alerts@example.com'
const password = `${canary.alnum(20)} !${canary.alnum(6)}`
let ca: TestCa
let identity: Issued
const servers: SmtpFixture[] = []

beforeAll(async () => {
  ca = await createTestCa('SMTP Test CA')
  identity = await ca.server()
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function server(options: Partial<SmtpOptions> & Pick<SmtpOptions, 'mode'>) {
  const started = await startSmtp({ user, password, tls: identity, ...options })
  servers.push(started)
  return started
}

const input = (
  port: number,
  security: string,
  overrides: { password?: string; ca?: string | null } = {},
): OperationInput => ({
  provider: 'smtp',
  authMode: 'inline',
  config: {
    host: '127.0.0.1',
    port: String(port),
    security,
    username: user,
    ...(overrides.ca === null ? {} : { ca_certificate: overrides.ca ?? ca.cert }),
  },
  secrets: { password: overrides.password ?? password },
})

describe('smtp verify', () => {
  it('STARTTLS: upgrades, signs in with AUTH PLAIN and quits without sending mail', async () => {
    const smtp = await server({ mode: 'starttls' })
    const result = await smtpOperations.verify(input(smtp.port, 'starttls'))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: `${user}@127.0.0.1:${smtp.port}`,
        details: { security: 'STARTTLS', user },
      },
    })
    // verify() resolves once QUIT is written; the server reads it a moment later.
    await expect
      .poll(() => smtp.commands, { timeout: 15_000 })
      .toEqual(['EHLO', 'STARTTLS', 'EHLO', 'AUTH PLAIN', 'QUIT'])
    expect(smtp.signedIn).toEqual([user])
    expectNoSecrets(result, [password])
  })

  it('TLS from the first byte, with AUTH LOGIN when that is all the server offers', async () => {
    const smtp = await server({ mode: 'tls', mechanisms: ['LOGIN'] })
    const result = await smtpOperations.verify(input(smtp.port, 'tls'))
    expect(result.status).toBe('healthy')
    await expect
      .poll(() => smtp.commands, { timeout: 15_000 })
      .toEqual(['EHLO', 'AUTH LOGIN', 'QUIT'])
    expect(smtp.signedIn).toEqual([user])
  })

  it('a wrong password is "Authentication failed", and neither password is in the result', async () => {
    const smtp = await server({ mode: 'starttls' })
    const wrong = `${canary.alnum(20)}!`
    const result = await smtpOperations.verify(input(smtp.port, 'starttls', { password: wrong }))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('535 5.7.8')
    expect(smtp.signedIn).toEqual([])
    expectNoSecrets(result, [password, wrong])
  })

  it('a server that does not offer STARTTLS never sees the password', async () => {
    const smtp = await server({ mode: 'starttls', withoutStartTls: true })
    const result = await smtpOperations.verify(input(smtp.port, 'starttls'))
    expect(result.error?.class).toBe('invalid-config')
    expect(result.error?.message).toContain('did not upgrade the connection with STARTTLS')
    expect(smtp.commands.some((command) => command.startsWith('AUTH'))).toBe(false)
  })

  it('a certificate from a CA the connection does not trust is refused before signing in', async () => {
    const smtp = await server({ mode: 'tls' })
    const result = await smtpOperations.verify(input(smtp.port, 'tls', { ca: null }))
    expect(result.error?.class).toBe('untrusted-certificate')
    expect(smtp.commands).toEqual([])
  })

  it('TLS against a port that starts in plain text is a configuration problem', async () => {
    const smtp = await server({ mode: 'starttls' })
    const result = await smtpOperations.verify(input(smtp.port, 'tls'))
    expect(result.error?.class).toBe('invalid-config')
    expect(result.error?.remedy).toContain('STARTTLS')
  })

  it('no TLS, allowed on loopback only, still checks the login', async () => {
    const smtp = await server({ mode: 'plain' })
    const good = await smtpOperations.verify(input(smtp.port, 'none', { ca: null }))
    expect(good.status).toBe('healthy')
    const wrong = `${canary.alnum(20)}!`
    const bad = await smtpOperations.verify(input(smtp.port, 'none', { password: wrong, ca: null }))
    expect(bad.error?.class).toBe('authentication')
    expect(smtp.signedIn).toEqual([user])
  })

  it('no TLS towards another host is refused before any connection', async () => {
    const result = await smtpOperations.verify({
      ...input(25, 'none', { ca: null }),
      config: { host: 'smtp.example.com', security: 'none', username: user },
    })
    expect(result.error?.class).toBe('invalid-config')
    expect(result.error?.message).toContain('only allowed for a server on this machine')
  })

  it('an unreachable server fails fast', async () => {
    const result = await smtpOperations.verify(input(await closedPort(), 'starttls'))
    expect(result.error?.class).toBe('unreachable')
  })
})
