import type { TLSSocket } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { basic, bearer, closedPort, sendJson, serve } from '../../../test/fixtures/loopback'
import type { Loopback } from '../../../test/fixtures/loopback'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { Issued, TestCa } from '../../../test/fixtures/test-ca'
import { httpOperations } from './http'

const password = `${canary.alnum(16)}/+&${canary.alnum(8)}`
let ca: TestCa
let client: Issued
let server: Loopback

beforeAll(async () => {
  ca = await createTestCa()
  client = await ca.client('monitor')
  server = await serve(
    (request, response) => {
      const url = new URL(request.url ?? '/', 'https://placeholder')
      const socket = request.socket as TLSSocket
      const ok =
        (url.pathname === '/basic' &&
          basic(request)?.user === 'monitor' &&
          basic(request)?.password === password) ||
        (url.pathname === '/bearer' && bearer(request) === password) ||
        (url.pathname === '/query' && url.searchParams.get('key') === password) ||
        (url.pathname === '/mtls' &&
          socket.authorized &&
          socket.getPeerCertificate().subject?.CN === 'monitor')
      if (url.pathname === '/forbidden') return sendJson(response, 403, { message: 'not for you' })
      if (!['/basic', '/bearer', '/query', '/mtls'].includes(url.pathname))
        return sendJson(response, 404, {})
      if (!ok)
        return sendJson(
          response,
          401,
          { message: 'Unauthorized' },
          { 'www-authenticate': 'Basic realm="x"' },
        )
      response.writeHead(request.method === 'POST' ? 201 : 200)
      response.end('up')
    },
    { ...(await ca.server()), clientCa: ca.cert },
  )
})
afterAll(() => server.close())

const input = (
  config: Record<string, string>,
  secrets: Record<string, string> = { password },
): OperationInput => ({
  provider: 'http',
  authMode: 'inline',
  config: { ca_certificate: ca.cert, ...config },
  secrets,
})

