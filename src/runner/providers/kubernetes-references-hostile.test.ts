import type { ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { parseReferenceText } from '../../shared/secret-reference'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { secretData } from '../../../test/fixtures/kube-objects'
import { bearer, sendJson, serve, type Loopback } from '../../../test/fixtures/loopback'
import { createTestCa, type TestCa } from '../../../test/fixtures/test-ca'
import { kubernetesOperations } from './kubernetes'

// read-reference against a hostile API server (real TLS on loopback): what it answers must never
// become a value it did not hold, leak the bearer token elsewhere, or exhaust the runner.

const token = canary.alnum(64)
const value = `v-${canary.alnum(24)}`
let ca: TestCa
let hostile: Loopback
let elsewhere: Loopback
/** Authorization headers the other host saw (a redirect must not bring it the token). */
const seenElsewhere: (string | undefined)[] = []

/** A helm release Secret list whose one deployed revision's payload is `payload`. */
const releaseList = (payload: Buffer) => ({
  kind: 'SecretList',
  items: [
    {
      metadata: { labels: { owner: 'helm', name: 'r', version: '1', status: 'deployed' } },
      data: secretData({ release: payload.toString('base64') }),
    },
  ],
})
/** `{"a":{"a":...}}` nested `depth` times around `inner`. */
const nested = (depth: number, inner: string) => '{"a":'.repeat(depth) + inner + '}'.repeat(depth)

const routes: Record<string, (response: ServerResponse) => void> = {
  '/api/v1/namespaces/apps/secrets/db': (response) =>
    sendJson(response, 200, { kind: 'Secret', data: secretData({ password: value }) }),
  '/api/v1/namespaces/apps/configmaps/settings': (response) =>
    sendJson(response, 200, {
      kind: 'ConfigMap',
      data: { REGION: 'eu' },
      binaryData: { keystore: Buffer.from([0xfe, 0xed, 0xfe, 0xed]).toString('base64') },
    }),
  '/api/v1/namespaces/apps/secrets/binary': (response) =>
    sendJson(response, 200, {
      kind: 'Secret',
      data: { 'keystore.jks': Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 2]).toString('base64') },
    }),
  '/api/v1/namespaces/apps/secrets/moved': (response) => {
    response.writeHead(302, { location: `${elsewhere.url}/api/v1/namespaces/apps/secrets/db` })
    response.end()
  },
  '/api/v1/namespaces/apps/secrets/endless': (response) => {
    // An answer that never ends: a megabyte at a time, forever.
    response.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    const more = () => {
      if (!response.destroyed && response.write(chunk)) setImmediate(more)
      else if (!response.destroyed) response.once('drain', more)
    }
    response.write('{"data":{"password":"')
    more()
  },
  '/api/v1/namespaces/apps/secrets/slow': (response) => {
    // Slow loris: a byte a second keeps the socket busy but never finishes.
    response.writeHead(200, { 'content-type': 'application/json' })
    const timer = setInterval(() => {
      if (response.destroyed) clearInterval(timer)
      else response.write(' ')
    }, 200)
    response.on('close', () => clearInterval(timer))
  },
}

/** Helm releases by name, as list answers. */
const releases: Record<string, unknown> = {
  // 64 MiB of zeros gzipped into a few dozen kilobytes.
  bomb: releaseList(gzipSync(Buffer.alloc(64 * 1024 * 1024))),
  polluting: releaseList(
    gzipSync(
      '{"chart":{"values":{"safe":"chart","inner":{},"constructor":{"prototype":{"polluted":"c"}}}},' +
        '"config":{"safe":"config","__proto__":{"polluted":"config"},"inner":{"__proto__":{"polluted":"inner"}}}}',
    ),
  ),
  deep: releaseList(
    gzipSync(
      `{"chart":{"values":${nested(200_000, '{}')}},"config":${nested(200_000, '{"b":"x"}')}}`,
    ),
  ),
}

