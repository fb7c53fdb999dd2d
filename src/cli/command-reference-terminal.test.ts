import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { CTRL_C, onTerminal } from '../../test/terminal'

/** Whether a process still runs: gone, or a zombie waiting for a parent to reap it, does not. */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z'
  } catch {
    return false
  }
}

/**
 * A `command:` reference run by the real `bridgekeep` on a real pseudo-terminal (util-linux
 * `script`), in-process (no agent): the command is a password manager's stand-in that asks for a
 * PIN on /dev/tty, as `pass`, `op` or `bw` do, and prints the token only when it is right.
 */
describe.skipIf(!privateKeyring)('a command: reference on the terminal', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  const token = `glpat-${canary.alnum(24)}`
  const pin = '4711'
  // What exec's child says about the token it was given, without printing it.
  const sawToken = [
    '--',
    process.execPath,
    '-e',
    'const h = require("crypto").createHash("sha256").update(process.env.GITLAB_TOKEN ?? "").digest("hex"); console.log(h === process.env.WANT ? "child got the token" : "child got another value")',
  ]
  const terminalEnv = () => ({
    BRIDGEKEEP_HOME: vault.home,
    BRIDGEKEEP_AGENT: 'off',
    WANT: createHash('sha256').update(token).digest('hex'),
  })
  /** A connection whose token is what `script` prints (kept in a file: the reference does not quote it). */
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

  beforeAll(async () => {
    vault = await cliVault()
    writeFileSync(join(vault.home, 'token'), `${token}\n`)
    await addCommand('gl-pin', [
      `printf 'PIN for the token: ' > /dev/tty`,
      'IFS= read -r pin < /dev/tty',
      `[ "$pin" = ${pin} ] || { echo "wrong PIN" >&2; exit 1; }`,
      `cat ${join(vault.home, 'token')}`,
    ])
  })

  it('asks on the terminal; what it prints is the value, handed to the child and never shown', async () => {
    const result = await onTerminal(
      ['exec', 'gl-pin', '--env', 'staging', ...sawToken],
      terminalEnv(),
      [['PIN for the token: ', pin]],
    )
    expect(result.screen).toContain('child got the token')
    expect(result.code).toBe(0)
    expect(result.screen).not.toContain(token)
    expect(result.screen).not.toContain(token.slice(6, 18))
  })

  it("the command's complaint is shown on the terminal, and the use fails naming the reference", async () => {
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
    // Shown by the command itself, on the terminal: not repeated after the reason.
    expect(result.screen).toContain('the command sh exited with status 1.')
    expect(result.screen).not.toContain('child got')
    expect(result.screen).not.toContain(token)
  })

  it('without a terminal the command cannot ask, as before: the use fails, nothing waits', async () => {
    const result = await vault.cli(['exec', 'gl-pin', '--env', 'staging', ...sawToken], {
      env: terminalEnv(),
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('the command sh exited with status')
    expect(result.stdout + result.stderr).not.toContain(token)
  })

  it('Ctrl-C while it waits ends the CLI and leaves nothing running, what it started included', async () => {
    const pids = join(vault.home, 'pids')
    // A script's background job ignores SIGINT (POSIX), and this one the hangup of the terminal
    // closing: only the CLI can stop it.
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
      // Typed a second after the prompt shows, as a person would.
      [['Touch your key: ', CTRL_C, 1_000]],
    )
    // What a shell reports for a command ended by SIGINT; no message (the user pressed it). (The
    // terminal is killed after 30 s otherwise, which this code rules out: no timing needed.)
    expect(result.code).toBe(130)
    expect(result.screen).not.toContain('could not be read')
    expect(result.screen).not.toContain('child got')
    expect(result.screen).not.toContain(token)
    const [command, background] = readFileSync(pids, 'utf8').trim().split('\n').map(Number)
    expect(command).toBeGreaterThan(0)
    expect(background).toBeGreaterThan(0)
    // Killed (SIGKILL is sent, and delivered later on a loaded machine): waited for to end.
    for (const pid of [command!, background!])
      await expect.poll(() => running(pid), { message: `pid ${pid}`, timeout: 15_000 }).toBe(false)
  })
})
