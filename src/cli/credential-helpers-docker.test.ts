import { symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyring, runProgram as run, SLOW } from '../../test/cli'
import { helperWorld, type HelperWorld } from '../../test/credential-helpers'
import { canary } from '../../test/fixtures/canary'
import { startEcr, type EcrFixture } from '../../test/fixtures/ecr'
import { createTestCa } from '../../test/fixtures/test-ca'
import { ROOT } from '../../test/run-node'
import { commandLine } from './credential-helpers/invoked-as'

describe('commandLine', () => {
  it('runs docker-credential under docker’s helper name, the arguments as given otherwise', () => {
    expect(commandLine('/usr/local/bin/docker-credential-bridgekeep', ['get'])).toEqual([
      'docker-credential',
      'get',
    ])
    expect(commandLine('C:\\bk\\docker-credential-bridgekeep.exe', ['list'])).toEqual([
      'docker-credential',
      'list',
    ])
    expect(commandLine('/opt/bridgekeep/bin/bridgekeep.cjs', ['ls'])).toEqual(['ls'])
    expect(commandLine(undefined, ['ls'])).toEqual(['ls'])
  })
})

describe.skipIf(!privateKeyring)('docker credential helper (real processes)', SLOW, () => {
  let world: HelperWorld
  let vault: HelperWorld['vault']
  const dockerToken = `dckr_pat_${canary.alnum(27)}`
  // ECR's own keys (ecr-prod), and an AWS connection's that another ECR connection borrows.
  const ecrKey = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
  const opsKey = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
  const staleSecret = canary.awsSecret()
  let ecrApi: EcrFixture
  let ecrCentral: EcrFixture
  /** docker running the helper by its name, asking for staging unless told otherwise. */
  const helper = (action: string, input: string, extra: Record<string, string> = {}) =>
    run(
      process.execPath,
      ['--import', 'tsx', join(world.tools, 'docker-credential-bridgekeep'), action],
      { env: world.env({ BRIDGEKEEP_ENV: 'staging', ...extra }), input },
    ).then(world.record)

  beforeAll(async () => {
    world = await helperWorld()
    vault = world.vault
    world.canaries.push(dockerToken, ecrKey.secretAccessKey, opsKey.secretAccessKey, staleSecret)
    // docker's name for the helper: a link to the command itself.
    symlinkSync(
      resolve(ROOT, 'src/cli/index.ts'),
      join(world.tools, 'docker-credential-bridgekeep'),
    )
    // The ECR API of each registry's region, knowing the keys that may log in there.
    ecrApi = await startEcr({ keys: [ecrKey], region: 'eu-west-1', account: '123456789012' })
    // One over TLS with a private CA, which the connection's CA certificate field trusts.
    const ca = await createTestCa()
    ecrCentral = await startEcr({
      keys: [opsKey],
      region: 'eu-central-1',
      account: '210987654321',
      tls: await ca.server(),
    })
    const hub = vault.services.connections.create({
      name: 'hub',
      provider: 'dockerhub',
      authMode: 'inline',
      values: { username: 'acmeci', access_token: dockerToken },
    })
    const ecr = vault.services.connections.create({
      name: 'ecr-prod',
      provider: 'ecr',
      authMode: 'inline',
      values: {
        region: 'eu-west-1',
        account_id: '123456789012',
        access_key_id: ecrKey.accessKeyId,
        secret_access_key: ecrKey.secretAccessKey,
        ecr_endpoint: ecrApi.url,
      },
    })
    const ops = vault.services.connections.create({
      name: 'ops-aws',
      provider: 'aws',
      authMode: 'inline',
      values: {
        access_key_id: opsKey.accessKeyId,
        secret_access_key: opsKey.secretAccessKey,
        default_region: 'eu-central-1',
      },
    })
    const borrowing = vault.services.connections.create({
      name: 'ecr-central',
      provider: 'ecr',
      authMode: 'inline',
      values: {
        region: 'eu-central-1',
        account_id: '210987654321',
        aws_connection: 'ops-aws',
        ecr_endpoint: ecrCentral.url,
        ca_certificate: ca.cert,
      },
    })
    // Keys ECR does not know (deleted in IAM since).
    const stale = vault.services.connections.create({
      name: 'ecr-stale',
      provider: 'ecr',
      authMode: 'inline',
      values: {
        region: 'eu-west-1',
        account_id: '333333333333',
        access_key_id: canary.awsKeyId(),
        secret_access_key: staleSecret,
        ecr_endpoint: ecrApi.url,
      },
    })
    world.authorizeForStaging([hub, ecr, ops, borrowing, stale])
  })
  afterAll(async () => {
    await ecrApi?.close()
    await ecrCentral?.close()
  })

  it('answers docker under its helper name: get, not found, list, and store refused', async () => {
    const got = await helper('get', 'https://index.docker.io/v1/\n')
    expect(got.stderr).toBe('')
    expect(JSON.parse(got.stdout)).toEqual({
      ServerURL: 'https://index.docker.io/v1/',
      Username: 'acmeci',
      Secret: dockerToken,
    })
    // A registry nothing serves: docker's own "not found" on stdout, so it pulls anonymously.
    const missing = await helper('get', 'ghcr.io\n')
    expect(missing.code).toBe(1)
    expect(missing.stdout).toBe('credentials not found in native keychain\n')
    expect(missing.stderr).toContain('No connection in this vault serves ghcr.io for docker.')
    const refused = await helper('get', 'docker.io\n', { BRIDGEKEEP_ENV: 'production' })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('not authorized for environment production')
    const listed = await helper('list', '')
    expect(JSON.parse(listed.stdout)).toEqual({
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'AWS',
      '210987654321.dkr.ecr.eu-central-1.amazonaws.com': 'AWS',
      '333333333333.dkr.ecr.eu-west-1.amazonaws.com': 'AWS',
      'docker.io': 'acmeci',
      'index.docker.io': 'acmeci',
      'registry-1.docker.io': 'acmeci',
    })
    const stored = await helper(
      'store',
      JSON.stringify({ ServerURL: 'docker.io', Username: 'x', Secret: dockerToken }),
    )
    expect(stored.code).toBe(1)
    expect(stored.stderr).toContain('does not store logins (docker login)')
    const junk = await helper('get', '\u0000\u0001 not a host\n')
    expect(junk.code).toBe(1)
    expect(junk.stderr).toContain('is not a registry address')
  })

  it("logs docker in to ECR with a password from the ECR API, signed with the connection's AWS keys", async () => {
    const given = () =>
      vault.services.audit.query({ filter: { actions: ['credential-helper'], outcome: 'success' } })
        .entries.length
    // Its own keys.
    const own = await helper('get', 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com\n')
    expect(own.stderr).toBe('')
    expect(JSON.parse(own.stdout)).toEqual({
      ServerURL: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      Username: 'AWS',
      Secret: ecrApi.passwords[0],
    })
    expect(ecrApi.calls).toEqual([{ accessKeyId: ecrKey.accessKeyId }])
    // A borrowed AWS connection's keys, signed for the registry's own region; a new password each time.
    const first = await helper('get', '210987654321.dkr.ecr.eu-central-1.amazonaws.com\n')
    const second = await helper('get', '210987654321.dkr.ecr.eu-central-1.amazonaws.com\n')
    expect(JSON.parse(first.stdout)).toMatchObject({
      Username: 'AWS',
      Secret: ecrCentral.passwords[0],
    })
    expect(JSON.parse(second.stdout)).toMatchObject({ Secret: ecrCentral.passwords[1] })
    expect(ecrCentral.passwords[0]).not.toBe(ecrCentral.passwords[1])
    expect(ecrCentral.calls).toEqual([
      { accessKeyId: opsKey.accessKeyId },
      { accessKeyId: opsKey.accessKeyId },
    ])
    const [entry] = vault.services.audit.query({
      filter: { actions: ['credential-helper'], outcome: 'success' },
    }).entries
    expect(entry?.detail).toMatch(
      /^docker credential helper for 210987654321\.dkr\.ecr\.eu-central-1\.amazonaws\.com with ops-aws/,
    )
    // Keys ECR does not know: its refusal, on stdout where docker shows it; nothing else leaks.
    const refusedKeys = await helper('get', '333333333333.dkr.ecr.eu-west-1.amazonaws.com\n')
    expect(refusedKeys.code).toBe(1)
    expect(refusedKeys.stdout).toContain(
      `Amazon ECR (${ecrApi.url}) refused GetAuthorizationToken: UnrecognizedClientException`,
    )
    expect(ecrApi.calls.at(-1)).toEqual({ error: 'UnrecognizedClientException' })
    // An environment the ECR connection is not authorized for: refused before any ECR call.
    const before = { calls: ecrApi.calls.length, given: given() }
    const unauthorized = await helper('get', '123456789012.dkr.ecr.eu-west-1.amazonaws.com\n', {
      BRIDGEKEEP_ENV: 'production',
    })
    expect(unauthorized.code).toBe(1)
    expect(unauthorized.stdout).toContain(
      'Connection ecr-prod is not authorized for environment production',
    )
    expect({ calls: ecrApi.calls.length, given: given() }).toEqual(before)
    // The passwords were for docker only: never in the trail or the log.
    world.canaries.push(...ecrApi.passwords, ...ecrCentral.passwords)
  })

  it('never puts a token in stderr, the audit trail or the log', () => {
    world.expectNothingLeaked()
  })
})
