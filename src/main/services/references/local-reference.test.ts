import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseReferenceText } from '../../../shared/secret-reference'
import { readLocalReference, ReferenceFailure, REFERENCE_MAX_BYTES } from './local-reference'

const home = mkdtempSync(join(tmpdir(), 'bk-ref-home-'))
const read = (text: string, env: Record<string, string> = {}, commandTimeoutMs?: number) =>
  readLocalReference(parseReferenceText(text), {
    env: { PATH: process.env.PATH!, ...env },
    home,
    ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }),
  })
/** The reason a lookup failed (and what a command said on stderr). */
async function failure(text: string, env: Record<string, string> = {}, timeoutMs?: number) {
  try {
    await read(text, env, timeoutMs)
  } catch (error) {
    expect(error).toBeInstanceOf(ReferenceFailure)
    const { message, said } = error as ReferenceFailure
    return said === undefined ? { message } : { message, said }
  }
  throw new Error(`${text} was read`)
}
/** A process's state letter ('Z' for a zombie waiting for a parent to reap it), or 'gone'. */
function stateOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0]!
  } catch {
    return 'gone'
  }
}
/** Waits for the process to stop running: SIGKILL was sent, and a loaded machine is slow to deliver it. */
async function expectStopped(pid: number): Promise<void> {
  await expect.poll(() => ['gone', 'Z'].includes(stateOf(pid)), { timeout: 15_000 }).toBe(true)
}
/** A program (node) with its script, as argv in the JSON text form. */
const node = (script: string) => `command:${JSON.stringify([process.execPath, '-e', script])}`

describe('env references', () => {
  it('read the variable of the given environment, as it is', async () => {
    expect(await read('env:DB_PASSWORD', { DB_PASSWORD: ' s3cret\n' })).toBe(' s3cret\n')
  })
  it('say when it is not set, or empty', async () => {
    expect(await failure('env:DB_PASSWORD')).toEqual({
      message: 'the variable DB_PASSWORD is not set',
    })
    expect(await failure('env:DB_PASSWORD', { DB_PASSWORD: '' })).toEqual({
      message: 'the variable DB_PASSWORD is empty',
    })
  })
  it("are not set when only every object's inherited properties have the name", async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
      expect(await failure(`env:${name}`)).toEqual({ message: `the variable ${name} is not set` })
    // The CLI's own environment (process.env) too.
    await expect(
      readLocalReference(parseReferenceText('env:constructor'), { env: process.env }),
    ).rejects.toThrow('the variable constructor is not set')
    expect(await read('env:constructor', { constructor: 'set' })).toBe('set')
  })
})

describe('file references', () => {
  it('read the file, one trailing newline dropped; ~/ is the home', async () => {
    writeFileSync(join(home, 'token'), 'abc\n\n')
    expect(await read(`file:${join(home, 'token')}`)).toBe('abc\n')
    writeFileSync(join(home, 'crlf'), 'xyz\r\n')
    expect(await read('file:~/crlf')).toBe('xyz')
  })
  it('say what is wrong: missing, a directory, too big, empty, not readable', async () => {
    expect(await failure('file:~/missing')).toEqual({
      message: `the file ${join(home, 'missing')} does not exist`,
    })
    mkdirSync(join(home, 'folder'), { recursive: true })
    expect(await failure('file:~/folder')).toEqual({
      message: `${join(home, 'folder')} is a directory, not a file`,
    })
    writeFileSync(join(home, 'big'), 'x'.repeat(REFERENCE_MAX_BYTES + 1))
    expect(await failure('file:~/big')).toEqual({
      message: `the file ${join(home, 'big')} is bigger than 64 KiB`,
    })
    writeFileSync(join(home, 'exactly'), 'y'.repeat(REFERENCE_MAX_BYTES))
    expect((await read('file:~/exactly')).length).toBe(REFERENCE_MAX_BYTES)
    writeFileSync(join(home, 'empty'), '\n')
    expect(await failure('file:~/empty')).toEqual({
      message: `the file ${join(home, 'empty')} is empty`,
    })
  })
  it('refuses what is not UTF-8 text rather than change it (a binary key, a wrong encoding)', async () => {
    writeFileSync(join(home, 'binary'), Buffer.from([0x30, 0x82, 0xff, 0xfe, 0x61]))
    expect(await failure('file:~/binary')).toEqual({
      message: `the file ${join(home, 'binary')} is not UTF-8 text`,
    })
    expect(await failure(node('process.stdout.write(Buffer.from([0x61, 0xc3, 0x28]))'))).toEqual({
      message: `the command ${process.execPath} printed something that is not UTF-8 text`,
    })
    // UTF-8 beyond ASCII is text like any other.
    writeFileSync(join(home, 'accents'), 'pässwörd-€\n')
    expect(await read('file:~/accents')).toBe('pässwörd-€')
  })
  it('refuses a FIFO as not a file, without waiting for a writer', async () => {
    execFileSync('mkfifo', [join(home, 'pipe')])
    expect(await failure('file:~/pipe')).toEqual({
      message: `${join(home, 'pipe')} is not a regular file`,
    })
  })
  it("refuses the reading process's own state (/proc, /sys), by path or through a symlink", async () => {
    // /proc/self is whoever reads: the agent's environment may hold the vault's passphrase,
    // which the caller's environment sent to it never does.
    expect(await failure('file:/proc/self/environ')).toEqual({
      message:
        'the file /proc/self/environ is in /proc, which describes running processes (the one reading it included), not a secret',
    })
    symlinkSync('/proc/self/environ', join(home, 'innocent'))
    expect((await failure('file:~/innocent')).message).toMatch(
      new RegExp(`^the file ${join(home, 'innocent')} is in /proc, `),
    )
    expect((await failure('file:/sys/kernel/mm/transparent_hugepage/enabled')).message).toMatch(
      /is in \/sys, /,
    )
    // Devices are no regular files.
    symlinkSync('/dev/zero', join(home, 'zeros'))
    expect(await failure('file:~/zeros')).toEqual({
      message: `${join(home, 'zeros')} is not a regular file`,
    })
  })
  it.skipIf(process.getuid?.() === 0)('says a file it may not read is not readable', async () => {
    writeFileSync(join(home, 'locked'), 'secret')
    chmodSync(join(home, 'locked'), 0o000)
    expect(await failure('file:~/locked')).toEqual({
      message: `the file ${join(home, 'locked')} is not readable (permission denied)`,
    })
  })
})

