import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { memoryLogger } from '../main/log'
import { AwsConfigProfiles } from '../main/services/aws-config/aws-config-profiles'

import { startSts } from '../../test/fixtures/sts'
import { ROOT } from '../../test/run-node'
import { environmentIds } from '../../test/services'

const hasAwsCli = spawnSync('aws', ['--version']).status === 0

/** Random, valid-looking keys: canaries no output may contain. */
function randomKeys() {
  const upper = (n: number) =>
    Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('')
  const secret = randomBytes(30).toString('base64').replace(/[+/=]/g, 'x').slice(0, 40)
  return { accessKeyId: `AKIA${upper(16)}`, secretAccessKey: secret }
}

/** Runs a command with a clean AWS environment (no user config, no other credentials). */
function run(
  command: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const clean = { ...process.env }
    for (const name of Object.keys(clean)) if (name.startsWith('AWS_')) delete clean[name]
    const child = spawn(command[0]!, command.slice(1), { env: { ...clean, ...env }, cwd: ROOT })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }))
  })
}

describe.skipIf(!privateKeyring || !hasAwsCli)(
  'the real aws CLI with Bridgekeep credentials',
  SLOW,
  () => {
    const keys = randomKeys()
    const identity = {
      ...keys,
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/bridgekeep-ci',
      userId: 'AIDAEXAMPLEUSERID0001',
    }
    let sts: Awaited<ReturnType<typeof startSts>>
    let vault: Awaited<ReturnType<typeof cliVault>>
    let base: Record<string, string>

    beforeAll(async () => {
      sts = await startSts({ identities: [identity] })
      vault = await cliVault()
      const connection = vault.services.connections.create({
        name: 'prod-aws',
        provider: 'aws',
        authMode: 'inline',
        values: {
          access_key_id: keys.accessKeyId,
          secret_access_key: keys.secretAccessKey,
          default_region: 'eu-west-1',
        },
      })
      vault.services.authorizations.applyChanges({
        grants: [
          { connectionId: connection.id, environmentId: environmentIds(vault.services).staging! },
        ],
      })
      base = {
        BRIDGEKEEP_HOME: vault.home,
        AWS_ENDPOINT_URL_STS: sts.url,
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      }
    })
    afterAll(async () => sts?.close())

    const bridgekeep = [process.execPath, '--import', 'tsx', resolve(ROOT, 'src/cli/index.ts')]

    it('the endpoint really checks signatures: wrong keys are refused', async () => {
      const wrong = await run(['aws', 'sts', 'get-caller-identity'], {
        ...base,
        AWS_ACCESS_KEY_ID: keys.accessKeyId,
        AWS_SECRET_ACCESS_KEY: randomKeys().secretAccessKey,
        AWS_DEFAULT_REGION: 'eu-west-1', // awscli v1 reads this one, not AWS_REGION
      })
      expect(wrong.code).not.toBe(0)
      expect(wrong.stderr).toContain('SignatureDoesNotMatch')
    })

    it('aws sts get-caller-identity through bridgekeep exec prints the identity', async () => {
      const before = sts.calls.length
      const result = await run(
        [
          ...bridgekeep,
          'exec',
          'prod-aws',
          '--env',
          'staging',
          '--',
          'aws',
          'sts',
          'get-caller-identity',
          '--output',
          'json',
        ],
        base,
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({
        UserId: identity.userId,
        Account: identity.account,
        Arn: identity.arn,
      })
      expect(sts.calls.slice(before)).toEqual([
        { action: 'GetCallerIdentity', accessKeyId: keys.accessKeyId },
      ])
    })

    it('the same through credential_process in a temporary AWS config', async () => {
      const config = join(vault.home, 'aws-config')
      writeFileSync(
        config,
        [
          '[profile bk]',
          'region = eu-west-1',
          `credential_process = ${bridgekeep.join(' ')} aws credential-process prod-aws --env staging`,
          '[profile bk-prod]',
          'region = eu-west-1',
          `credential_process = ${bridgekeep.join(' ')} aws credential-process prod-aws --env production`,
          '',
        ].join('\n'),
      )
      const result = await run(
        ['aws', 'sts', 'get-caller-identity', '--profile', 'bk', '--output', 'json'],
        {
          ...base,
          AWS_CONFIG_FILE: config,
        },
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({ Arn: identity.arn })
      expect(sts.calls.at(-1)).toEqual({
        action: 'GetCallerIdentity',
        accessKeyId: keys.accessKeyId,
      })

      // What credential_process prints, as the SDKs read it.
      const printed = await run(
        [...bridgekeep, 'aws', 'credential-process', 'prod-aws', '--env', 'staging'],
        base,
      )
      expect(JSON.parse(printed.stdout)).toEqual({
        Version: 1,
        AccessKeyId: keys.accessKeyId,
        SecretAccessKey: keys.secretAccessKey,
      })

      // An environment the connection is not authorized for: the AWS CLI shows resolution's refusal.
      const refused = await run(['aws', 'sts', 'get-caller-identity', '--profile', 'bk-prod'], {
        ...base,
        AWS_CONFIG_FILE: config,
      })
      expect(refused.code).not.toBe(0)
      expect(refused.stderr).toContain(
        'Connection prod-aws is not authorized for environment production',
      )
      expect(refused.stderr).not.toContain(keys.secretAccessKey)

      const audited = vault.services.audit
        .query({ filter: { actions: ['credential-process'] } })
        .entries.map((e) => `${e.outcome} ${e.environmentName ?? '-'} ${e.detail}`)
      expect(audited).toEqual([
        'failure production Refused AWS credential_process; NOT_AUTHORIZED',
        'success staging AWS credential_process (inline)',
        'success staging AWS credential_process (inline)',
      ])
      const usage = vault.services.usage.usageFor(vault.services.connections.list()[0]!.id)
      expect(usage.byOperation.map((op) => [op.operation, op.count]).sort()).toEqual([
        ['credential-process', 2],
        ['exec', 1],
      ])
    })

    it('the profile the Use it panel writes into ~/.aws/config works as written', async () => {
      // `bridgekeep` on PATH, as the installed command would be.
      const bin = mkdtempSync(join(tmpdir(), 'bk-bin-'))
      writeFileSync(
        join(bin, 'bridgekeep'),
        `#!/bin/sh\nexec ${bridgekeep.map((part) => `'${part}'`).join(' ')} "$@"\n`,
        { mode: 0o755 },
      )
      const home = mkdtempSync(join(tmpdir(), 'bk-home-'))
      const profiles = new AwsConfigProfiles({ log: memoryLogger(), home, env: {} })
      const written = profiles.write({
        profile: 'prod-aws-staging',
        connection: 'prod-aws',
        environment: 'staging',
        region: 'eu-west-1',
      })
      const result = await run(
        ['aws', 'sts', 'get-caller-identity', '--profile', 'prod-aws-staging', '--output', 'json'],
        { ...base, AWS_CONFIG_FILE: written.path, PATH: `${bin}:${process.env.PATH ?? ''}` },
      )
      expect(result.stderr).toBe('')
      expect(JSON.parse(result.stdout)).toMatchObject({ Arn: identity.arn })
    })
  },
)

describe.skipIf(!privateKeyring || !hasAwsCli)(
  'cross-account: bridgekeep assumes the role through STS, the aws CLI acts as the role',
  SLOW,
  () => {
    const base = {
      ...randomKeys(),
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/deployer',
      userId: 'AIDAEXAMPLEUSERID0002',
    }
    const role = {
      arn: 'arn:aws:iam::210987654321:role/bridgekeep-deploy',
      externalId: `ext-${randomBytes(6).toString('hex')}`,
      trusted: [base.arn],
    }
    let sts: Awaited<ReturnType<typeof startSts>>
    let vault: Awaited<ReturnType<typeof cliVault>>
    let env: Record<string, string>
    const bridgekeep = [process.execPath, '--import', 'tsx', resolve(ROOT, 'src/cli/index.ts')]

    beforeAll(async () => {
      sts = await startSts({ identities: [base], roles: [role] })
      vault = await cliVault()
      const staging = environmentIds(vault.services).staging!
      for (const [name, externalId] of [
        ['deploy-role', role.externalId],
        ['wrong-external-id', 'not-the-external-id'],
      ] as const) {
        const connection = vault.services.connections.create({
          name,
          provider: 'aws',
          authMode: 'cross-account',
          values: {
            access_key_id: base.accessKeyId,
            secret_access_key: base.secretAccessKey,
            role_arn: role.arn,
            external_id: externalId,
            session_name: 'bridgekeep-ci',
            default_region: 'eu-west-1',
            sts_endpoint: sts.url,
          },
        })
        vault.services.authorizations.applyChanges({
          grants: [{ connectionId: connection.id, environmentId: staging }],
        })
      }
      env = {
        BRIDGEKEEP_HOME: vault.home,
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      }
    })
    afterAll(async () => sts?.close())

    it('exec runs the aws CLI as the assumed role, with the session only; a warm call asks STS nothing', async () => {
      const exec = (name: string) =>
        run(
          [
            ...bridgekeep,
            ...['exec', name, '--env', 'staging', '--'],
            ...['aws', 'sts', 'get-caller-identity', '--output', 'json'],
          ],
          env,
        )
      const first = await exec('deploy-role')
      expect(first.stderr).toBe('')
      expect(first.code).toBe(0)
      expect(JSON.parse(first.stdout)).toMatchObject({
        Account: '210987654321',
        Arn: 'arn:aws:sts::210987654321:assumed-role/bridgekeep-deploy/bridgekeep-ci',
      })
      // The CLI assumed the role with the base keys; the aws CLI signed with the session.
      const session = sts.issued.at(-1)!
      expect(sts.calls).toEqual([
        { action: 'AssumeRole', accessKeyId: base.accessKeyId },
        { action: 'GetCallerIdentity', accessKeyId: session.accessKeyId },
      ])

      // The session is cached (sealed): the second run goes straight to the aws CLI.
      const second = await exec('deploy-role')
      expect(second.code).toBe(0)
      expect(sts.calls.slice(2)).toEqual([
        { action: 'GetCallerIdentity', accessKeyId: session.accessKeyId },
      ])
      const cache = readFileSync(join(vault.home, 'credential-cache.json'), 'utf8')
      for (const secret of [session.secretAccessKey, session.sessionToken!, base.secretAccessKey])
        expect(cache).not.toContain(secret)

      const audited = vault.services.audit
        .query({ filter: { actions: ['exec'] } })
        .entries.map((e) => `${e.outcome} ${e.detail}`)
      expect(audited).toEqual([
        'success Ran aws (sts:assume-role)',
        'success Ran aws (sts:assume-role)',
      ])
    })

    it('credential_process hands the AWS CLI the session with its expiry', async () => {
      const printed = await run(
        [...bridgekeep, 'aws', 'credential-process', 'deploy-role', '--env', 'staging'],
        env,
      )
      expect(printed.code).toBe(0)
      const output = JSON.parse(printed.stdout) as Record<string, string>
      const session = sts.issued.at(-1)!
      expect(output).toEqual({
        Version: 1,
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: session.expiration!.toISOString(),
      })
      expect(printed.stdout).not.toContain(base.secretAccessKey)
    })

    it('a role that refuses the external id: what STS said and remedy, nothing run, no secret shown', async () => {
      const refused = await run(
        [...bridgekeep, 'exec', 'wrong-external-id', '--env', 'staging', '--', 'true'],
        env,
      )
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/Permission denied|Authentication failed/)
      expect(refused.stderr).toContain('wrong-external-id')
      for (const secret of [base.secretAccessKey, role.externalId])
        expect(refused.stderr).not.toContain(secret)
      const failures = vault.services.audit
        .query({ filter: { actions: ['exec'] } })
        .entries.filter((e) => e.outcome === 'failure')
      expect(failures.map((e) => e.detail)).toEqual([
        expect.stringContaining('CREDENTIALS_NOT_ISSUED'),
      ])
    })
  },
)
