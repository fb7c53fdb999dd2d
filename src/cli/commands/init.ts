import { rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ensurePrivateFolder } from '../../main/fs/private-folder'
import type { Services } from '../../main/services'
import { BridgekeepError } from '../../shared/errors'
import { flag, stringOption, type CommandSpec } from '../framework/command'
import { claimOutput, type ClaimedFile } from '../framework/files'
import { printable, writeJson } from '../framework/output'
import { readPassphrase } from '../passphrase'
import { cliServices } from '../session'

const NOTHING_DONE = 'No vault was created.'

const init: CommandSpec = {
  usage: '[options]',
  description: [
    'Creates the vault in the data folder (BRIDGEKEEP_HOME, or the per-user app-data folder), as the',
    "app's first start does. By default its key is kept in the OS keychain; with --passphrase (for a",
    'machine without one, such as a jump host that runs bridgekeep agent) it is opened by a passphrase,',
    'read from the file BRIDGEKEEP_PASSPHRASE_FILE names (or BRIDGEKEEP_PASSPHRASE), or asked twice on',
    'the terminal.',
    'The recovery key opens the vault when the keychain or the passphrase is lost. It is shown once, on',
    'the terminal only: when stdout is not a terminal (a pipe, a log) the command refuses, unless',
    '--recovery-key-out names a new file to write it to (0600, never over an existing file).',
    'An existing vault is never touched. A data folder others can read is tightened to 0700; one',
    'others can write to, or of another user, is refused.',
  ].join('\n'),
  options: {
    passphrase: {
      type: 'boolean',
      description: 'protect the vault with a passphrase instead of the OS keychain',
    },
    'recovery-key-out': {
      type: 'string',
      valueName: 'file',
      description: 'write the recovery key to this new file (0600) instead of the terminal',
    },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  examples: [
    'bridgekeep init',
    'BRIDGEKEEP_PASSPHRASE_FILE=~/.config/bridgekeep/passphrase \\',
    '    bridgekeep init --passphrase --recovery-key-out ~/recovery-key.txt',
  ],
  async run({ io, json }, { values }) {
    const mode = flag(values, 'passphrase') ? 'passphrase' : 'keychain'
    const out = stringOption(values, 'recovery-key-out')
    const services = await cliServices(io)
    try {
      const dataDir = services.appInfo.dataDir
      if (services.vault.exists())
        throw new BridgekeepError(
          'VAULT_EXISTS',
          `A vault already exists in ${dataDir}. Nothing was changed.`,
          'Use it as it is (bridgekeep status), or set BRIDGEKEEP_HOME to another folder for a new vault.',
        )
      if (out === undefined && (json || io.stdout.isTTY !== true))
        throw new BridgekeepError(
          'VALIDATION',
          `The recovery key is shown once, on a terminal, and stdout is not one${json ? ' (--json)' : ''}. ${NOTHING_DONE}`,
          'Run bridgekeep init in a terminal, or give --recovery-key-out <file> to write it to a new file only you can read.',
        )
      const loosened = tightenDataFolder(dataDir)
      if (loosened)
        io.stderr.write(
          `bridgekeep: tightened ${printable(dataDir)} to 0700: others could read it (mode ${loosened}).\n`,
        )
      const passphrase =
        mode === 'passphrase'
          ? await readPassphrase(io, {
              prompt: 'New vault passphrase: ',
              confirm: 'The passphrase again: ',
              noTerminal: new BridgekeepError(
                'VALIDATION',
                `A passphrase vault needs its passphrase, and there is no terminal to ask for it. ${NOTHING_DONE}`,
                'Set BRIDGEKEEP_PASSPHRASE_FILE to a file holding it, or run bridgekeep init --passphrase in a terminal.',
              ),
            })
          : undefined
      const claimed =
        out === undefined ? undefined : claimOutput(resolve(io.cwd, out), NOTHING_DONE)
      let recoveryKey: string
      try {
        recoveryKey = await create(services, passphrase)
      } catch (error) {
        claimed?.abandon()
        throw error
      }
      const keyFile = claimed ? await saveRecoveryKey(services, claimed, recoveryKey) : undefined
      const vaultId = services.vault.status().vaultId
      if (json) return writeJson(io.stdout, { dataDir, vaultId, mode, recoveryKeyFile: keyFile })
      io.stdout.write(`Created a vault in ${printable(dataDir)}, opened by the ${mode}.\n`)
      if (keyFile) {
        io.stdout.write(
          `The recovery key is in ${printable(keyFile)} (0600): keep it somewhere safe, away from this machine, then delete the file.\n`,
        )
      } else {
        io.stdout.write(
          `\nRecovery key (shown only now; write it down and keep it away from this computer):\n\n  ${recoveryKey}\n\n`,
        )
      }
    } finally {
      services.vault.close()
    }
  },
}

function create(services: Services, passphrase: string | undefined): Promise<string> {
  return services.vaultLifecycle
    .create(passphrase === undefined ? { mode: 'keychain' } : { mode: 'passphrase', passphrase })
    .then((created) => created.recoveryKey)
}

/**
 * The data folder made private before anything is written (ensurePrivateFolder's rules, as the
 * app's). Returns the mode it had when others could read it, to say it was changed.
 */
function tightenDataFolder(dataDir: string): string | undefined {
  let before: number | undefined
  try {
    before = statSync(dataDir).mode
  } catch {
    before = undefined // not there yet: created 0700
  }
  ensurePrivateFolder(dataDir)
  if (process.platform === 'win32' || before === undefined || (before & 0o077) === 0)
    return undefined
  return (before & 0o7777).toString(8).padStart(4, '0')
}

/**
 * Writes the recovery key to its claimed file. If that fails after all (the disk filled up), the
 * vault just made is removed: a vault whose recovery key nobody saw is worse than none.
 */
async function saveRecoveryKey(
  services: Services,
  claimed: ClaimedFile,
  recoveryKey: string,
): Promise<string> {
  try {
    return await claimed.write(`${recoveryKey}\n`)
  } catch (error) {
    services.vault.close()
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(`${services.vault.path}${suffix}`, { force: true })
    throw error
  }
}

export default init
