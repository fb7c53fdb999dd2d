import { readStreamLimited } from '../../main/fs/bounded-read'
import { BridgekeepError } from '../../shared/errors'
import { interactive, type CliIO } from './io'

/**
 * Asks for a secret on the terminal without echoing it: the prompt goes to stderr, the terminal
 * is put in raw mode, and keystrokes are collected until Enter. Backspace edits; Ctrl-C and
 * Ctrl-D abandon (VALIDATION error, nothing echoed). Only call it when `interactive(io)`.
 */
export function promptSecret(io: CliIO, prompt: string): Promise<string> {
  const { stdin, stderr } = io
  if (!interactive(io) || !stdin.setRawMode) {
    return Promise.reject(
      new BridgekeepError('VALIDATION', 'There is no terminal to ask on.', prompt),
    )
  }
  // Echo goes off before the prompt shows: keys typed the moment it appears must not echo.
  stdin.setRawMode(true)
  stderr.write(prompt)
  return new Promise((resolve, reject) => {
    let value = ''
    const finish = (error?: Error) => {
      stdin.removeListener('data', onData)
      stdin.setRawMode?.(false)
      stdin.pause()
      stderr.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: Buffer | string) => {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return finish()
        if (char === '\u0003' || char === '\u0004') {
          return finish(new BridgekeepError('VALIDATION', 'Cancelled.'))
        }
        if (char === '\u007f' || char === '\b') value = Array.from(value).slice(0, -1).join('')
        else if (char >= ' ') value += char
      }
    }
    stdin.setEncoding('utf8')
    stdin.on('data', onData)
    stdin.resume()
  })
}

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
