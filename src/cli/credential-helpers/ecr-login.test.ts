import type { ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CredentialSet } from '../../shared/agent-answers'
import { canary } from '../../../test/fixtures/canary'
import { startEcr, type EcrFixture } from '../../../test/fixtures/ecr'
import { closedPort, sendJson, serve, type Loopback } from '../../../test/fixtures/loopback'
import { ecrLogin } from './ecr-login'

// ecrLogin against a loopback ECR API that answers GetAuthorizationToken only to a request
// signed for ecr in its region with a key it knows (a session's with its token).

const own = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
const session = {
  accessKeyId: `ASIA${canary.alnum(16).toUpperCase()}`,
  secretAccessKey: canary.awsSecret(),
  sessionToken: canary.alnum(200),
}
let ecr: EcrFixture
let notEcr: Loopback

beforeAll(async () => {
  ecr = await startEcr({ keys: [own, session], region: 'eu-west-1', account: '123456789012' })
  notEcr = await serve((_request, response) => sendJson(response, 200, { hello: 'world' }))
})
afterAll(async () => {
  await ecr.close()
  await notEcr.close()
})

const registry = (config: Record<string, string> = {}, secrets: Record<string, string> = {}) =>
  ({
    provider: 'ecr',
    authMode: 'inline',
    config: { region: 'eu-west-1', account_id: '123456789012', ecr_endpoint: ecr.url, ...config },
    secrets,
  }) satisfies CredentialSet
const keys = (key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({
  access_key_id: key.accessKeyId,
  secret_access_key: key.secretAccessKey,
  ...(key.sessionToken ? { session_token: key.sessionToken } : {}),
})

describe('ecrLogin', () => {
  it("asks ECR with the connection's own keys, or a borrowed connection's session", async () => {
    expect(await ecrLogin(registry({}, keys(own)))).toEqual({
      Username: 'AWS',
      Secret: ecr.passwords[0],
    })
    const borrowing: CredentialSet = {
      ...registry({ aws_connection: 'prod-aws' }),
      linked: {
        aws_connection: { provider: 'aws', authMode: 'inline', config: {}, secrets: keys(session) },
      },
    }
    expect(await ecrLogin(borrowing)).toEqual({ Username: 'AWS', Secret: ecr.passwords[1] })
    expect(ecr.calls).toEqual([
      { accessKeyId: own.accessKeyId },
      { accessKeyId: session.accessKeyId },
    ])
  })

  it('says what ECR refused, without the keys', async () => {
    const signedForAnotherRegion = ecrLogin(registry({ region: 'us-east-1' }, keys(own)))
    await expect(signedForAnotherRegion).rejects.toMatchObject({
      code: 'CREDENTIALS_NOT_ISSUED',
      message: expect.stringContaining(
        'refused GetAuthorizationToken: InvalidSignatureException',
      ) as string,
    })
    const error = (await signedForAnotherRegion.catch((e: unknown) => e)) as Error
    expect(error.message).not.toContain(own.accessKeyId)
    expect(error.message).not.toContain(own.secretAccessKey)
    const unknown = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
    await expect(ecrLogin(registry({}, keys(unknown)))).rejects.toMatchObject({
      message: expect.stringContaining('UnrecognizedClientException') as string,
    })
  })

  it('refuses a connection without keys, an endpoint that is not ECR, and one that is down', async () => {
    await expect(ecrLogin(registry())).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    await expect(ecrLogin(registry({ ecr_endpoint: notEcr.url }, keys(own)))).rejects.toMatchObject(
      {
        message: expect.stringContaining(
          'answered GetAuthorizationToken without a registry login',
        ) as string,
      },
    )
    const port = await closedPort()
    await expect(
      ecrLogin(registry({ ecr_endpoint: `http://127.0.0.1:${port}` }, keys(own))),
    ).rejects.toMatchObject({
      message: `Amazon ECR (http://127.0.0.1:${port}) could not be reached: ECONNREFUSED.`,
    })
  })
})

describe('ecrLogin against a hostile ECR API endpoint', () => {
  let hostile: Loopback
  /** What the endpoint answers, by the test that runs. */
  let answer: (response: ServerResponse) => void = () => undefined
  beforeAll(async () => {
    hostile = await serve((_request, response) => answer(response))
  })
  afterAll(() => hostile.close())
  const login = (timeoutMs?: number) =>
    ecrLogin(registry({ ecr_endpoint: hostile.url }, keys(own)), {
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    })
  const token = (text: string) => ({
    authorizationData: [{ authorizationToken: Buffer.from(text, 'latin1').toString('base64') }],
  })

  it('refuses a token that is not a registry login for AWS: another user, control characters, not base64', async () => {
    for (const body of [
      token(`root:${canary.alnum(40)}`),
      token(`AWS:${canary.alnum(20)}\nX-Injected: 1`),
      token(`AWS:${canary.alnum(20)}\u0000`),
      token(`AWS:${canary.alnum(20)}\u001b[31m`),
      token('AWS:\xff\xfe not utf-8'),
      { authorizationData: [{ authorizationToken: '!!!! not base64 !!!!' }] },
      { authorizationData: [{ authorizationToken: 42 }] },
      { authorizationData: 'AWS:x' },
    ]) {
      answer = (response) => sendJson(response, 200, body)
      await expect(login()).rejects.toMatchObject({
        code: 'CREDENTIALS_NOT_ISSUED',
        message: `Amazon ECR (${hostile.url}) answered GetAuthorizationToken without a registry login.`,
      })
    }
  })

  it('refuses an answer too large to be one, at once', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('{"authorizationData":[{"authorizationToken":"')
      const chunk = Buffer.alloc(256 * 1024, 0x41)
      const more = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', more)
      }
      more()
    }
    const started = performance.now()
    await expect(login()).rejects.toMatchObject({
      code: 'CREDENTIALS_NOT_ISSUED',
      message: expect.stringContaining('answer is larger than 64 KiB') as string,
    })
    expect(performance.now() - started).toBeLessThan(5000)
  })

  it('gives up on an answer that trickles in within the time limit, not per byte', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      const timer = setInterval(() => response.write(' '), 100)
      response.on('close', () => clearInterval(timer))
    }
    const started = performance.now()
    await expect(login(1000)).rejects.toMatchObject({
      code: 'CREDENTIALS_NOT_ISSUED',
      message: `Amazon ECR (${hostile.url}) could not be reached: no answer within 1 s.`,
    })
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it("repeats a refusal's message without terminal control sequences", async () => {
    answer = (response) =>
      sendJson(response, 400, {
        __type: 'com.amazon#Access\u001b[2JDeniedException',
        message: 'denied\u001b]0;owned\u0007\r\nFake: line',
      })
    const error = (await login().catch((e: unknown) => e)) as Error
    expect(error).toMatchObject({ code: 'CREDENTIALS_NOT_ISSUED' })
    expect(error.message).not.toMatch(/\p{Cc}/u)
    expect(error.message).toContain('refused GetAuthorizationToken')
  })
})
