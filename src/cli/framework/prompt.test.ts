import { spawn } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../../test/run-node'
import { BridgekeepError } from '../../shared/errors'
import { EXIT_INTERRUPTED, InterruptedError, reportError } from './errors'
import type { CliIO } from './io'
import { promptSecret } from './prompt'

/** A fake terminal: stdin a TTY stream that records raw mode, stderr a TTY collector. */
function terminal() {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    raw: [] as boolean[],
    setRawMode(mode: boolean) {
      stdin.raw.push(mode)
      return stdin
    },
  })
  const shown: string[] = []
  const io: CliIO = {
    stdin,
    stderr: { isTTY: true, write: (text: string) => shown.push(text) },
    stdout: { isTTY: true, write: () => true },
    env: {},
    cwd: '/',
  }
  return { io, stdin, shown }
}

/** Types each chunk as its own read, as keys arrive from a terminal, and returns the answer. */
async function typed(...chunks: (string | Buffer)[]) {
  const { io, stdin, shown } = terminal()
  const answer = promptSecret(io, 'Secret: ')
  for (const chunk of chunks) {
    stdin.write(chunk)
    await new Promise((done) => setImmediate(done))
  }
  const value = await answer
  expect(stdin.raw).toEqual([true, false])
  expect(stdin.isPaused()).toBe(true)
  expect(shown).toEqual(['Secret: ', '\n'])
  return value
}

describe('promptSecret', () => {
  it('consumes cursor keys instead of keeping their escape sequences', async () => {
    expect(await typed('abc', '\x1b[D', 'def', '\r')).toBe('abcdef')
    expect(await typed('abc\x1b[Ddef\r')).toBe('abcdef')
  })

  it('ignores Home, End, Delete, function keys, Alt, Tab and other control keys', async () => {
    const keys = [
      '\x1b[H',
      '\x1b[F',
      '\x1b[1~',
      '\x1b[4~',
      '\x1bOH',
      '\x1bOF',
      '\x1b[3~',
      '\x1b[2~',
      '\x1bOP',
      '\x1b[15~',
      '\x1b[24~',
      '\x1b[1;5C',
      '\x1b[A',
      '\x1b[B',
      '\x1b[C',
      '\x1bx',
      '\t',
      '\x01',
      '\x05',
      '\x1b[5~',
      '\x1b[6~',
    ]
    for (const key of keys) expect(await typed('ab', key, 'cd\r'), JSON.stringify(key)).toBe('abcd')
  })

  it('backspace removes a whole character, however many bytes and UTF-16 units', async () => {
    expect(await typed('pé', '\x7f', 'e\r')).toBe('pe')
    expect(await typed('x😀', '\x7f', 'y\r')).toBe('xy')
    expect(await typed('x😀', '\b', '\b', '\x7f', 'z\r')).toBe('z')
    // A multi-byte character split across two reads still arrives whole.
    const bytes = Buffer.from('k😀\r')
    expect(await typed(bytes.subarray(0, 3), bytes.subarray(3))).toBe('k😀')
  })

  it('Ctrl-U clears what was typed', async () => {
    expect(await typed('wrong', '\x15', 'right\r')).toBe('right')
  })

  it('keeps pasted text and drops the bracketed paste markers', async () => {
    expect(await typed('\x1b[200~pa$te d\x1b[Dé😀\x1b[201~', '\r')).toBe('pa$te dé😀')
    expect(await typed('a', '\x1b[200~', 'bc', '\x1b[201~', 'd\n')).toBe('abcd')
  })

  it('takes a paste in one read with a trailing newline', async () => {
    expect(await typed('correct horse battery staple\n')).toBe('correct horse battery staple')
    expect(await typed('correct horse\r\n')).toBe('correct horse')
    expect(await typed('\x1b[200~correct horse\n\x1b[201~')).toBe('correct horse')
  })

  it('Ctrl-C restores the terminal and interrupts: exit 130, nothing printed', async () => {
    const { io, stdin, shown } = terminal()
    const answer = promptSecret(io, 'Secret: ')
    stdin.write('half typed\x03more\r')
    const error = await answer.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InterruptedError)
    expect(stdin.raw).toEqual([true, false])
    expect(stdin.isPaused()).toBe(true)
    expect(stdin.listenerCount('keypress')).toBe(0)
    expect(shown).toEqual(['Secret: ', '\n'])
    const stderr: string[] = []
    expect(reportError({ write: (text: string) => stderr.push(text) }, error)).toBe(
      EXIT_INTERRUPTED,
    )
    expect(EXIT_INTERRUPTED).toBe(130)
    expect(stderr).toEqual([])
  })

  it('Ctrl-D abandons empty input and is ignored after some', async () => {
    const { io, stdin } = terminal()
    const answer = promptSecret(io, 'Secret: ')
    stdin.write('\x04')
    await expect(answer).rejects.toThrow(new BridgekeepError('VALIDATION', 'Cancelled.'))
    expect(stdin.raw).toEqual([true, false])
    expect(await typed('ab', '\x04', 'c\r')).toBe('abc')
  })

  it('abandons the prompt when the terminal goes away', async () => {
    const { io, stdin } = terminal()
    const answer = promptSecret(io, 'Secret: ')
    stdin.end('partial')
    await expect(answer).rejects.toThrow('Cancelled.')
    expect(stdin.raw).toEqual([true, false])
  })

  it('asks twice on the same terminal (a passphrase and its confirmation)', async () => {
    const { io, stdin } = terminal()
    const first = promptSecret(io, 'One: ')
    stdin.write('one\x1b[D\r')
    expect(await first).toBe('one')
    const second = promptSecret(io, 'Two: ')
    stdin.write('two\x1b[C\r')
    expect(await second).toBe('two')
  })

  it('refuses without a terminal', async () => {
    const { io } = terminal()
    await expect(promptSecret({ ...io, stdin: new PassThrough() }, 'Secret: ')).rejects.toThrow(
      'There is no terminal to ask on.',
    )
  })
})

/** Runs the prompt fixture on a real pseudo-terminal (util-linux `script`), typing `keys`. */
function onTerminal(keys: string) {
  return new Promise<{ code: number | null; screen: string }>((done) => {
    const command = [process.execPath, '--import', 'tsx', 'test/fixtures/prompt-on-terminal.ts']
      .map((word) => `'${word}'`)
      .join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT })
    let screen = ''
    let typed = false
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString()
      if (!typed && screen.includes('Secret: ')) {
        typed = true
        child.stdin.write(keys)
      }
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, screen })
    })
  })
}

describe('promptSecret on a real terminal', () => {
  it('reads through cursor keys and a bracketed paste, and restores the terminal', async () => {
    const result = await onTerminal('abc\x1b[Ddef\x1b[200~ pasted\x1b[201~\x1b[3~\r')
    expect(result.code).toBe(0)
    expect(result.screen).toContain('{"secret":"abcdef pasted","restored":true}')
    // Nothing typed was echoed before the answer was printed.
    expect(result.screen.split('{"secret"')[0]).not.toMatch(/abc|def|pasted/)
  })

  it('Ctrl-C restores the terminal and exits 130', async () => {
    const result = await onTerminal('abc\x03')
    expect(result.code).toBe(130)
    expect(result.screen).toContain('{"restored":true}')
    expect(result.screen).not.toContain('abc')
  })
})
