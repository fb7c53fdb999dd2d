import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bridgekeepOnPath,
  cliVault,
  privateKeyring,
  runProgram as run,
  SLOW,
  type CliResult,
} from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { startEcr, type EcrFixture } from '../../test/fixtures/ecr'
import { basic, serve, type Loopback } from '../../test/fixtures/loopback'
import { createTestCa } from '../../test/fixtures/test-ca'
import { ROOT } from '../../test/run-node'
import { environmentIds } from '../../test/services'
import { startAgent } from '../../test/agent'
import { commandLine } from './credential-helpers/invoked-as'

/** A git smart-HTTP server with one ref, answering only Basic auth with `token`. */
async function gitServer(user: string, token: string, seen: string[]): Promise<Loopback> {
  const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`
  return serve((request, response) => {
    const auth = basic(request)
    seen.push(auth ? `${auth.user}:${auth.password === token ? 'right' : 'wrong'}` : 'none')
    if (auth?.user !== user || auth.password !== token) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="git"' })
      return response.end()
    }
    response.writeHead(200, {
      'content-type': 'application/x-git-upload-pack-advertisement',
      'cache-control': 'no-cache',
    })
    response.end(
      `${pkt('# service=git-upload-pack\n')}0000${pkt(`${'a'.repeat(40)} refs/heads/main\0report-status\n`)}0000`,
    )
  })
}

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

describe.skipIf(!privateKeyring)('credential helpers (real git, real processes)', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  let tools: string
  let home: string
  let server: Loopback
  const seen: string[] = []
  const githubToken = `ghp_${canary.alnum(36)}`
  const httpToken = canary.alnum(32)
  const dockerToken = `dckr_pat_${canary.alnum(27)}`
  // ECR's own keys (ecr-prod), and an AWS connection's that another ECR connection borrows.
  const ecrKey = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
  const opsKey = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
  const staleSecret = canary.awsSecret()
  const canaries = [
    githubToken,
    httpToken,
    dockerToken,
    ecrKey.secretAccessKey,
    opsKey.secretAccessKey,
    staleSecret,
  ]
  let ecrApi: EcrFixture
  let ecrCentral: EcrFixture
  /** Everything git and the helpers see: the vault, a private HOME, `bridgekeep` on PATH. */
  const env = (extra: Record<string, string> = {}) => ({
    BRIDGEKEEP_HOME: vault.home,
    BRIDGEKEEP_AGENT: 'off',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    PATH: `${tools}:${process.env.PATH ?? ''}`,
    ...extra,
  })
  const git = (args: string[], input = '', extra: Record<string, string> = {}) =>
    run('git', args, { env: env(extra), input, cwd: home })
  const outputs: string[] = []
  const record = (result: CliResult) => {
    outputs.push(result.stdout, result.stderr)
    return result
  }

  beforeAll(async () => {
    vault = await cliVault()
    home = mkdtempSync(join(tmpdir(), 'bk-helper-home-'))
    tools = mkdtempSync(join(tmpdir(), 'bk-helper-bin-'))
    // `bridgekeep` on PATH, as installed: the current source through tsx.
    bridgekeepOnPath(tools)
    // docker's name for the helper: a link to the command itself.
    symlinkSync(resolve(ROOT, 'src/cli/index.ts'), join(tools, 'docker-credential-bridgekeep'))
    server = await gitServer('ci', httpToken, seen)
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
    const ids = environmentIds(vault.services)
    const github = vault.services.connections.create({
      name: 'gh-ci',
      provider: 'github',
      authMode: 'inline',
      values: { token: githubToken },
    })
    const local = vault.services.connections.create({
      name: 'local-git',
      provider: 'http',
      authMode: 'inline',
      values: { url: `${server.url}/repo.git`, username: 'ci', password: httpToken },
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
    vault.services.authorizations.applyChanges({
      grants: [github, local, hub, ecr, ops, borrowing, stale].map((c) => ({
        connectionId: c.id,
        environmentId: ids.staging!,
      })),
    })
    writeFileSync(
      join(home, '.gitconfig'),
      '[credential]\n\thelper = "!bridgekeep git-credential --env staging"\n',
    )
    // The environment from BRIDGEKEEP_ENV instead.
    writeFileSync(
      join(home, 'env.gitconfig'),
      '[credential]\n\thelper = "!bridgekeep git-credential"\n',
    )
  })
  afterAll(async () => {
    await server?.close()
    await ecrApi?.close()
    await ecrCentral?.close()
  })

  it('git credential fill gets the GitHub token for github.com, and the use is audited', async () => {
    const result = record(await git(['credential', 'fill'], 'protocol=https\nhost=github.com\n\n'))
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`username=x-access-token\npassword=${githubToken}\n`)
    const [entry] = vault.services.audit.query({
      filter: { actions: ['credential-helper'], outcome: 'success' },
    }).entries
    expect(entry?.detail).toContain('git credential helper for github.com')
    expect(entry?.targetName).toBe('gh-ci')
  })

  it('git ls-remote logs in to a local server with the HTTP connection’s password', async () => {
    const result = record(await git(['ls-remote', `${server.url}/repo.git`]))
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe(`${'a'.repeat(40)}\trefs/heads/main\n`)
    expect(seen).toContain('ci:right')
    expect(seen).not.toContain('ci:wrong')
  })

  it('refuses an environment the connection is not authorized for, saying how to authorize', async () => {
    const result = record(
      await git(['credential', 'fill'], 'protocol=https\nhost=github.com\n\n', {
        BRIDGEKEEP_ENV: 'production',
        GIT_CONFIG_GLOBAL: join(home, 'env.gitconfig'),
      }),
    )
    // No helper answered: git, which may not prompt, gives up.
    expect(result.code).not.toBe(0)
    expect(result.stdout).not.toContain('password=')
    expect(result.stderr).toContain('Connection gh-ci is not authorized for environment production')
    expect(result.stderr).toContain('Authorize it for production')
    const [refused] = vault.services.audit.query({
      filter: { actions: ['credential-helper'], outcome: 'failure' },
    }).entries
    expect(refused?.detail).toContain('Refused git credential helper for github.com')
  })

  it('names an unknown host, a plain-http remote and a malformed request clearly', async () => {
    const unknown = record(
      await git(['credential', 'fill'], 'protocol=https\nhost=example.org\n\n'),
    )
    expect(unknown.stderr).toContain('No connection in this vault serves example.org for git.')
    expect(unknown.stderr).toContain('Add a GitHub, GitLab or Generic HTTP connection')
    const plain = record(await git(['credential', 'fill'], 'protocol=http\nhost=github.com\n\n'))
    expect(plain.stderr).toContain('over https only, not plain http')
    const malformed = record(
      await vault.cli(['git-credential', 'get', '--env', 'staging'], {
        input: `protocol=https\npassword ${githubToken}\n`,
      }),
    )
    expect(malformed.code).toBe(1)
    expect(malformed.stderr).toContain("Line 2 of git's credential request is not key=value.")
    const noEnv = record(
      await vault.cli(['git-credential', 'get'], { input: 'protocol=https\nhost=github.com\n' }),
    )
    expect(noEnv.stderr).toContain('Give --env <env>')
  })

  it('hands a named connection only to a host it serves', async () => {
    const result = record(
      await vault.cli(['git-credential', 'get', '--env', 'staging', '--connection', 'gh-ci'], {
        input: `protocol=http\nhost=127.0.0.1:${server.port}\n\n`,
      }),
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`Connection gh-ci does not serve 127.0.0.1:${server.port}`)
  })

  it('git credential approve and reject (store, erase) do nothing and succeed', async () => {
    const input = `protocol=https\nhost=github.com\nusername=x\npassword=${githubToken}\n\n`
    for (const action of ['approve', 'reject']) {
      const result = record(await git(['credential', action], input))
      expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' })
    }
  })

  it('answers docker under its helper name: get, not found, list, and store refused', async () => {
    const helper = (action: string, input: string, extra: Record<string, string> = {}) =>
      run(
        process.execPath,
        ['--import', 'tsx', join(tools, 'docker-credential-bridgekeep'), action],
        {
          env: env({ BRIDGEKEEP_ENV: 'staging', ...extra }),
          input,
        },
      ).then(record)
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
    const helper = (input: string, extra: Record<string, string> = {}) =>
      run(
        process.execPath,
        ['--import', 'tsx', join(tools, 'docker-credential-bridgekeep'), 'get'],
        { env: env({ BRIDGEKEEP_ENV: 'staging', ...extra }), input },
      ).then(record)
    const given = () =>
      vault.services.audit.query({ filter: { actions: ['credential-helper'], outcome: 'success' } })
        .entries.length
    // Its own keys.
    const own = await helper('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com\n')
    expect(own.stderr).toBe('')
    expect(JSON.parse(own.stdout)).toEqual({
      ServerURL: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      Username: 'AWS',
      Secret: ecrApi.passwords[0],
    })
    expect(ecrApi.calls).toEqual([{ accessKeyId: ecrKey.accessKeyId }])
    // A borrowed AWS connection's keys, signed for the registry's own region; a new password each time.
    const first = await helper('210987654321.dkr.ecr.eu-central-1.amazonaws.com\n')
    const second = await helper('210987654321.dkr.ecr.eu-central-1.amazonaws.com\n')
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
    const refusedKeys = await helper('333333333333.dkr.ecr.eu-west-1.amazonaws.com\n')
    expect(refusedKeys.code).toBe(1)
    expect(refusedKeys.stdout).toContain(
      `Amazon ECR (${ecrApi.url}) refused GetAuthorizationToken: UnrecognizedClientException`,
    )
    expect(ecrApi.calls.at(-1)).toEqual({ error: 'UnrecognizedClientException' })
    // An environment the ECR connection is not authorized for: refused before any ECR call.
    const before = { calls: ecrApi.calls.length, given: given() }
    const unauthorized = await helper('123456789012.dkr.ecr.eu-west-1.amazonaws.com\n', {
      BRIDGEKEEP_ENV: 'production',
    })
    expect(unauthorized.code).toBe(1)
    expect(unauthorized.stdout).toContain(
      'Connection ecr-prod is not authorized for environment production',
    )
    expect({ calls: ecrApi.calls.length, given: given() }).toEqual(before)
    // The passwords were for docker only: never in the trail or the log.
    canaries.push(...ecrApi.passwords, ...ecrCentral.passwords)
  })

  it('answers through a running agent the same way, naming the caller in the audit entry', async () => {
    const agent = await startAgent({ BRIDGEKEEP_HOME: vault.home })
    try {
      const result = record(
        await git(['credential', 'fill'], 'protocol=https\nhost=github.com\n\n', {
          BRIDGEKEEP_AGENT: '',
        }),
      )
      expect(result.stderr).toBe('')
      expect(result.stdout).toContain(`password=${githubToken}\n`)
      const [entry] = vault.services.audit.query({
        filter: { actions: ['credential-helper'], outcome: 'success' },
      }).entries
      expect(entry?.detail).toMatch(/^git credential helper for github\.com for pid \d+/)
    } finally {
      agent.child.kill('SIGTERM')
      await agent.exited
      outputs.push('', agent.output())
    }
  })

  it('never puts a token in stderr, the audit trail or the log', () => {
    const trail = JSON.stringify(vault.services.audit.query({ limit: 1000 }))
    const stderr = outputs.filter((_, index) => index % 2 === 1).join('\n')
    for (const secret of canaries) {
      expect(stderr).not.toContain(secret)
      expect(trail).not.toContain(secret)
      expect(JSON.stringify(vault.log.lines)).not.toContain(secret)
    }
  })
})
