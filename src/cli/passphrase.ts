import { resolve } from 'node:path'
import { readTextFileLimited } from '../main/fs/bounded-read'
import { BridgekeepError } from '../shared/errors'
import { interactive, type CliIO } from './framework/io'
import { SECRET_VARIABLES } from '../shared/secret-variables'

/**
 * The vault passphrase a script gave: the file BRIDGEKEEP_PASSPHRASE_FILE names (one line; a
 * jump host keeps it 0600 beside the agent's unit), else BRIDGEKEEP_PASSPHRASE; undefined when
 * neither is set, and the caller asks on the terminal. An empty file is refused rather than taken
 * as an empty passphrase: it is a file written by mistake, not a choice.
 */
export function passphraseFromEnvironment(io: CliIO): string | undefined {
  const file = io.env[SECRET_VARIABLES.passphraseFile]
  if (file !== undefined && file !== '') {
    // `echo pass > file` adds a line break that is not part of the passphrase. (Not the prompt
    // module's helper: that would load node:readline for every passphrase vault's command.)
    const text = readTextFileLimited(resolve(io.cwd, file), {
      what: 'a passphrase file',
      limit: 64 * 1024,
      hint: `Point ${SECRET_VARIABLES.passphraseFile} at a file holding the passphrase on one line.`,
    }).replace(/\r?\n$/, '')
    if (text === '')
      throw new BridgekeepError(
        'VALIDATION',
        `The passphrase file ${file} (${SECRET_VARIABLES.passphraseFile}) is empty.`,
        'Write the passphrase into it on one line, or unset the variable to be asked on a terminal.',
      )
    return text
  }
  return io.env[SECRET_VARIABLES.passphrase]
}

/**
 * A passphrase from the environment (above) or, on a terminal, typed without echo; `confirm`
 * asks a second time for a new one. `noTerminal` says what to do when neither is possible.
 */
export async function readPassphrase(
  io: CliIO,
  options: { prompt: string; confirm?: string; noTerminal: BridgekeepError },
): Promise<string> {
  const given = passphraseFromEnvironment(io)
  if (given !== undefined) return given
  if (!interactive(io)) throw options.noTerminal
  // Loaded only when a prompt is shown: node:readline is not needed otherwise.
  const { promptSecret } = await import('./framework/prompt')
  const typed = await promptSecret(io, options.prompt)
  if (typed === '')
    throw new BridgekeepError('VALIDATION', 'The passphrase is empty.', 'Type a passphrase.')
  if (options.confirm && (await promptSecret(io, options.confirm)) !== typed)
    throw new BridgekeepError(
      'VALIDATION',
      'The two passphrases differ.',
      'Run the command again and type the same passphrase twice.',
    )
  return typed
}
