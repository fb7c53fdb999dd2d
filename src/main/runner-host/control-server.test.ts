import { randomBytes, randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { runnerIdentity } from '../../shared/runner-protocol/identity'
import { issueCertificate } from '../security/local-ca'
import { unlockedServices } from '../../../test/services'
import { authFrame, rawClient } from '../../../test/tls-client'
import { waitFor } from '../../../test/runner'

type Services = Awaited<ReturnType<typeof unlockedServices>>['services']
const opened: Services[] = []

async function listening() {
  const fresh = await unlockedServices()
  opened.push(fresh.services)
  const endpoint = await fresh.services.runner.ensureListener()
  const issue = (overrides: { notBefore?: Date; notAfter?: Date } = {}) =>
    fresh.services.runner.identity.issueRunner({
      runnerId: randomUUID(),
      name: `test-${randomBytes(4).toString('hex')}`,
      kind: 'remote',
      label: 'test',
      control: endpoint,
      ...overrides,
    })
  const refusals = () =>
    fresh.services.runner
      .logs({ level: 'warn' })
      .filter((line) => /refused|rejected/.test(line.event))
  return { ...fresh, endpoint, issue, refusals }
}

afterEach(async () => {
  for (const services of opened.splice(0)) await services.runner.shutdown()
})

describe('the control listener (real mutual TLS 1.3 on loopback)', () => {
  it('accepts a runner with its certificate and API key, and says welcome', async () => {
    const { endpoint, issue, services } = await listening()
    const { enrollment } = await issue()
    const client = rawClient(endpoint, {
      ca: enrollment.caCertificate,
      cert: enrollment.certificate,
      key: enrollment.privateKey,
    })
    client.send(authFrame(enrollment))
    expect(await client.next('welcome')).toMatchObject({
      vaultId: services.vault.vaultId(),
      runnerId: enrollment.runner.id,
    })
    expect(client.socket.getProtocol()).toBe('TLSv1.3')
    await waitFor(() => services.runner.status().connected === 1, 'the session')
    client.socket.destroy()
  })

  it("refuses a certificate from another vault's CA in the handshake, and logs why", async () => {
    const { endpoint, refusals, services } = await listening()
    const other = await listening()
    const { enrollment: foreign } = await other.issue()
    const client = rawClient(endpoint, {
      ca: services.runner.identity.caCertificate()!,
      cert: foreign.certificate,
      key: foreign.privateKey,
    })
    await client.closed
    expect(client.frames).toEqual([])
    const [line] = await waitFor(() => refusals().length > 0 && refusals(), 'a refusal')
    expect(line).toMatchObject({
      event: 'runner.handshake-refused',
      fields: { reason: expect.stringContaining("not issued by this vault's CA") },
    })
  })

  it('refuses an expired certificate in the handshake, and logs why', async () => {
    const { endpoint, issue, refusals } = await listening()
    const day = 86_400_000
    const { enrollment } = await issue({
      notBefore: new Date(Date.now() - 3 * day),
      notAfter: new Date(Date.now() - day),
    })
    const client = rawClient(endpoint, {
      ca: enrollment.caCertificate,
      cert: enrollment.certificate,
      key: enrollment.privateKey,
    })
    client.send(authFrame(enrollment))
    await client.closed
    expect(client.frames).toEqual([])
    const [line] = await waitFor(() => refusals().length > 0 && refusals(), 'a refusal')
    expect(line?.fields.reason).toBe('The runner certificate has expired (CERT_HAS_EXPIRED).')
  })

  it('refuses a client without a certificate', async () => {
    const { endpoint, services, refusals } = await listening()
    const client = rawClient(endpoint, { ca: services.runner.identity.caCertificate()! })
    await client.closed
    const [line] = await waitFor(() => refusals().length > 0 && refusals(), 'a refusal')
    expect(line?.fields.reason).toMatch(/presented no certificate/)
  })

  it("refuses a certificate of this CA that names another vault's runner", async () => {
    const { endpoint, services, refusals } = await listening()
    const ca = await services.runner.identity.authority()
    const forged = await issueCertificate(ca, {
      usage: 'client',
      commonName: 'elsewhere',
      uris: [runnerIdentity('0b4e7d6a-other-vault', 'r1')],
    })
    const client = rawClient(endpoint, { ca: ca.certPem, cert: forged.certPem, key: forged.keyPem })
    expect(await client.next('refused')).toMatchObject({
      stage: 'certificate',
      reason: expect.stringContaining('belongs to vault 0b4e7d6a-other-vault, not to this vault'),
    })
    await client.closed
    expect(refusals()[0]).toMatchObject({
      event: 'runner.refused',
      fields: { stage: 'certificate' },
    })
  })

  it('refuses a certificate this vault signed but never issued to a runner', async () => {
    const { endpoint, services } = await listening()
    const ca = await services.runner.identity.authority()
    const stray = await issueCertificate(ca, {
      usage: 'client',
      commonName: 'stray',
      uris: [runnerIdentity(services.vault.vaultId(), 'r1')],
    })
    const client = rawClient(endpoint, { ca: ca.certPem, cert: stray.certPem, key: stray.keyPem })
    expect(await client.next('refused')).toMatchObject({
      reason: expect.stringContaining('was not issued by this vault to runner r1'),
    })
  })

  it('refuses a revoked certificate', async () => {
    const { endpoint, issue, services, refusals } = await listening()
    const { enrollment } = await issue()
    services.runner.identity.revokeAll('remote')
    const client = rawClient(endpoint, {
      ca: enrollment.caCertificate,
      cert: enrollment.certificate,
      key: enrollment.privateKey,
    })
    client.send(authFrame(enrollment))
    expect(await client.next('refused')).toMatchObject({
      stage: 'revoked',
      reason: expect.stringContaining('was revoked'),
    })
    expect(refusals()[0]?.fields.stage).toBe('revoked')
  })

  it('refuses a wrong API key after a good handshake, and logs it without the key', async () => {
    const { endpoint, issue, services, refusals } = await listening()
    const { enrollment } = await issue()
    const wrongKey = `bkr_${randomBytes(32).toString('base64url')}`
    const client = rawClient(endpoint, {
      ca: enrollment.caCertificate,
      cert: enrollment.certificate,
      key: enrollment.privateKey,
    })
    client.send(authFrame(enrollment, wrongKey))
    expect(await client.next('refused')).toMatchObject({
      stage: 'api-key',
      reason: 'The API key does not match the credentials of this certificate.',
    })
    await client.closed
    expect(refusals()[0]).toMatchObject({ fields: { stage: 'api-key' } })
    const logged = JSON.stringify(services.runner.logs())
    expect(logged).not.toContain(wrongKey)
    expect(logged).not.toContain(enrollment.apiKey)
  })

  it('times a request out, and cancels it on the runner; an abort signal cancels too', async () => {
    const { endpoint, issue, services } = await listening()
    const { enrollment } = await issue()
    const client = rawClient(endpoint, {
      ca: enrollment.caCertificate,
      cert: enrollment.certificate,
      key: enrollment.privateKey,
    })
    client.send(authFrame(enrollment))
    await client.next('welcome')
    await waitFor(() => services.runner.status().connected === 1, 'the session')

    // This "runner" never answers.
    await expect(
      services.runner.request({ type: 'ping' }, { timeoutMs: 150 }),
    ).rejects.toMatchObject({
      code: 'RUNNER_TIMEOUT',
      message: 'The runner did not answer the ping operation within 150 ms.',
    })
    const request = await client.next('request')
    expect(request).toMatchObject({ op: { type: 'ping' }, timeoutMs: 150 })
    expect(await client.next('cancel')).toEqual({ type: 'cancel', id: request.id })

    const controller = new AbortController()
    const pending = services.runner.request({ type: 'ping' }, { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'RUNNER_CANCELLED' })

    // An answer for the right id resolves; the runner's errors keep their code.
    const answered = services.runner.request({ type: 'ping', payload: 'p' })
    await waitFor(
      () => client.frames.filter((f) => (f as { type: string }).type === 'request').length === 3,
      'the third request',
    )
    const third = client.frames.filter((f) => (f as { type: string }).type === 'request')[2] as {
      id: string
    }
    client.send({
      type: 'response',
      id: third.id,
      ok: false,
      error: { code: 'NOT_AUTHORIZED', message: 'no' },
    })
    await expect(answered).rejects.toMatchObject({ code: 'NOT_AUTHORIZED', message: 'no' })
    expect(services.runner.metrics().operations).toEqual({ total: 3, failed: 3 })

    // Pending requests fail at once when the runner goes away.
    const orphan = services.runner.request({ type: 'ping' })
    client.socket.destroy()
    await expect(orphan).rejects.toMatchObject({ code: 'RUNNER_UNAVAILABLE' })
    await expect(services.runner.request({ type: 'ping' })).rejects.toMatchObject({
      code: 'RUNNER_UNAVAILABLE',
      message: 'No runner is connected.',
    })
  })

  describe('bad frames drop the connection and are logged without their content', () => {
    const canary = () => `canary-${randomBytes(12).toString('hex')}`

    async function authenticated() {
      const setup = await listening()
      const { enrollment } = await setup.issue()
      const client = rawClient(setup.endpoint, {
        ca: enrollment.caCertificate,
        cert: enrollment.certificate,
        key: enrollment.privateKey,
      })
      client.send(authFrame(enrollment))
      await client.next('welcome')
      return { ...setup, client }
    }

    const rejected = (services: Services) =>
      services.runner.logs().filter((line) => line.event === 'runner.frame-rejected')

    it('an oversize frame (refused on its header)', async () => {
      const { client, services } = await authenticated()
      const header = Buffer.alloc(4)
      header.writeUInt32BE(64 * 1024 * 1024)
      client.sendBytes(header)
      await client.closed
      expect(rejected(services)).toMatchObject([
        { fields: { problem: 'oversize', bytes: 64 * 1024 * 1024 } },
      ])
    })

    it('a frame that is not JSON', async () => {
      const { client, services } = await authenticated()
      const secret = canary()
      const body = Buffer.from(`{"type":"response","secret":"${secret}"`)
      const header = Buffer.alloc(4)
      header.writeUInt32BE(body.length)
      client.sendBytes(Buffer.concat([header, body]))
      await client.closed
      expect(rejected(services)).toMatchObject([{ fields: { problem: 'malformed' } }])
      expect(JSON.stringify(services.runner.logs())).not.toContain(secret)
    })

    it('an unknown frame type, or an unknown operation', async () => {
      const { client, services } = await authenticated()
      const secret = canary()
      client.send({ type: 'exec', command: `echo ${secret}` })
      await client.closed
      expect(rejected(services)).toMatchObject([{ fields: { problem: 'invalid' } }])
      expect(JSON.stringify(services.runner.logs())).not.toContain(secret)
    })

    it('anything but the API key before the API key', async () => {
      const setup = await listening()
      const { enrollment } = await setup.issue()
      const client = rawClient(setup.endpoint, {
        ca: enrollment.caCertificate,
        cert: enrollment.certificate,
        key: enrollment.privateKey,
      })
      client.send({ type: 'log', level: 'info', event: 'hello', fields: {} })
      await client.closed
      expect(client.frames).toEqual([])
      expect(rejected(setup.services)).toMatchObject([{ fields: { problem: 'before-auth' } }])
    })
  })
})
