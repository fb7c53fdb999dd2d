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