describe('http verify', () => {
  it('fills $(username)/$(password) into the URL as Basic auth', async () => {
    const result = await httpOperations.verify(
      input({
        url: `${server.url}/basic?user=$(username)`.replace(
          'https://',
          'https://$(username):$(password)@',
        ),
        username: 'monitor',
      }),
    )
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: `GET ${server.url} → HTTP 200` },
    })
    expectNoSecrets(result, [password])
  })

  it('fills a header template, a query parameter, and sends plain Basic auth without templates', async () => {
    expect(
      (
        await httpOperations.verify(
          input({ url: `${server.url}/bearer`, headers: 'Authorization: Bearer $(password)' }),
        )
      ).status,
    ).toBe('healthy')
    expect(
      (await httpOperations.verify(input({ url: `${server.url}/query?key=$(password)` }))).status,
    ).toBe('healthy')
    expect(
      (
        await httpOperations.verify(
          input({ url: `${server.url}/basic`, username: 'monitor', method: 'POST' }),
        )
      ).identity?.details.status,
    ).toBe('201')
  })

  it('presents the client certificate for mutual TLS', async () => {
    const result = await httpOperations.verify(
      input({ url: `${server.url}/mtls` }, { client_certificate: `${client.cert}\n${client.key}` }),
    )
    expect(result.status).toBe('healthy')
    const without = await httpOperations.verify(input({ url: `${server.url}/mtls` }, {}))
    expect(without.error?.class).toBe('authentication')
  })

  it('wrong credentials, forbidden and missing paths get their classes, without leaking', async () => {
    const wrong = canary.alnum(20)
    const denied = await httpOperations.verify(
      input({ url: `${server.url}/query?key=$(password)` }, { password: wrong }),
    )
    expect(denied.error?.class).toBe('authentication')
    expect(denied.error?.message).not.toContain('/query')
    expect(
      (await httpOperations.verify(input({ url: `${server.url}/forbidden` }))).error?.class,
    ).toBe('permission')
    expect(
      (await httpOperations.verify(input({ url: `${server.url}/nothing` }))).error?.class,
    ).toBe('wrong-target')
    expectNoSecrets(denied, [wrong, password])
  })

  it('TLS: the CA, the explicit skip, and an unreachable endpoint', async () => {
    const untrusted = await httpOperations.verify(
      input({
        url: `${server.url}/bearer`,
        headers: 'Authorization: Bearer $(password)',
        ca_certificate: '',
      }),
    )
    expect(untrusted.error?.class).toBe('untrusted-certificate')
    const skipped = await httpOperations.verify(
      input({
        url: `${server.url}/bearer`,
        headers: 'Authorization: Bearer $(password)',
        ca_certificate: '',
        insecure_tls: 'true',
      }),
    )
    expect(skipped.status).toBe('healthy')
    expect(skipped.notes?.[0]).toMatch(/not checked/)
    const port = await closedPort()
    const unreachable = await httpOperations.verify(
      input({ url: `http://127.0.0.1:${port}/health` }),
    )
    expect(unreachable.error?.class).toBe('unreachable')
  })

  it('takes the whole URL from Password ($(password)), unencoded, and checks it is a URL', async () => {
    const at = new URL(server.url)
    const secretUrl = `https://monitor:${encodeURIComponent(password)}@${at.host}/basic`
    const basicAuth = await httpOperations.verify(
      input({ url: '$(password)' }, { password: secretUrl }),
    )
    expect(basicAuth).toMatchObject({
      status: 'healthy',
      identity: { label: 'GET the URL in Password → HTTP 200' },
    })
    const query = `${server.url}/query?key=${encodeURIComponent(password)}`
    expect(
      (await httpOperations.verify(input({ url: '$(password)' }, { password: query }))).status,
    ).toBe('healthy')
    // The same secret URL with a wrong key: refused by the endpoint, and never echoed.
    const wrongKey = `${server.url}/query?key=${canary.alnum(20)}`
    const denied = await httpOperations.verify(
      input({ url: '$(password)' }, { password: wrongKey }),
    )
    expect(denied.error?.class).toBe('authentication')
    const notUrl = `${canary.alnum(12)} is no url`
    const invalid = await httpOperations.verify(input({ url: '$(password)' }, { password: notUrl }))
    expect(invalid.error).toMatchObject({
      class: 'invalid-config',
      message: expect.stringContaining("Password's value is not a URL"),
    })
    const nowhere = `http://127.0.0.1:${await closedPort()}/health`
    const unreachable = await httpOperations.verify(
      input({ url: '$(password)' }, { password: nowhere }),
    )
    expect(unreachable.error).toMatchObject({
      class: 'unreachable',
      message: expect.stringContaining('the URL in Password'),
    })
    expectNoSecrets(
      [basicAuth, denied, invalid, unreachable],
      [password, secretUrl, wrongKey, notUrl, nowhere, encodeURIComponent(password)],
    )
  })

  it("calls the Port field's port instead of the URL's", async () => {
    const at = new URL(server.url)
    const closed = await closedPort()
    const template = `https://${at.hostname}:${closed}/bearer`
    const bearerHeader = 'Authorization: Bearer $(password)'
    const overridden = await httpOperations.verify(
      input({ url: template, port: at.port, headers: bearerHeader }),
    )
    expect(overridden).toMatchObject({
      status: 'healthy',
      identity: { label: `GET ${server.url} → HTTP 200` },
    })
    const fromSecret = await httpOperations.verify(
      input(
        { url: '$(password)', port: at.port },
        { password: `https://${at.hostname}:${closed}/query?key=${encodeURIComponent(password)}` },
      ),
    )
    expect(fromSecret.status).toBe('healthy')
    expect(
      (await httpOperations.verify(input({ url: template, headers: bearerHeader }))).error?.class,
    ).toBe('unreachable')
  })
})
