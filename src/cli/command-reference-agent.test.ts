import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawExchange, startAgent, type Agent } from '../../test/agent'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { CTRL_C, onTerminal } from '../../test/terminal'
import { readAgentToken } from '../main/agent/agent-token-file'
import { agentSocketPath } from '../main/agent/socket-path'
import { encodeFrame } from '../shared/runner-protocol/framing'

/** Whether a process still runs: gone, or a zombie waiting for a parent to reap it, does not. */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z'
  } catch {
    return false
  }
}

/**
 * A `command:` reference through a real `bridgekeep agent`, with the real `bridgekeep` on a real
 * pseudo-terminal (util-linux `script`): the agent resolves, authorizes and audits the use and
 * asks the CLI to run the command on its terminal, where a password manager's stand-in asks for
 * a PIN on /dev/tty (the agent has no terminal: run there, it could not).
 */
describe.skipIf(!privateKeyring)('a command: reference through the agent', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  let agent: Agent
  const token = `glpat-${canary.alnum(24)}`
  const pin = '4711'
  const sawToken = [
    '--',
    process.execPath,
    '-e',
    'const h = require("crypto").createHash("sha256").update(process.env.GITLAB_TOKEN ?? "").digest("hex"); console.log(h === process.env.WANT ? "child got the token" : "child got another value")',
  ]
  const terminalEnv = () => ({
    BRIDGEKEEP_HOME: vault.home,
    WANT: createHash('sha256').update(token).digest('hex'),
  })
  const addCommand = async (name: string, script: string[]) => {
    const file = join(vault.home, `${name}.sh`)
    writeFileSync(file, `${script.join('\n')}\n`)
    const added = await vault.cli([
      'add',
      'gitlab',
      '--name',
      name,
      '--field',
      'api_url=https://gitlab.example.com/api/v4',
      '--ref',
      `token=command:sh ${file}`,
      '--env',
      'staging',
    ])
    expect(added.stderr).toBe('')
    expect(added.code).toBe(0)
  }
  const entries = (action: string) =>
    vault.services.audit.query({ filter: { actions: [action as never] } }).entries
  const everything = () => JSON.stringify(vault.services.audit.query({}).entries)

  beforeAll(async () => {
    vault = await cliVault()
    writeFileSync(join(vault.home, 'token'), `${token}\n`)
    await addCommand('gl-pin', [
      `printf 'PIN for the token: ' > /dev/tty`,
      'IFS= read -r pin < /dev/tty',
      `[ "$pin" = ${pin} ] || { echo "wrong PIN" >&2; exit 1; }`,
      `cat ${join(vault.home, 'token')}`,
    ])
    agent = await startAgent({ BRIDGEKEEP_HOME: vault.home, BRIDGEKEEP_LOG: 'debug' })
    expect(agent.child.exitCode, agent.output()).toBeNull()
  })

  afterAll(() => {
    agent?.child.kill('SIGTERM')
  })

  it('the PIN is typed on the terminal; the agent audits the use once, saying where it was read', async () => {
    const uses = entries('exec').length
    const result = await onTerminal(
      ['exec', 'gl-pin', '--env', 'staging', ...sawToken],
      terminalEnv(),
      [['PIN for the token: ', pin]],
    )
    expect(result.screen).toContain('child got the token')
    expect(result.code).toBe(0)
    expect(result.screen).not.toContain(token)
    // One use, audited by the agent (it names its caller), and the reference read on the terminal.
    const used = entries('exec')
    expect(used.length).toBe(uses + 1)
    expect(used[0]!.outcome).toBe('success')
    expect(used[0]!.detail).toMatch(/^Ran node for pid \d+ \(bridgekeep/)
    const [read] = entries('connection.reference-resolved')
    expect(read!.outcome).toBe('success')
    expect(read!.detail).toBe(
      `Access token from command:sh ${join(vault.home, 'gl-pin.sh')} (run on the caller's terminal)`,
    )
    expect(agent.output()).toContain('"op":"exec"')
    expect(agent.output()).not.toContain(token)
    expect(everything()).not.toContain(token)
  })

  it("a wrong PIN: the command's complaint on the terminal, the use refused and audited as such", async () => {
    const result = await onTerminal(
      ['exec', 'gl-pin', '--env', 'staging', ...sawToken],
      terminalEnv(),
      [['PIN for the token: ', '0000']],
    )
    expect(result.code).toBe(1)
    expect(result.screen).toContain('wrong PIN')
    expect(result.screen).toContain(
      'Connection "gl-pin": Access token could not be read from command:',
    )
    expect(result.screen).toContain('the command sh exited with status 1.')
    expect(result.screen).not.toContain('child got')
    const [read] = entries('connection.reference-resolved')
    expect(read!.outcome).toBe('failure')
    expect(read!.detail).toContain(
      "(run on the caller's terminal): the command sh exited with status 1",
    )
    expect(entries('exec')[0]!.outcome).toBe('failure')
  })

  it('without a terminal the agent runs it detached, as before: it cannot ask, the use fails', async () => {
    const result = await vault.cli(['exec', 'gl-pin', '--env', 'staging', ...sawToken], {
      env: terminalEnv(),
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('the command sh exited with status')
    expect(entries('connection.reference-resolved')[0]!.detail).not.toContain('caller')
  })

  it('Ctrl-C while it waits ends the CLI and what the command started; the agent records the failure', async () => {
    const pids = join(vault.home, 'pids')
    await addCommand('gl-waits', [
      `echo $$ > ${pids}`,
      `(trap '' HUP; exec sleep 300) & echo $! >> ${pids}`,
      `printf 'Touch your key: ' > /dev/tty`,
      'IFS= read -r answer < /dev/tty',
      `cat ${join(vault.home, 'token')}`,
    ])
    const result = await onTerminal(
      ['exec', 'gl-waits', '--env', 'staging', ...sawToken],
      terminalEnv(),
      [['Touch your key: ', CTRL_C, 1_000]],
    )
    expect(result.code).toBe(130)
    expect(result.screen).not.toContain('could not be read')
    expect(result.screen).not.toContain('child got')
    const [command, background] = readFileSync(pids, 'utf8').trim().split('\n').map(Number)
    expect(command).toBeGreaterThan(0)
    expect(background).toBeGreaterThan(0)
    await new Promise((done) => setTimeout(done, 300))
    expect(running(command!)).toBe(false)
    expect(running(background!)).toBe(false)
    // The agent saw its caller go and failed the use (it records that once the socket closed).
    await expect
      .poll(() => entries('connection.reference-resolved')[0]!.detail, { timeout: 20_000 })
      .toContain('gl-waits.sh (run on the caller')
    const [read] = entries('connection.reference-resolved')
    expect(read!.outcome).toBe('failure')
    expect(read!.detail).toContain('the caller stopped before the command ended')
    // And it still serves.
    expect((await vault.cli(['status'])).stdout).toContain('vault unlocked')
  })

  it('refuses a request of the previous protocol version, saying which it speaks and what to do', async () => {
    const [answer] = (await rawExchange(
      agentSocketPath({ BRIDGEKEEP_HOME: vault.home }),
      encodeFrame({
        v: 4,
        dataDir: vault.home,
        token: readAgentToken(vault.home),
        caller: { pid: process.pid, program: 'bridgekeep' },
        request: { op: 'exec', ref: 'gl-pin', env: 'staging', program: 'node' },
      }),
    )) as { ok: boolean; error: { message: string; hint: string } }[]
    expect(answer!.ok).toBe(false)
    expect(answer!.error.message).toBe(
      'The agent refused the request: it speaks protocol version 5, the request is of version 4.',
    )
    expect(answer!.error.hint).toContain('Use the bridgekeep command of the same version')
  })
})