beforeAll(async () => {
  ca = await createTestCa()
  const tls = await ca.server()
  elsewhere = await serve((request, response) => {
    seenElsewhere.push(request.headers.authorization)
    sendJson(response, 200, { kind: 'Secret', data: secretData({ password: 'elsewhere' }) })
  }, tls)
  hostile = await serve((request, response) => {
    if (bearer(request) !== token) return sendJson(response, 401, { kind: 'Status' })
    const url = new URL(request.url ?? '/', 'https://x')
    const selector = url.searchParams.get('labelSelector')
    const release = /name=([^,]+)/.exec(selector ?? '')?.[1]
    if (release) return sendJson(response, 200, releases[release] ?? { items: [] })
    const route = routes[url.pathname]
    if (route) return route(response)
    sendJson(response, 404, { kind: 'Status', message: 'not found' })
  }, tls)
})
afterAll(async () => {
  await hostile.close()
  await elsewhere.close()
})

const input = (timeoutMs = 5000): OperationInput => ({
  provider: 'kubernetes',
  authMode: 'inline',
  config: { source: 'token', server: hostile.url, ca_certificate: ca.cert },
  secrets: { token },
  options: { timeoutMs },
})
const read = (text: string, timeoutMs?: number) =>
  kubernetesOperations.readReference!(input(timeoutMs), parseReferenceText(text))

async function failing(text: string, timeoutMs?: number) {
  const result = await read(text, timeoutMs)
  if (result.status !== 'failing') throw new Error(`${text} was read`)
  expectNoSecrets(result, [token, value])
  return result.error
}

describe('kubernetes read-reference against a hostile API server', () => {
  it("never reads an object's inherited properties as its keys", async () => {
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
      expect(await failing(`secret:k8s/apps/db/${key}`)).toMatchObject({
        class: 'wrong-target',
        message: `Wrong target: Secret apps/db has no key ${key} (its keys: password).`,
      })
    for (const key of ['constructor', 'toString', '__proto__'])
      expect(await failing(`configmap:k8s/apps/settings/${key}`)).toMatchObject({
        class: 'wrong-target',
        message: `Wrong target: ConfigMap apps/settings has no key ${key} (its keys: REGION, keystore).`,
      })
  })

  it('refuses binary data rather than hand on a changed value', async () => {
    expect(await failing('secret:k8s/apps/binary/keystore.jks')).toMatchObject({
      class: 'wrong-target',
      message: 'Wrong target: Secret apps/binary key keystore.jks is not UTF-8 text.',
    })
    expect(await failing('configmap:k8s/apps/settings/keystore')).toMatchObject({
      class: 'wrong-target',
      message: 'Wrong target: ConfigMap apps/settings key keystore is not UTF-8 text.',
    })
  })

  it('does not forward the bearer token through a redirect', async () => {
    const error = await failing('secret:k8s/apps/moved/password')
    expect(error.class).toBe('unexpected')
    expect(seenElsewhere).toEqual([])
  })

  it('stops reading an endless answer once it is too large, without waiting out the budget', async () => {
    const started = performance.now()
    expect(await failing('secret:k8s/apps/endless/password', 20_000)).toMatchObject({
      class: 'unexpected',
    })
    expect(performance.now() - started).toBeLessThan(4000)
  })

  it('gives up on a trickling answer within the budget', async () => {
    const started = performance.now()
    expect((await failing('secret:k8s/apps/slow/password', 1500)).class).toBe('unreachable')
    expect(performance.now() - started).toBeLessThan(4000)
  })

  it('refuses a gzip bomb of a release instead of expanding it', async () => {
    expect(await failing('helm:k8s/apps/bomb/a')).toMatchObject({
      class: 'unexpected',
      message: expect.stringContaining('gzip data is damaged or too large') as string,
    })
  })

  it("merges a release's __proto__ and constructor keys as plain keys, polluting nothing", async () => {
    expect(await read('helm:k8s/apps/polluting/safe')).toMatchObject({ value: 'config' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(await read('helm:k8s/apps/polluting/__proto__.polluted')).toMatchObject({
      value: 'config',
    })
    expect(await read('helm:k8s/apps/polluting/inner.__proto__.polluted')).toMatchObject({
      value: 'inner',
    })
    expect(await read('helm:k8s/apps/polluting/constructor.prototype.polluted')).toMatchObject({
      value: 'c',
    })
    expect(await failing('helm:k8s/apps/polluting/toString')).toMatchObject({
      class: 'wrong-target',
    })
  })

  it('refuses values nested too deep to merge, with a clear message', async () => {
    expect(await failing('helm:k8s/apps/deep/a')).toMatchObject({
      class: 'unexpected',
      message: expect.stringContaining('nested') as string,
    })
  })
})
