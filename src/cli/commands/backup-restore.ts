import { resolve } from 'node:path'
import { agentSocketPath } from '../../main/agent/socket-path'
import { readFileLimited } from '../../main/fs/bounded-read'
import { BridgekeepError } from '../../shared/errors'
import { MAX_BACKUP_BYTES } from '../../shared/backup'
import { agentListening } from '../agent-client'
import { flag, type CommandSpec } from '../framework/command'
import { interactive, type CliIO } from '../framework/io'
import { keyValues, printable, when, writeJson } from '../framework/output'
import { SECRET_VARIABLES } from '../../shared/secret-variables'
import { cliServices } from '../session'

const NOTHING_CHANGED = 'Nothing was changed.'

const backupRestore: CommandSpec = {
  usage: '<file> [--force] [options]',
  description: [
    `Restores the vault from a backup made by bridgekeep backup create or the app. It asks for the recovery key that was current when the backup was made, on the terminal without echo, or reads it from ${SECRET_VARIABLES.recoveryKey}.`,
    'A file that is not a backup, a damaged one, one from a newer Bridgekeep, or the wrong recovery key is refused and nothing changes. The backup is checked whole before anything is replaced; after restoring, the vault is opened with the recovery key, which also gives this machine its own keychain item for a keychain vault.',
    'An existing vault is never replaced unless --force is given; then it is kept aside until the restored vault has opened, and put back if anything fails. Quit the app and stop bridgekeep agent first: the command refuses while either serves the vault.',
  ].join('\n\n'),
  options: {
    force: {
      type: 'boolean',
      description: 'replace the vault in the data folder (kept until the restored one opens)',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  examples: [
    'bridgekeep backup restore ~/backups/bridgekeep-20260131-120000.bkbackup',
    `${SECRET_VARIABLES.recoveryKey}=… bridgekeep backup restore old.bkbackup --force`,
  ],
  async run({ io, json }, { values, positionals }) {
    const path = resolve(io.cwd, positionals[0]!)
    if (await agentListening(io.env))
      throw new BridgekeepError(
        'VAULT_IN_USE',
        `The Bridgekeep app or bridgekeep agent is serving the vault (on ${agentSocketPath(io.env)}). ${NOTHING_CHANGED}`,
        'Quit the Bridgekeep app and stop bridgekeep agent (Ctrl-C where it runs), then restore again.',
      )
    const data = readFileLimited(path, {
      what: 'a Bridgekeep backup',
      limit: MAX_BACKUP_BYTES,
      hint: NOTHING_CHANGED,
    })
    const services = await cliServices(io)
    try {
      const restored = await services.backup.restore({
        data,
        source: `the file ${path}`,
        recoveryKey: () => recoveryKey(io),
        replaceExisting: flag(values, 'force'),
        from: 'cli',
      })
      const dataDir = services.appInfo.dataDir
      if (json) return writeJson(io.stdout, { ...restored, dataDir })
      io.stdout.write(
        keyValues([
          ['Restored', `the vault ${restored.vaultId}`],
          ['From', `${printable(path)} (made ${when(restored.backupCreatedAt)})`],
          ['Into', printable(dataDir)],
          ...(restored.replacedExisting ? [['Replaced', 'the vault that was there'] as const] : []),
        ]),
      )
    } finally {
      services.vault.close()
    }
  },
}

/** From the environment, or asked on the terminal without echo. */
async function recoveryKey(io: CliIO): Promise<string> {
  const fromEnv = io.env[SECRET_VARIABLES.recoveryKey]
  if (fromEnv !== undefined) return fromEnv
  if (!interactive(io))
    throw new BridgekeepError(
      'VAULT_LOCKED',
      `Restoring needs the recovery key, in ${SECRET_VARIABLES.recoveryKey} or typed on a terminal, and there is no terminal to ask on. ${NOTHING_CHANGED}`,
      `Set ${SECRET_VARIABLES.recoveryKey}, or run the command in a terminal.`,
    )
  const { promptSecret } = await import('../framework/prompt')
  return promptSecret(io, 'Recovery key (the one current when the backup was made): ')
}

export default backupRestore
