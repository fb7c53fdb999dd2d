import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { startPostgres } from '../../../test/fixtures/postgres'
import type { PostgresFixture } from '../../../test/fixtures/postgres'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { TestCa } from '../../../test/fixtures/test-ca'
import { postgresOperations } from './postgres'

const password = `${canary.alnum(12)} ${canary.alnum(12)}`
let ca: TestCa
let server: PostgresFixture

beforeAll(async () => {
  ca = await createTestCa()
  server = await startPostgres({ tls: await ca.server(), adminPassword: canary.alnum(24) })
  await server.sql(`CREATE ROLE deploy LOGIN PASSWORD '${password}'`)
  await server.sql('CREATE DATABASE app OWNER deploy')
}, 90_000)
afterAll(() => server?.stop())

const input = (config: Record<string, string> = {}, secret = password): OperationInput => ({
  provider: 'postgres',
  authMode: 'inline',
  config: {
    host: server.host,
    port: String(server.port),
    database: 'app',
    user: 'deploy',
    sslmode: 'verify-full',
    ca_certificate: ca.cert,
    ...config,
  },
  secrets: { password: secret },
})

describe('postgres verify', () => {
  it('logs in over verified TLS, runs SELECT 1 and reads the server version', async () => {
    const result = await postgresOperations.verify(input())
    expect(result.status).toBe('healthy')
    expect(result.identity?.label).toBe(`deploy@127.0.0.1:${server.port}/app`)
    expect(result.identity?.details).toMatchObject({
      user: 'deploy',
      database: 'app',
      tls: 'on, verify-full',
    })
    expect(result.identity?.details.serverVersion).toMatch(/^\d+\.\d+/)
    expectNoSecrets(result, [password, server.adminPassword])
  })

  it('without TLS when the mode says so', async () => {
    const result = await postgresOperations.verify(
      input({ sslmode: 'disable', ca_certificate: '' }),
    )
    expect(result.identity?.details.tls).toBe('off')
    const preferred = await postgresOperations.verify(
      input({ sslmode: 'prefer', ca_certificate: '' }),
    )
    expect(preferred.identity?.details.tls).toBe('on, unverified')
  })

  it('a wrong password is "Authentication failed" with a remedy', async () => {
    const wrong = canary.alnum(24)
    const result = await postgresOperations.verify(input({}, wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toMatch(
      /^Authentication failed: the server refused the password \(password authentication failed for user "deploy"\)/,
    )
    expect(result.error?.remedy).toMatch(/ALTER ROLE/)
    expectNoSecrets(result, [password, wrong])
  })

  it('a database that does not exist is the wrong target', async () => {
    const result = await postgresOperations.verify(input({ database: 'nope' }))
    expect(result.error?.class).toBe('wrong-target')
  })

  it('a server certificate from another CA is not trusted', async () => {
    const other = await createTestCa('Another CA')
    const result = await postgresOperations.verify(input({ ca_certificate: other.cert }))
    expect(result.error?.class).toBe('untrusted-certificate')
  })

  it('an unreachable server fails fast', async () => {
    const started = Date.now()
    const result = await postgresOperations.verify(input({ port: String(await closedPort()) }))
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(result.error?.class).toBe('unreachable')
    expect(result.error?.message).toContain('ECONNREFUSED')
  })
})
