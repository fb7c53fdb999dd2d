import { resolve } from 'node:path'
import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { whileClaimed } from '../framework/files'
import { keyValues, printable, writeJson } from '../framework/output'

const backupCreate: CommandSpec = {
  usage: '--output <file> [options]',
  description: [
    'Writes an encrypted backup of the whole vault (connections, environments and authorizations, the sharing identity and contacts, the audit trail) to a new file. It is a consistent snapshot, taken while the app or an agent may go on using the vault. The file is written 0600, never over an existing file, and only given its name once complete: an interrupted backup leaves no file that looks finished.',
    "The backup opens with the vault's recovery key, the one current when it was made, and nothing else: keep the key apart from the file. bridgekeep backup restore puts it back, on this machine or another.",
  ].join('\n\n'),
  options: {
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description: 'the new backup file, e.g. bridgekeep-2026-01-31.bkbackup',
    },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep backup create -o ~/backups/bridgekeep-$(date +%F).bkbackup'],
  async run(context, { values }) {
    const output = stringOption(values, 'output')
    if (output === undefined)
      throw new UsageError('say where to write the backup: --output <file>.', 'backup create')
    const path = resolve(context.io.cwd, output)
    const services = await context.services()
    const { result: made } = await whileClaimed(path, 'No backup was written.', (claimed) =>
      context.progress('Backing up the vault…', () =>
        services.backup.create((backup) => claimed!.write(backup.bytes)),
      ),
    )
    const summary = { file: path, bytes: made.bytes.length, vaultId: services.vault.vaultId() }
    if (context.json) return writeJson(context.io.stdout, summary)
    context.io.stdout.write(
      keyValues([
        ['Backed up to', printable(path)],
        ['Size', `${(made.bytes.length / 1024).toFixed(0)} KiB`],
        ['Opens with', 'the recovery key (keep it apart from the file)'],
      ]),
    )
  },
}

export default backupCreate
