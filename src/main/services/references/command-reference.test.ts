import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../../../test/run-node'
import { tsxOnTerminal } from '../../../../test/terminal'

const dir = mkdtempSync(join(tmpdir(), 'bk-cmd-terminal-'))
const fixture = resolve(ROOT, 'test/fixtures/command-on-terminal.ts')
/** A reference to `sh script` (the script in a file, so that the reference does not quote it). */
function shReference(name: string, lines: string[]): string {
  const file = join(dir, `${name}.sh`)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return `command:sh ${file}`
}
/** The fixture's JSON line among what the terminal showed. */
function outcome(screen: string): { sha256?: string; failure?: string } {
  // After the prompt, on its line when nothing was typed.
  const line = /\{".*\}/.exec(screen)?.[0]
  if (line === undefined) throw new Error(`no outcome on the terminal: ${screen}`)
  return JSON.parse(line) as { sha256?: string; failure?: string }
}
/** Whether a process still runs: gone, or a zombie waiting for a parent to reap it, does not. */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z'
  } catch {
    return false
  }
}
const pidsIn = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map(Number)
/** Waits for each pid to end (SIGKILL is sent, not yet delivered): a loaded machine is slow at it. */
async function expectEnded(pids: number[]): Promise<void> {
  for (const pid of pids)
    await expect.poll(() => running(pid), { message: `pid ${pid}`, timeout: 15_000 }).toBe(false)
}

/**
 * A `command:` reference read in terminal mode by a process on a real pseudo-terminal (util-linux
 * `script`): what the CLI does with a person at its terminal. The CLI itself (exec, Ctrl-C) is
 * tested in src/cli/command-reference-terminal.test.ts.
 */
describe('command references on the terminal', { timeout: 60_000 }, () => {
  it('read a line from /dev/tty; stdout is the value', async () => {
    const value = `v-${Date.now()}`
    const result = await tsxOnTerminal(
      [fixture],
      {
        BK_REFERENCE: shReference('asks', [
          "printf 'Passphrase: ' > /dev/tty",
          'IFS= read -r said < /dev/tty',
          `[ "$said" = open-sesame ] && echo ${value}`,
        ]),
      },
      [['Passphrase: ', 'open-sesame']],
    )
    expect(outcome(result.screen)).toEqual({
      sha256: createHash('sha256').update(value).digest('hex'),
    })
    expect(result.screen).not.toContain(value)
  })

  it('timed out, it is asked to stop first (to put the terminal back), then killed with what it started', async () => {
    const pids = join(dir, 'timeout.pids')
    const restored = join(dir, 'restored')
    const result = await tsxOnTerminal([fixture], {
      // Long enough for a loaded machine to reach the trap below before the time is up: a
      // SIGTERM before it would end the shell without the trap (once seen in CI at 1.5 s).
      BK_TIMEOUT_MS: '4000',
      BK_REFERENCE: shReference('slow', [
        // The trap first, so that it is set however slowly the rest starts.
        `trap 'echo yes > ${restored}; exit 143' TERM`,
        `echo $$ > ${pids}`,
        // What it started ignores every polite signal: only SIGKILL ends it.
        `(trap '' TERM INT HUP; exec sleep 300) & echo $! >> ${pids}`,
        "printf 'PIN: ' > /dev/tty",
        // Waiting for a person, in a way the trap interrupts (a builtin read would hold it).
        'sleep 300 & wait $!',
      ]),
    })
    expect(outcome(result.screen)).toEqual({ failure: 'the command sh timed out after 4 s' })
    expect(existsSync(restored)).toBe(true)
    await expectEnded(pidsIn(pids))
  })

  it('is killed with what it started when the process reading it exits', async () => {
    const pids = join(dir, 'exit.pids')
    const waiting = join(dir, 'exit.waiting')
    const result = await tsxOnTerminal([fixture], {
      // It exits once the command waits, with both pids written (however long that took).
      BK_EXIT_WHEN: waiting,
      BK_REFERENCE: shReference('left', [
        `echo $$ > ${pids}`,
        `(trap '' TERM INT HUP; exec sleep 300) & echo $! >> ${pids}`,
        "printf 'PIN: ' > /dev/tty",
        `: > ${waiting}`,
        'IFS= read -r pin < /dev/tty',
      ]),
    })
    expect(result.code).toBe(3)
    expect(pidsIn(pids)).toHaveLength(2)
    await expectEnded(pidsIn(pids))
  })
})
