import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyring, runProgram as run, SLOW, type CliResult } from '../../test/cli'
import { helperWorld, type HelperWorld } from '../../test/credential-helpers'
import { canary } from '../../test/fixtures/canary'
import { basic, serve, type Loopback } from '../../test/fixtures/loopback'
import { startAgent } from '../../test/agent'

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

describe.skipIf(!privateKeyring)('git credential helper (real git, real processes)', SLOW, () => {
  let world: HelperWorld
  let vault: HelperWorld['vault']
  let home: string
  let server: Loopback
  const seen: string[] = []
  const githubToken = `ghp_${canary.alnum(36)}`
  const httpToken = canary.alnum(32)
  const git = (args: string[], input = '', extra: Record<string, string> = {}) =>
    run('git', args, { env: world.env(extra), input, cwd: home })
  const record = (result: CliResult) => world.record(result)

  beforeAll(async () => {
    world = await helperWorld()
    ;({ vault, home } = world)
    world.canaries.push(githubToken, httpToken)
    server = await gitServer('ci', httpToken, seen)
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
    world.authorizeForStaging([github, local])
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
      world.keepOutput(agent.output())
    }
  })

  it('never puts a token in stderr, the audit trail or the log', () => {
    world.expectNothingLeaked()
  })
})
