import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent, type Agent } from '../../test/agent'
import { cliVault, privateKeyring, SLOW, type CliResult } from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { startGitLab, type TokenApiFixture } from '../../test/fixtures/token-apis'
import { environmentIds } from '../../test/services'

/**
 * Secret references end to end through the real `bridgekeep`: added with --ref, shown, read at
 * each use by exec (a real child sees the value) in the CLI's own process and through a running
 * agent (which must read the caller's environment, not its own), and verified against a local
 * GitLab API that checks the token.
 */
describe.skipIf(!privateKeyring)('secret references through the CLI', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  let gitlab: TokenApiFixture
  let agent: Agent | undefined
  const outputs: CliResult[] = []
  const glToken = () => `glpat-${canary.alnum(24)}`
  const fromEnv = glToken()
  const fromFile = glToken()
  const fromCommand = glToken()
  const printToken = ['--', process.execPath, '-e', 'console.log(process.env.GITLAB_TOKEN)']
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const result = await vault.cli(args, { env })
    outputs.push(result)
    return result
  }
  const inProcess = (args: string[], env: Record<string, string> = {}) =>
    run(args, { ...env, BRIDGEKEEP_AGENT: 'off' })

  beforeAll(async () => {
    vault = await cliVault()
    gitlab = await startGitLab({ token: fromEnv, username: 'deploy-bot', expiresAt: '2031-12-31' })
    writeFileSync(`${vault.home}/gl-token`, `${fromFile}\n`)
    writeFileSync(`${vault.home}/printed`, `${fromCommand}\n`)
  })
  afterAll(async () => {
    agent?.child.kill('SIGKILL')
    await gitlab.close()
    // The values read never reach the trail, the logs or the vault file.
    const trail = JSON.stringify(vault.services.audit.query({ limit: 1000 }))
    const vaultFile = readFileSync(vault.services.vault.path).toString('latin1')
    const logs = existsSync(join(vault.home, 'logs'))
      ? readdirSync(join(vault.home, 'logs'))
          .map((file) => readFileSync(join(vault.home, 'logs', file), 'utf8'))
          .join('\n')
      : ''
    const printed = outputs.map((o) => o.stderr).join('\n') + (agent?.output() ?? '') + logs
    for (const value of [fromEnv, fromFile, fromCommand])
      for (const text of [trail, vaultFile, printed]) expect(text).not.toContain(value)
  })

  it('add --ref stores references; show and show --json list them, never a value', async () => {
    const staging = 'staging'
    for (const [name, ref] of [
      ['gl-env', 'env:BK_GL_TOKEN'],
      ['gl-file', `file:${vault.home}/gl-token`],
      ['gl-command', `command:cat ${vault.home}/printed`],
    ] as const) {
      const added = await run([
        'add',
        'gitlab',
        '--name',
        name,
        '--field',
        `api_url=${gitlab.url}/api/v4`,
        '--ref',
        `token=${ref}`,
        '--env',
        staging,
      ])
      expect(added.stderr).toBe('')
      expect(added.code).toBe(0)
    }
    const shown = await run(['show', 'gl-env'])
    expect(shown.stdout).toMatch(/Access token\s+reference env:BK_GL_TOKEN \(read at each use\)/)
    const json = JSON.parse((await run(['show', 'gl-file', '--json'])).stdout) as {
      secrets: unknown[]
    }
    expect(json.secrets).toEqual([
      { field: 'token', reference: `file:${vault.home}/gl-token`, damaged: false },
    ])
  })

  it('a bad --ref is refused with the forms it may take, and adds nothing', async () => {
    const bad = await run(['add', 'gitlab', '--name', 'bad', '--ref', 'token=vault:x'])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('--ref token: Reference: "vault:x" is not a reference.')
    const notSecret = await run([
      'add',
      'gitlab',
      '--name',
      'bad',
      '--ref',
      'api_url=env:X',
      '--ref',
      'token=env:Y',
    ])
    expect(notSecret.stderr).toContain('is not a secret field of GitLab')
    expect(vault.services.connections.list().map((c) => c.name)).not.toContain('bad')
  })

  it('exec in-process reads env, file and command references; a child sees the value', async () => {
    const env = { BK_GL_TOKEN: fromEnv }
    for (const [name, value] of [
      ['gl-env', fromEnv],
      ['gl-file', fromFile],
      ['gl-command', fromCommand],
    ] as const) {
      const result = await inProcess(['exec', name, '--env', 'staging', ...printToken], env)
      expect(result.stderr).toBe('')
      expect(result.stdout.trim()).toBe(value)
    }
    const unset = await inProcess(['exec', 'gl-env', '--env', 'staging', ...printToken])
    expect(unset.code).not.toBe(0)
    expect(unset.stderr).toContain(
      'Connection "gl-env": Access token could not be read from env:BK_GL_TOKEN: the variable BK_GL_TOKEN is not set.',
    )
  })

  it('a command: reference run in-process is never handed what unlocks the vault', async () => {
    // The program prints a token saying whether it saw a Bridgekeep secret variable.
    writeFileSync(
      `${vault.home}/snoop.js`,
      "process.stdout.write('glpat-' + (process.env.BRIDGEKEEP_MFA_CODE || process.env.BRIDGEKEEP_RECOVERY_KEY ? 'leaked'.repeat(4) : 'unseen'.repeat(4)))",
    )
    const added = await run([
      'add',
      'gitlab',
      '--name',
      'gl-snoop',
      '--ref',
      `token=command:${process.execPath} ${vault.home}/snoop.js`,
      '--env',
      'staging',
    ])
    expect(added.code, added.stderr).toBe(0)
    const result = await inProcess(['exec', 'gl-snoop', '--env', 'staging', ...printToken], {
      BRIDGEKEEP_MFA_CODE: '123456',
      BRIDGEKEEP_RECOVERY_KEY: 'not-a-real-recovery-key',
    })
    expect(result.stderr).toBe('')
    expect(result.stdout.trim()).toBe(`glpat-${'unseen'.repeat(4)}`)
  })

  it("through the agent, env: reads the caller's environment, not the agent's", async () => {
    // The agent has a value of its own under that name: it must not be the one used.
    agent = await startAgent({
      BRIDGEKEEP_HOME: vault.home,
      BRIDGEKEEP_LOG: 'debug',
      BK_GL_TOKEN: glToken(),
    })
    const through = await run(['exec', 'gl-env', '--env', 'staging', ...printToken], {
      BK_GL_TOKEN: fromEnv,
    })
    expect(through.stderr).toBe('')
    expect(through.stdout.trim()).toBe(fromEnv)
    // Its debug log names the request, and nothing of the caller's environment.
    expect(agent.output()).toContain('agent.request')
    expect(agent.output()).not.toContain('BK_GL_TOKEN')
    const unset = await run(['exec', 'gl-env', '--env', 'staging', ...printToken])
    expect(unset.stderr).toContain('the variable BK_GL_TOKEN is not set')
    const command = await run(['exec', 'gl-command', '--env', 'staging', ...printToken])
    expect(command.stdout.trim()).toBe(fromCommand)
    const [entry] = vault.services.audit.query({
      filter: { actions: ['exec'], outcome: 'success' },
    }).entries
    expect(entry!.detail).toMatch(/for pid \d+/)
  })

  it('verify reads the reference like any use, and the local API checks the token', async () => {
    const good = await run(['verify', 'gl-env'], { BK_GL_TOKEN: fromEnv })
    expect(good.stderr).toBe('')
    expect(good.stdout).toMatch(/gl-env\s+GitLab\s+healthy/)
    // The file holds another token: GitLab refuses it.
    const refused = await run(['verify', 'gl-file'], { BRIDGEKEEP_AGENT: 'off' })
    expect(refused.stdout).toMatch(/gl-file\s+GitLab\s+failing/)
    const unset = await run(['verify', 'gl-env'], { BRIDGEKEEP_AGENT: 'off' })
    expect(unset.stdout + unset.stderr).toContain(
      'Access token could not be read from env:BK_GL_TOKEN: the variable BK_GL_TOKEN is not set',
    )
    const resolved = vault.services.audit
      .query({ filter: { actions: ['connection.reference-resolved'] } })
      .entries.map((e) => e.targetName)
    expect(resolved).toEqual(expect.arrayContaining(['gl-env', 'gl-file', 'gl-command']))
  })

  it('edit --ref changes the reference as a new secret version', async () => {
    const id = vault.services.connections.findByRef('gl-file').id
    const before = vault.services.connections.get(id).secretVersion
    const edited = await run(['edit', 'gl-file', '--ref', 'token=env:BK_OTHER'])
    expect(edited.stderr).toBe('')
    expect(edited.stdout).toContain('token (a reference)')
    const after = vault.services.connections.get(id)
    expect(after.secretVersion).toBe(before + 1)
    expect(after.secrets).toEqual([{ field: 'token', reference: 'env:BK_OTHER', damaged: false }])
    expect(environmentIds(vault.services).staging).toBeDefined()
  })

  it('rotate --ref makes a field a reference as a new secret version; a bad one writes nothing', async () => {
    const id = vault.services.connections.findByRef('gl-command').id
    const before = vault.services.connections.get(id).secretVersion
    const bad = await run(['rotate', 'gl-command', '--ref', 'token=vault:x'])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('--ref token: Reference: "vault:x" is not a reference.')
    const valued = `token=@${vault.home}/gl-token`
    const both = await run(['rotate', 'gl-command', '--field', valued, '--ref', 'token=env:X'])
    expect(both.code).not.toBe(0)
    expect(both.stderr).toContain('give a value or a reference, not both.')
    expect(vault.services.connections.get(id).secretVersion).toBe(before)

    const rotated = await run(['rotate', 'gl-command', '--ref', 'token=env:BK_GL_TOKEN'])
    expect(rotated.stderr).toBe('')
    expect(rotated.stdout).toContain(`(token (a reference)): secret version ${before + 1}`)
    const after = vault.services.connections.get(id)
    expect(after.secretVersion).toBe(before + 1)
    expect(after.secrets).toEqual([
      { field: 'token', reference: 'env:BK_GL_TOKEN', damaged: false },
    ])
    // The new version is read at use: GitLab accepts the token from the caller's environment.
    const good = await inProcess(['verify', 'gl-command'], { BK_GL_TOKEN: fromEnv })
    expect(good.stdout).toMatch(/gl-command\s+GitLab\s+healthy/)
  })
})