describe('command references (no shell)', () => {
  it("read the program's stdout, one trailing newline dropped, with the given environment", async () => {
    expect(
      await read(node('process.stdout.write(process.env.FROM_CALLER + "\\n\\n")'), {
        FROM_CALLER: 'v4lue',
      }),
    ).toBe('v4lue\n')
    // No shell: a ; or $() is an argument like any other.
    expect(await read('command:echo $(id) ; true')).toBe('$(id) ; true')
  })
  it('say what is wrong: not found, exit status with stderr, nothing printed, too much, too slow', async () => {
    expect(await failure('command:bk-no-such-program-here get')).toEqual({
      message: 'the command bk-no-such-program-here was not found',
    })
    const long = 'e'.repeat(300)
    expect(
      await failure(
        node(`process.stderr.write("\\nvault: permission denied ${long}\\nmore"); process.exit(3)`),
      ),
    ).toEqual({
      message: `the command ${process.execPath} exited with status 3`,
      said: `vault: permission denied ${'e'.repeat(174)}…`,
    })
    expect(await failure(node('process.stdout.write("\\n")'))).toEqual({
      message: `the command ${process.execPath} printed nothing`,
    })
    expect(
      await failure(node(`process.stdout.write("z".repeat(${REFERENCE_MAX_BYTES + 10}))`)),
    ).toEqual({ message: `the command ${process.execPath} printed more than 64 KiB` })
    const started = Date.now()
    expect(await failure(node('setTimeout(() => {}, 60000)'), {}, 1_500)).toEqual({
      message: `the command ${process.execPath} timed out after 2 s`,
    })
    expect(Date.now() - started).toBeLessThan(10_000)
  })
  it('a command that exited is read at once, though something it left behind holds the output open', async () => {
    const pidFile = join(home, 'lingering.pid')
    const started = Date.now()
    const script = `echo "the-value"; sleep 60 & echo $! > ${pidFile}; exit 0`
    expect(await read(`command:${JSON.stringify(['sh', '-c', script])}`, {}, 20_000)).toBe(
      'the-value',
    )
    // Not the 60 s of what it left behind (which would also outlast the 20 s limit).
    expect(Date.now() - started).toBeLessThan(15_000)
    // What held the output is stopped with it (it was started in the command's process group).
    await expectStopped(Number(readFileSync(pidFile, 'utf8')))
    // Its exit status still counts.
    expect(
      await failure(
        `command:${JSON.stringify(['sh', '-c', 'echo x; sleep 60 & exit 4'])}`,
        {},
        20_000,
      ),
    ).toEqual({ message: 'the command sh exited with status 4' })
  })

  it('a timed-out command is stopped with what it started, even one holding the output open', async () => {
    const pidFile = join(home, 'grandchild.pid')
    const started = Date.now()
    expect(
      await failure(
        `command:${JSON.stringify(['sh', '-c', `sleep 60 & echo $! > ${pidFile}; echo partial; wait`])}`,
        {},
        // Long enough for a loaded machine to write the pid file before the time is up.
        4_000,
      ),
    ).toEqual({ message: 'the command sh timed out after 4 s' })
    expect(Date.now() - started).toBeLessThan(15_000)
    // Gone, or a zombie waiting for a parent to reap it (a container's init may not): not running.
    await expectStopped(Number(readFileSync(pidFile, 'utf8')))
  })
})
