import { emitKeypressEvents } from 'node:readline'
import { readStreamLimited } from '../../main/fs/bounded-read'
import { BridgekeepError } from '../../shared/errors'
import { InterruptedError } from './errors'
import { interactive, type CliIO } from './io'

/**
 * Asks for a secret on the terminal without echoing it: the prompt goes to stderr, the terminal
 * is put in raw mode, and keystrokes are collected until Enter. Only call it when
 * `interactive(io)`.
 *
 * Keys are decoded by node:readline's emitKeypressEvents (UTF-8 split across reads, CSI and SS3
 * escape sequences, bracketed paste markers), so a terminal's escape sequences never become part
 * of the secret. Nothing is echoed, so there is no cursor to move: arrow keys, Home, End, Delete,
 * function keys and Alt combinations are ignored and typing always appends. Backspace removes the
 * last character (a code point, not half of an emoji); Ctrl-U clears everything typed; a paste
 * keeps its text and drops the ESC[200~ / ESC[201~ markers; the first Enter (typed, or pasted
 * at the end of a line) ends the secret. Ctrl-D on empty input abandons it (VALIDATION error),
 * as does the terminal closing; Ctrl-D after some input is ignored. Ctrl-C restores the terminal
 * and rejects with an InterruptedError: the command exits 130, as if the signal had ended it.
 */
export function promptSecret(io: CliIO, prompt: string): Promise<string> {
  const { stdin, stderr } = io
  if (!interactive(io) || !stdin.setRawMode) {
    return Promise.reject(
      new BridgekeepError('VALIDATION', 'There is no terminal to ask on.', prompt),
    )
  }
  emitKeypressEvents(stdin)
  // Echo goes off before the prompt shows: keys typed the moment it appears must not echo.
  stdin.setRawMode(true)
  stderr.write(prompt)
  return new Promise((resolve, reject) => {
    let value = ''
    let done = false
    const finish = (error?: Error) => {
      if (done) return
      done = true
      stdin.removeListener('keypress', onKey)
      stdin.removeListener('end', onEnd)
      stdin.setRawMode?.(false)
      stdin.pause()
      stderr.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onKey = (text: string | undefined, key: Keypress | undefined) => {
      if (done) return
      const name = key?.name
      if (name === 'return' || name === 'enter') return finish()
      if (key?.ctrl && name === 'c') return finish(new InterruptedError())
      if (key?.ctrl && name === 'd') {
        if (value === '') finish(new BridgekeepError('VALIDATION', 'Cancelled.'))
        return
      }
      if (key?.ctrl && name === 'u') value = ''
      else if (name === 'backspace') value = Array.from(value).slice(0, -1).join('')
      // Escape sequences (text undefined), Alt and Ctrl combinations, and other control
      // characters (Tab, a lone Escape) are keys, not part of the secret.
      else if (text !== undefined && !key?.ctrl && !key?.meta && !CONTROL.test(text)) value += text
    }
    const onEnd = () => finish(new BridgekeepError('VALIDATION', 'Cancelled.'))
    stdin.on('keypress', onKey)
    stdin.on('end', onEnd)
    stdin.resume()
  })
}

/** What node:readline tells about a key besides its text. */
interface Keypress {
  name?: string
  ctrl?: boolean
  meta?: boolean
  sequence?: string
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

/**
 * All of stdin as text (for `--field key=@-`), with one trailing line break removed; refused once
 * it is larger than any value could be (`what` names it: "a value for token").
 */
export async function readAllStdin(io: CliIO, what: string): Promise<string> {
  const bytes = await readStreamLimited(io.stdin, { source: 'stdin', what })
  return stripFinalNewline(bytes.toString('utf8'))
}

/** `echo secret > file` adds a line break that is not part of the secret. */
export function stripFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '')
}
